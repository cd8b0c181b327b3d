from __future__ import annotations

MARKETING = "name: Marketing\ngithub_team: testorg/marketing\nmembers: [carol]\n"
APPROVALS = """\
approval_rules:
  - name: announcements need marketing
    if: {tags: [announcement]}
    requires: {count: 1, teams: [marketing]}
    options: {invalidate_on_push: true}
"""


def test_generates_codeowners_from_teams_and_accounts(org):
    org.write("content/marketing/team.yaml", MARKETING)
    org.write("content/marketing/accounts/mkt-x.yaml", "platform: x\nhandle: '@mkt'\n")
    org.write("policies/approvals.yaml", APPROVALS)
    result = org.run("codeowners")
    assert result.exit_code == 0, result.output
    assert result.output == "wrote .github/CODEOWNERS\n"
    text = (org.root / ".github/CODEOWNERS").read_text()
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules == [
        "/accord.yaml @testorg/marketing",
        "/policies/ @testorg/marketing",
        "/schemas/ @testorg/marketing",
        "/.github/CODEOWNERS @testorg/marketing",
        # every team may freeze (its own accounts, in a crisis) with its own review
        "/policies/freeze.yaml @testorg/brand @testorg/marketing",
        "/content/brand/ @testorg/brand",
        "/content/brand/accounts/brand-outbox.yaml @testorg/brand",
        "/content/marketing/ @testorg/marketing",
        "/content/marketing/accounts/mkt-x.yaml @testorg/marketing",
    ]
    # Deterministic: a second run changes nothing.
    assert org.run("codeowners").output == ".github/CODEOWNERS is up to date\n"
    assert (org.root / ".github/CODEOWNERS").read_text() == text


def test_check_fails_with_a_diff_when_out_of_sync(org):
    result = org.run("codeowners", "--check")
    assert result.exit_code == 1
    assert "+/content/brand/ @testorg/brand" in result.output
    assert result.output.endswith(".github/CODEOWNERS is missing; run `accord codeowners` and commit it\n")
    org.run("codeowners")
    assert org.run("codeowners", "--check").exit_code == 0
    org.write("content/marketing/team.yaml", MARKETING)
    result = org.run("codeowners", "--check")
    assert result.exit_code == 1
    assert "+/content/marketing/ @testorg/marketing" in result.output
    assert result.output.endswith(".github/CODEOWNERS is out of sync with teams and accounts; "
                                  "run `accord codeowners` and commit it\n")
    assert not (org.root / ".github/CODEOWNERS").read_text().count("marketing/ ")  # --check writes nothing

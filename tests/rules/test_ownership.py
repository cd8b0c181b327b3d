from __future__ import annotations

from .conftest import mine, post

M = "content/marketing/summit/m.yaml"


def test_team_posts_only_to_accounts_it_owns_or_contributes_to(shared):
    # marketing contributes to brand-x but not to brand-outbox.
    post(shared, M, "2026-12-09T10:00:00+00:00", accounts="\n  - brand-x\n  - brand-outbox")
    code, found = shared.check()
    assert code == 1
    assert mine(found) == [(M, "ownership.account", 4)]
    f = next(f for f in found if f["rule"] == "ownership.account")
    assert f["message"] == "team marketing may not post to brand-outbox: it belongs to team brand"
    assert f["hint"] == "ask team brand to add marketing to contributors in content/brand/accounts/brand-outbox.yaml"


def test_contributors_are_existing_teams(shared):
    shared.write("content/brand/accounts/brand-x.yaml", "platform: x\nhandle: '@t'\ncontributors:\n  - marketng\n")
    code, found = shared.check()
    assert mine(found) == [("content/brand/accounts/brand-x.yaml", "ownership.contributor", 4)]
    assert [f["hint"] for f in found if f["rule"] == "ownership.contributor"] == ["did you mean 'marketing'?"]


def test_campaign_owner_present_and_a_team_member(shared):
    shared.write("content/brand/launch/campaign.yaml", """\
    name: Launch
    window: {start: 2026-12-01, end: 2027-01-31}
    objective: {metric: sign_ups, baseline: 100, target: 400, deadline: 2027-02-28}
    """)
    shared.write("content/marketing/summit/campaign.yaml", """\
    name: Summit
    owner: alice
    window: {start: 2026-12-01, end: 2027-01-31}
    objective: {metric: sign_ups, baseline: 100, target: 400, deadline: 2027-02-28}
    """)
    code, found = shared.check()
    assert code == 1
    assert mine(found) == [("content/brand/launch/campaign.yaml", "ownership.campaign-owner", 1),
                           ("content/marketing/summit/campaign.yaml", "ownership.owner-not-member", 2)]
    warning = next(f for f in found if f["rule"] == "ownership.owner-not-member")
    assert warning["level"] == "warning"
    assert warning["message"] == "owner alice is not a member of team marketing"


def test_codeowners_out_of_sync_is_a_finding(shared):
    assert shared.run("codeowners").exit_code == 0
    code, found = shared.check()
    assert mine(found) == []
    shared.write("content/support/team.yaml", "name: Support\ngithub_team: testorg/support\n")
    code, found = shared.check()
    assert code == 1
    # Without policies/approvals.yaml every team owns accord.yaml: the first line to differ.
    assert mine(found) == [(".github/CODEOWNERS", "ownership.codeowners", 14)]


def test_approvals_policy_is_schema_checked(shared):
    shared.write("policies/approvals.yaml", """\
    approval_rules:
      - name: brand accounts need brand
        if: {acounts: [brand-x]}
        requires: {count: 1, teams: [brand]}
    """)
    code, found = shared.check()
    assert code == 1
    assert [(f["rule"], f["line"], f.get("hint")) for f in found if f["file"] == "policies/approvals.yaml"] == [
        ("schema.unknown-key", 3, "did you mean 'accounts'?")]


def test_approvals_naming_a_team_or_account_that_does_not_exist_are_errors(shared):
    shared.write("policies/approvals.yaml", """\
    approval_rules:
      - name: brand accounts need brand
        if: {accounts: [brand-x, brand-xx], teams: [marketing]}
        requires: {count: 1, teams: [brnad, brand]}
    """)
    code, found = shared.check()
    assert code == 1
    assert [(f["rule"], f["line"], f["col"], f.get("hint")) for f in found if f["file"] == "policies/approvals.yaml"] == [
        ("ownership.approval-unknown", 3, 30, "did you mean 'brand-x'?"),
        ("ownership.approval-unknown", 4, 34, "did you mean 'brand'?"),
    ]
    message = next(f["message"] for f in found if f["line"] == 4 and f["file"] == "policies/approvals.yaml")
    assert message == "no team 'brnad': rule 'brand accounts need brand' asks it for an approval it can never give"

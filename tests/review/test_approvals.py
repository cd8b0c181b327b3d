"""`accord approvals --base REV`: what a change needs approved, offline, from git alone."""
from __future__ import annotations

import json

from .conftest import commit, post


def propose(org) -> None:
    """A change with one of each: added, edited, rescheduled, cancelled, removed, and a policy."""
    org.write("content/marketing/spring/launch-day.yaml", post(
        "Launch day: the release is out. #TestLaunch", "brand-x, marketing-outbox", "2026-12-10T13:00:00+00:00",
        "tags: [announcement]\n"))
    org.write("content/brand/launch/keynote.yaml", post("The keynote starts at eleven. #TestLaunch", "brand-x",
                                                        "2026-12-10T10:00:00+00:00"))
    org.write("content/brand/launch/recap.yaml", post("What we shipped this week. #TestLaunch", "brand-x",
                                                      "2026-12-11T16:30:00+00:00"))
    org.write("content/marketing/spring/webinar.yaml", post("Join our webinar.", "marketing-outbox",
                                                            "2026-12-15T14:00:00+00:00", "status: cancelled\n"))
    org.remove("content/brand/launch/old.yaml")
    org.write("policies/voice.yaml", "rules: []\n")
    commit(org, "the proposal")


def needs(org, *args) -> dict:
    result = org.run("approvals", "--base", "main", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_each_changed_file_says_which_rules_cover_it_and_why(review_org):
    propose(review_org)
    got = needs(review_org)
    files = {f["path"]: f for f in got["files"]}
    assert {p: f["change"] for p, f in files.items()} == {
        "content/brand/launch/keynote.yaml": "edited",
        "content/brand/launch/old.yaml": "removed",
        "content/brand/launch/recap.yaml": "rescheduled",
        "content/marketing/spring/launch-day.yaml": "added",
        "content/marketing/spring/webinar.yaml": "cancelled",
        "policies/voice.yaml": "added",
    }
    why = {m["rule"]: m["why"] for m in files["content/marketing/spring/launch-day.yaml"]["rules"]}
    assert why == {"brand accounts need brand": ["accounts: brand-x"],
                   "announcements need comms": ["tags: announcement"],
                   "another team's account needs its owner": ["targets another team's account (brand-x is brand's)"]}
    # A post on marketing's own account needs nobody; a policy file matches its path pattern.
    assert files["content/marketing/spring/webinar.yaml"]["rules"] == []
    assert files["policies/voice.yaml"]["rules"] == [
        {"rule": "policies need two leads", "why": ["policies/voice.yaml matches policies/**"], "required": False}]


def test_the_requirements_name_teams_by_their_github_team_and_count(review_org):
    propose(review_org)
    got = needs(review_org)
    rows = [(r["rule"], r["requires"]["count"], [t["github_team"] for t in r["requires"]["teams"]], r["files"])
            for r in got["requirements"]]
    assert rows == [
        ("brand accounts need brand", 1, ["testorg/brand"],
         ["content/brand/launch/keynote.yaml", "content/brand/launch/recap.yaml",
          "content/marketing/spring/launch-day.yaml"]),
        ("announcements need comms", 1, ["testorg/comms"], ["content/marketing/spring/launch-day.yaml"]),
        ("another team's account needs its owner", 1, ["testorg/brand"], ["content/marketing/spring/launch-day.yaml"]),
    ]
    # The rule not listed under policy.approval is shown but asks for nothing.
    assert "policies need two leads" not in [r["rule"] for r in got["requirements"]]


def test_the_text_report_reads_as_a_list_for_a_reviewer(review_org):
    propose(review_org)
    out = review_org.run("approvals", "--base", "main").output
    assert "content/brand/launch/recap.yaml (post, rescheduled)\n  brand accounts need brand: accounts: brand-x" in out
    assert "1 approval from team comms (@testorg/comms) [announcements need comms] for " \
           "content/marketing/spring/launch-day.yaml" in out
    md = review_org.run("approvals", "--base", "main", "--format", "md").output
    assert md.startswith("## Approvals\n")
    assert "| 1 approval from team brand (@testorg/brand) | brand accounts need brand |" in md


def test_the_rules_are_the_bases_a_change_cannot_loosen_its_own(review_org):
    review_org.write("policies/approvals.yaml", "approval_rules: []\n")
    review_org.write("content/brand/launch/keynote.yaml", post("Changed. #TestLaunch", "brand-x",
                                                               "2026-12-10T10:00:00+00:00"))
    got = needs(review_org)  # uncommitted changes count too, as in a pre-commit run
    assert got["rules_from"].startswith("policies/approvals.yaml at ")
    assert [r["rule"] for r in got["requirements"]] == ["brand accounts need brand"]


def test_a_moved_target_needs_the_owner_of_the_account_it_left(review_org):
    review_org.write("content/brand/launch/keynote.yaml", post("The keynote starts at ten. #TestLaunch",
                                                               "brand-outbox", "2026-12-10T10:00:00+00:00"))
    got = needs(review_org)
    assert [r["rule"] for r in got["requirements"]] == ["brand accounts need brand"]


def test_no_change_needs_nothing_and_an_unknown_base_is_a_sentence(review_org):
    assert needs(review_org)["requirements"] == []
    assert "Needs no approval" in review_org.run("approvals", "--base", "main").output
    bad = review_org.run("approvals", "--base", "no-such-branch")
    assert bad.exit_code == 2
    assert "--base no-such-branch: no such commit in this repository" in bad.output
    assert "Traceback" not in bad.output
    assert review_org.run("approvals").exit_code == 2


"""A content repository in git for the review loop: brand owns the X account marketing may post
to, comms approves announcements; main holds the base and a branch holds the proposal."""
from __future__ import annotations

import json
import subprocess

import pytest



PERSON = {"GIT_AUTHOR_NAME": "Alice", "GIT_AUTHOR_EMAIL": "alice@example.org",
          "GIT_COMMITTER_NAME": "Alice", "GIT_COMMITTER_EMAIL": "alice@example.org"}
NOW = "2026-11-23T12:00:00+00:00"


def team(name: str, members: str) -> str:
    return f"name: {name}\ngithub_team: testorg/{name.lower()}\nmembers: [{members}]\ntimezone: Europe/London\n"


BRAND_X = """\
platform: x
handle: "@testorg"
contributors: [marketing]
timezone: Europe/London
limits:
  min_gap: 2h
"""
MARKETING_OUTBOX = """\
platform: outbox
handle: "@marketing"
timezone: America/New_York
"""
CAMPAIGN = """\
name: Spring
owner: carol
window: {start: 2026-11-01, end: 2027-03-31}
key_message: The new release builds twice as fast.
utm_campaign: launch
objective: {metric: sign_ups, baseline: 100, target: 400, deadline: 2027-03-31}
"""
APPROVALS = """\
policy:
  approval: [brand accounts need brand, announcements need comms, another team's account needs its owner]
approval_rules:
  - name: brand accounts need brand
    if: {accounts: [brand-x]}
    requires: {count: 1, teams: [brand]}
  - name: announcements need comms
    if: {tags: [announcement]}
    requires: {count: 1, teams: [comms]}
  - name: another team's account needs its owner
    if: {other_teams_accounts: true}
    requires: {count: 1, account_owners: true}
  - name: policies need two leads
    if: {paths: ["policies/**"]}
    requires: {count: 2, users: [lead-one, lead-two, lead-three]}
"""


def post(text: str, accounts: str, when: str, extra: str = "") -> str:
    return f"text: {json.dumps(text)}\naccounts: [{accounts}]\npublish_at: {when}\nlocale: en\n{extra}"


def git(org, *args: str) -> str:
    return subprocess.run(["git", "-C", str(org.root), *args], check=True, capture_output=True, text=True,
                          env={**PERSON, "PATH": "/usr/bin:/bin", "HOME": str(org.root)}).stdout


def commit(org, message: str) -> str:
    git(org, "add", "-A")
    git(org, "commit", "-q", "-m", message)
    return git(org, "rev-parse", "HEAD").strip()


@pytest.fixture
def review_org(org) :
    """The conftest org plus marketing and comms, committed on main, with branch `proposal`
    checked out."""
    org.write(".gitignore", ".accord-cache/\noutbox/\n")
    org.write("content/brand/accounts/brand-x.yaml", BRAND_X)
    org.write("content/marketing/team.yaml", team("Marketing", "carol, dave"))
    org.write("content/marketing/accounts/marketing-outbox.yaml", MARKETING_OUTBOX)
    org.write("content/marketing/spring/campaign.yaml", CAMPAIGN)
    org.write("content/comms/team.yaml", team("Comms", "erin"))
    org.write("policies/approvals.yaml", APPROVALS)
    org.write("content/brand/launch/keynote.yaml", post("The keynote starts at ten. #TestLaunch", "brand-x",
                                                        "2026-12-10T10:00:00+00:00"))
    org.write("content/brand/launch/recap.yaml", post("What we shipped this week. #TestLaunch", "brand-x",
                                                      "2026-12-11T15:00:00+00:00"))
    org.write("content/brand/launch/old.yaml", post("An old plan. #TestLaunch", "brand-outbox",
                                                    "2026-12-12T09:00:00+00:00"))
    org.write("content/marketing/spring/webinar.yaml", post("Join our webinar.", "marketing-outbox",
                                                            "2026-12-15T14:00:00+00:00"))
    subprocess.run(["git", "init", "-q", "-b", "main", str(org.root)], check=True)
    commit(org, "the plan on main")
    git(org, "checkout", "-q", "-b", "proposal")
    return org

"""Helpers for the rule-family tests: a second team, a shared X account, git and the ledger."""
from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from accord.model import load

MINE = ("schedule.", "ownership.", "embargo.", "objectives.", "translations.", "published.")

MARKETING = """\
name: Marketing
github_team: testorg/marketing
members: [carol]
timezone: Europe/London
"""
# Brand's account on X: marketing may post to it; quiet hours on the London clock.
BRAND_X = """\
platform: x
handle: "@testorg"
contributors: [marketing]
timezone: Europe/London
limits:
  min_gap: 2h
  daily_cap: 3
  quiet_hours: {start: "22:00", end: "07:00"}
"""
SUMMIT = """\
name: Summit
owner: carol
window: {start: 2026-12-01, end: 2027-11-30}
utm_campaign: summit
objective: {metric: leads, baseline: 10, target: 50, deadline: 2027-12-31}
"""


@pytest.fixture
def shared(org):
    """The base org plus team marketing (campaign marketing/summit) and brand's X account
    that marketing contributes to."""
    org.write("content/marketing/team.yaml", MARKETING)
    org.write("content/marketing/summit/campaign.yaml", SUMMIT)
    org.write("content/brand/accounts/brand-x.yaml", BRAND_X)
    return org


WORDS = ("river", "copper", "lantern", "meadow", "harbour", "pixel", "orbit", "maple", "granite",
         "violet", "falcon", "compass", "ember", "glacier", "saffron", "tundra", "quartz", "willow",
         "cobalt", "prairie", "summit", "canyon", "marble", "thistle", "beacon", "juniper", "walrus",
         "nebula", "pepper", "island", "velvet", "anchor")


def text_for(rel: str) -> str:
    """A text no other test post shares (the duplicates family must stay quiet)."""
    digest = hashlib.sha256(rel.encode()).digest()
    return "Notes on " + " ".join(WORDS[b % len(WORDS)] for b in digest[:8]) + "."


def post(org, rel: str, publish_at: str, accounts: str = "[brand-x]", extra: str = "") -> None:
    """A post whose publish_at is on line 3 and accounts on line 2."""
    org.write(rel, f"text: {text_for(rel)}\naccounts: {accounts}\npublish_at: {publish_at}\n{extra}")


def mine(findings: list[dict]) -> list[tuple[str, str, int]]:
    """(file, rule, line) of the findings of the families under test, sorted."""
    return sorted((f["file"], f["rule"], f["line"]) for f in findings if f["rule"].startswith(MINE))


def git(org, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(org.root), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    return subprocess.run(["git", "-C", str(org.root), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


def commit_all(org, message: str = "change") -> None:
    if not (org.root / ".git").exists():
        git(org, "init", "-q", "-b", "main")
    git(org, "add", "-A")
    git(org, "commit", "-q", "-m", message)


def record(org, post_id: str, statuses: dict[str, str], fingerprint: str | None = None) -> str:
    """Write a ledger record as the publisher would; the fingerprint defaults to the post's now."""
    if fingerprint is None:
        fingerprint = load(org.root).posts[post_id].fingerprint()
    targets = {a: {"status": s, "id": f"{a}-1", "url": f"https://example.com/{a}/1"} for a, s in statuses.items()}
    rel = f"state/ledger/{post_id}.json"
    org.write(rel, json.dumps({"post": post_id, "fingerprint": fingerprint, "targets": targets},
                              indent=2, sort_keys=True) + "\n")
    return rel

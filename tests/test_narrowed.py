"""`accord check FILE` (as pre-commit runs it) reports exactly what a full check reports for FILE,
whether the parse cache is cold, warm, or warm with files changed since, though it builds only
the posts FILE can be checked against."""
from __future__ import annotations

import hashlib
import json
import shutil
import time

import pytest

from accord.check.narrow import needed
from accord.model import load
from rules.conftest import MARKETING

CACHE = ".accord-cache"
RESULTS = ".accord-cache/results-v1.marshal"

SUMMIT = """\
name: Summit
owner: carol
window: {start: 2026-11-01, end: 2027-11-30}
utm_campaign: summit
objective: {metric: leads, baseline: 10, target: 50, deadline: 2027-12-31}
"""
LAUNCH = """\
name: Launch
owner: alice
window: {start: 2026-11-01, end: 2027-01-31}
utm_campaign: launch
objective: {metric: sign_ups, baseline: 100, target: 400, deadline: 2027-02-28}
"""
ACCOUNTS = {
    # brand's X account, shared with marketing: a 2h gap, 3 posts a day, quiet at night
    "content/brand/accounts/brand-x.yaml": "platform: x\nhandle: \"@testorg\"\ncontributors: [marketing]\n"
    "limits:\n  min_gap: 2h\n  daily_cap: 3\n  quiet_hours: {start: \"22:00\", end: \"07:00\"}\n",
    # posts here must be a month apart: neighbours far outside any duplicates window
    "content/brand/accounts/brand-slow.yaml": "platform: outbox\nhandle: slow\nlimits: {min_gap: 30d}\n",
    "content/brand/accounts/brand-east.yaml": "platform: outbox\nhandle: east\ntimezone: Pacific/Kiritimati\n",
    "content/marketing/accounts/marketing-outbox.yaml": "platform: outbox\nhandle: mkt\n",
    "content/marketing/accounts/marketing-west.yaml": "platform: outbox\nhandle: west\ntimezone: Pacific/Pago_Pago\n",
}
WORDS = ("river", "copper", "lantern", "meadow", "harbour", "pixel", "orbit", "maple", "granite",
         "violet", "falcon", "compass", "ember", "glacier", "saffron", "tundra", "quartz", "willow")
NEWS = "Kestrel now caches every build step remotely, so pipelines in every region finish in half the time"


def unique(rel: str) -> str:
    digest = hashlib.sha256(rel.encode()).digest()
    return "Notes on " + " ".join(WORDS[b % len(WORDS)] for b in digest[:10]) + "."


def post(org, rel: str, accounts: str, when: str | None, text: str | None = None, extra: str = "") -> str:
    at = f"publish_at: {when}\n" if when else ""
    org.write(rel, f"text: \"{text or unique(rel)}\"\naccounts: [{accounts}]\n{at}{extra}")
    return rel


def two_teams(org) -> None:
    org.write("content/marketing/team.yaml", MARKETING)
    org.write("content/marketing/summit/campaign.yaml", SUMMIT)
    org.write("content/brand/launch/campaign.yaml", LAUNCH)
    for rel, text in ACCOUNTS.items():
        org.write(rel, text)


@pytest.fixture
def tricky(org):
    """Two teams whose posts meet on shared accounts, across accounts and across time."""
    two_teams(org)
    source = post(org, "content/marketing/summit/source.yaml", "marketing-outbox", "2027-06-01T09:00:00+00:00")
    old_hash = hashlib.sha256(b"an older text").hexdigest()[:12]
    posts = [
        # another team's post on the same account within the gap: a collision named in both
        post(org, "content/brand/launch/a.yaml", "brand-x", "2026-12-09T10:00:00+00:00"),
        post(org, "content/marketing/summit/m.yaml", "brand-x", "2026-12-09T10:30:00+00:00"),
        # a daily cap reached by other posts, of both teams
        post(org, "content/brand/launch/d1.yaml", "brand-x", "2026-12-15T08:00:00+00:00"),
        post(org, "content/marketing/summit/d2.yaml", "brand-x", "2026-12-15T11:00:00+00:00"),
        post(org, "content/brand/launch/d3.yaml", "brand-x", "2026-12-15T14:00 Europe/London"),
        post(org, "content/marketing/summit/d4.yaml", "brand-x", "2026-12-15T17:00"),
        # a near-duplicate by the other team, on other accounts, nine days later
        post(org, "content/brand/launch/news.yaml", "brand-outbox", "2026-12-03T09:00:00+00:00", NEWS + "."),
        post(org, "content/marketing/summit/news-copy.yaml", "marketing-outbox", "2026-12-12T09:00:00+00:00",
             NEWS + "!"),
        # the neighbour on an account with a 30-day gap is 20 days away
        post(org, "content/brand/launch/slow1.yaml", "brand-slow", "2026-12-05T09:00:00+00:00"),
        post(org, "content/brand/launch/slow2.yaml", "brand-slow", "2026-12-25T09:00:00+00:00"),
        # a stale translation whose source is half a year away, in another team
        post(org, "content/brand/launch/source-de.yaml", "brand-outbox", "2026-12-20T09:00:00+00:00",
             extra=f"translation_of: {{post: marketing/summit/source, source_hash: {old_hash}}}\n"),
        source,
        # a translation of a post that does not exist: the hint names the closest id of all, here
        # a post no other one needs
        post(org, "content/brand/launch/typo-de.yaml", "brand-outbox", "2026-12-21T09:00:00+00:00",
             extra="translation_of: {post: marketing/summit/farawy}\n"),
        post(org, "content/marketing/summit/faraway.yaml", "marketing-outbox", "2027-09-01T09:00:00+00:00"),
        # a suppression that silences the quiet hours, and one that silences nothing
        post(org, "content/brand/launch/late.yaml", "brand-x", "2026-12-20T23:00:00+00:00",
             extra="allow:\n  - {rule: schedule.quiet-hours, reason: the launch is at midnight}\n"
                   "  - {rule: duplicates.same-account, reason: none yet}\n"),
        # an on_merge post stands at the current time: near the post of another team 9 days on
        post(org, "content/marketing/summit/now.yaml", "marketing-outbox", None, "Doors open for the summit "
             "today, come and meet the platform team at the booth", "on_merge: true\n"),
        post(org, "content/brand/launch/soon.yaml", "brand-outbox", "2026-12-02T09:00:00+00:00",
             "Doors open for the summit today, come and meet the platform team at our booth"),
        # a draft with no time, and a post whose id is taken by a second file
        post(org, "content/brand/launch/draft.yaml", "brand-x", None, extra="status: draft\n"),
        post(org, "content/brand/launch/twin.yaml", "brand-x", "2026-12-28T10:00:00+00:00"),
        post(org, "content/brand/launch/twin.yml", "brand-x", "2026-12-28T10:30:00+00:00"),
        "content/brand/launch/teaser.yaml",
        # under its campaign's embargo
        post(org, "content/brand/press/early.yaml", "brand-outbox", "2026-12-09T08:00:00+00:00"),
    ]
    org.write("content/brand/press/campaign.yaml", LAUNCH.replace("Launch", "Press")
              + "embargo: 2026-12-10T09:00:00+00:00\n")
    org.named = posts
    return org


def forget_results(org) -> None:
    """Drop the last full check's findings, which a re-check of an unchanged repository replays:
    the narrowed run must work them out."""
    (org.root / RESULTS).unlink(missing_ok=True)


def narrowed_is_full(org, *flags: str, cold: bool = False) -> None:
    code, full = org.check(*flags)
    assert code == 1 and full  # the org holds errors and warnings in many files
    for rel in org.named:
        forget_results(org)
        if cold:
            shutil.rmtree(org.root / CACHE, ignore_errors=True)
        narrow_code, got = org.check(*flags, rel)
        want = [f for f in full if f["file"] == rel]
        assert got == want, rel
        assert narrow_code == (1 if any(f["level"] == "error" for f in want) else 0), rel


def test_the_tricky_cases_are_found(tricky):
    _, found = tricky.check()
    rules = {(f["file"].rsplit("/", 1)[1], f["rule"]) for f in found}
    assert {("a.yaml", "schedule.collision"), ("m.yaml", "schedule.collision"),
            ("d4.yaml", "schedule.daily-cap"), ("news-copy.yaml", "duplicates.cross-team"),
            ("slow2.yaml", "schedule.min-gap"), ("source-de.yaml", "translations.stale"),
            ("typo-de.yaml", "translations.source"), ("late.yaml", "allow.unused"),
            ("soon.yaml", "duplicates.cross-team"), ("early.yaml", "embargo.before-lift")} <= rules
    assert ("late.yaml", "schedule.quiet-hours") not in rules
    typo = next(f for f in found if f["rule"] == "translations.source")
    assert typo["hint"] == "did you mean 'marketing/summit/faraway'?"


def test_narrowed_without_a_cache(tricky):
    narrowed_is_full(tricky, "--no-cache")


def test_narrowed_with_a_cold_cache(tricky):
    narrowed_is_full(tricky, cold=True)


def test_narrowed_with_a_warm_cache(tricky):
    time.sleep(2.1)  # older files are cached (see cache.RACY_NS)
    tricky.check()
    narrowed_is_full(tricky)


def test_narrowed_after_the_named_file_changed(tricky):
    time.sleep(2.1)
    tricky.check()
    for rel in tricky.named:  # as pre-commit runs it: the file named was just edited
        path = tricky.root / rel
        path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    narrowed_is_full(tricky)


def test_a_post_moved_next_to_the_named_one_is_seen(tricky):
    time.sleep(2.1)
    tricky.check()
    forget_results(tricky)
    slow1 = "content/brand/launch/slow1.yaml"
    assert tricky.check(slow1)[1] == []
    # far away in the cache, but changed since: now on brand-slow ten days after slow1
    post(tricky, "content/marketing/summit/source.yaml", "brand-slow, marketing-outbox",
         "2026-12-15T09:00:00+00:00", extra="")
    tricky.write("content/brand/accounts/brand-slow.yaml", ACCOUNTS["content/brand/accounts/brand-slow.yaml"]
                 + "contributors: [marketing]\n")
    forget_results(tricky)
    code, found = tricky.check(slow1)
    assert code == 1
    assert [f["rule"] for f in found] == ["schedule.collision"]
    narrowed_is_full(tricky)


def test_the_duplicates_window_allows_for_zones(org):
    """Published on days four apart as written, but under two days apart as instants: the
    narrowed run must still compare them."""
    two_teams(org)
    org.write("policies/voice.yaml", "duplicates: {days: 2}\n")
    # 23:30 at UTC-11 is 10:30 UTC the next day; midnight at UTC+14 is 10:00 UTC the day before
    post(org, "content/marketing/summit/west.yaml", "marketing-west", "2026-12-06T23:30", NEWS + ".")
    east = post(org, "content/brand/launch/east.yaml", "brand-east", "2026-12-10T00:00", NEWS + "!")
    far = post(org, "content/brand/launch/far.yaml", "brand-east", "2026-12-11T12:00", NEWS + "?")
    code, found = org.check()
    assert [(f["file"], f["rule"]) for f in found if f["rule"].startswith("duplicates.")] == [
        (east, "duplicates.cross-team"), (far, "duplicates.same-account")]
    org.named = [east, far]
    narrowed_is_full(org, "--no-cache")


def test_a_narrowed_load_builds_only_the_posts_it_needs(tricky):
    posts = set(load(tricky.root, focus=["content/brand/launch/slow1.yaml"], needed=needed).posts)
    assert {"brand/launch/slow2",  # on its account, twenty days later (its minimum gap is 30 days)
            "marketing/summit/now"} <= posts  # on_merge: stands at the current time, which loading does not know
    assert not posts & {"brand/launch/news", "marketing/summit/m",  # in its duplicates window, unlike it
                        "brand/launch/d1", "marketing/summit/news-copy", "brand/launch/source-de",
                        "brand/launch/twin", "marketing/summit/source", "brand/launch/draft"}
    posts = set(load(tricky.root, focus=["content/marketing/summit/news-copy.yaml"], needed=needed).posts)
    assert "brand/launch/news" in posts  # nine days before it, nearly the same text
    assert "brand/launch/soon" not in posts  # ten days before it, another text
    posts = set(load(tricky.root, focus=["content/brand/launch/a.yaml"], needed=needed).posts)
    assert "marketing/summit/m" in posts  # on its account half an hour later
    assert not posts & {"brand/launch/d1", "brand/launch/late", "brand/launch/twin"}  # on its account, days away
    posts = set(load(tricky.root, focus=["content/brand/launch/source-de.yaml"], needed=needed).posts)
    assert "marketing/summit/source" in posts and "brand/launch/twin" not in posts  # its source, half a year on
    # a post going out on merge is compared with the posts before the current time: all of them
    assert len(load(tricky.root, focus=["content/marketing/summit/now.yaml"], needed=needed).posts) == len(load(tricky.root).posts)


def test_narrowed_to_a_ledger_record(tricky):
    """pre-commit passes ledger records too: a published post moved away is found by comparing
    the record with every post."""
    fingerprint = load(tricky.root).posts["brand/launch/slow1"].fingerprint()
    record = "state/ledger/brand/launch/slow1.json"
    tricky.write(record, json.dumps({"post": "brand/launch/slow1", "fingerprint": fingerprint, "targets": {
        "brand-slow": {"status": "published", "id": "1", "url": "https://example.com/1"}}}))
    moved = tricky.root / "content/brand/launch/slow1.yaml"
    moved.rename(moved.with_name("slow1-moved.yaml"))
    _, found = tricky.check(record)
    assert [f["rule"] for f in found] == ["published.moved"]
    tricky.named = [record, "content/brand/launch/slow1-moved.yaml"]
    narrowed_is_full(tricky, "--no-cache")


def test_a_folder_holding_a_shared_file_is_the_whole_repository(tricky):
    """An account's own findings can hang on posts of any team (here a blackout schedule cannot
    read, found only when a post goes to the account): naming its folder checks everything."""
    account = "content/marketing/accounts/marketing-outbox.yaml"
    tricky.write(account, ACCOUNTS[account] + "limits:\n  blackouts: [{start: soon, end: later}]\n")
    code, full = tricky.check("--no-cache")
    assert (account, "time.invalid") in {(f["file"], f["rule"]) for f in full}
    assert tricky.check("--no-cache", "content/marketing/") == (code, full)
    assert tricky.check("--no-cache", "content/marketing/summit/") == (code, full)  # its campaign.yaml

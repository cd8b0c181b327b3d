"""The results cache replays the last full check only while nothing it read has changed: files,
media, the ledger, git, and the clock."""
from __future__ import annotations

import time

from accord.check import results
from conftest import POST, rules_at
from rules.conftest import commit_all, post, record, shared, text_for  # noqa: F401 (shared: the fixture)

PARSED = ".accord-cache/parsed-v1.marshal"
RESULTS = ".accord-cache/results-v1.marshal"
TEASER = "content/brand/launch/teaser.yaml"
NOW = "2026-11-23T12:00:00+00:00"
NO_TWICE = """\
rules:
  - id: no-twice
    type: existence
    level: error
    message: "say how much faster"
    tokens: [twice]
"""  # a voice policy that flags the teaser's "twice"


def _settle() -> None:
    """A file changed in the last two seconds may change again without its mtime moving: the
    results of a run that read one are not kept. Tests wait that long before a run whose
    results should be kept."""
    time.sleep(2.1)


def _replayed(org, *args: str):
    """Check with the parse cache spoiled: a run that replays stored findings reads no YAML, so
    the spoiled parse cache survives it; a run that checks afresh replaces it."""
    (org.root / PARSED).write_bytes(b"spoiled")
    result = org.check(*args)
    return (org.root / PARSED).read_bytes() == b"spoiled", result


def test_an_unchanged_repository_is_answered_from_the_last_check(org):
    org.write("content/brand/launch/shout.yaml", POST.replace("locale: en", "locale: EN"))
    _settle()
    first = org.check()
    assert first[0] == 1 and rules_at(first[1]) == [("content/brand/launch/shout.yaml", "schema.format", 5)]
    assert _replayed(org) == (True, first)
    # The replay keeps the report whole: the json reporter's file count, the text summary.
    assert '"files_checked": 6' in org.run("check", "--format", "json", "--now", NOW).output
    # A narrowed run is answered from it too, for the files it names.
    assert _replayed(org, TEASER) == (True, (0, []))
    assert _replayed(org, "content/brand/launch/shout.yaml") == (True, first)


def test_every_kind_of_change_is_checked_afresh(org):
    _settle()
    assert org.check() == (0, [])
    # An edit to a post.
    org.write(TEASER, POST.replace("locale:", "lcoale:"))
    assert rules_at(org.check()[1]) == [(TEASER, "schema.unknown-key", 5)]
    org.write(TEASER, POST)
    # A new file, then the file gone.
    org.write("content/brand/launch/second.yaml", POST.replace("accounts:", "acounts:"))
    assert rules_at(org.check()[1])[0][:2] == ("content/brand/launch/second.yaml", "schema.required")
    org.remove("content/brand/launch/second.yaml")
    assert org.check() == (0, [])
    # A policy: voice bans a word the post uses.
    org.write("policies/voice.yaml", NO_TWICE)
    assert rules_at(org.check()[1]) == [(TEASER, "voice.no-twice", 2)]
    org.remove("policies/voice.yaml")
    # CODEOWNERS, which the ownership rule compares with the teams, right after a kept run.
    _settle()
    assert org.check() == (0, [])
    org.write(".github/CODEOWNERS", "* @testorg/brand\n")
    assert rules_at(org.check()[1]) == [(".github/CODEOWNERS", "ownership.codeowners", 1)]
    org.remove(".github/CODEOWNERS")
    _settle()
    assert org.check() == (0, [])
    assert _replayed(org)[0]


def test_a_replaced_media_file_is_measured_again(shared):  # noqa: F811 (the fixture)
    shared.write(TEASER, POST.replace("[brand-outbox]", "[brand-x]")
                 + "media:\n  - {path: media/chart.png, alt: A chart of build times.}\n")
    png = shared.root / "content/brand/launch/media/chart.png"
    png.parent.mkdir()
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    _settle()
    assert shared.check() == (0, [])
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(6 * 1024 * 1024))  # X takes images up to 5 MB
    code, found = shared.check()
    assert code == 1 and rules_at(found) == [(TEASER, "platform.media-size", 7)]


def test_the_ledger_and_git_decide_what_is_new(shared):  # noqa: F811 (the fixture)
    post(shared, "content/brand/launch/a.yaml", "2026-11-20T10:00:00+00:00")
    shared.write("content/brand/launch/campaign.yaml",
                 (shared.root / "content/brand/launch/campaign.yaml").read_text().replace("2026-12-01", "2026-11-01"))
    _settle()
    past = [("content/brand/launch/a.yaml", "schedule.past", 3)]
    assert [r for r in rules_at(shared.check()[1]) if r[1].startswith("schedule.")] == past
    # Outside git: a post the ledger knows is no longer new.
    record(shared, "brand/launch/a", {"brand-x": "missed"})
    assert [r for r in rules_at(shared.check()[1]) if r[1].startswith("schedule.")] == []
    shared.remove("state/ledger/brand/launch/a.json")
    assert [r for r in rules_at(shared.check()[1]) if r[1].startswith("schedule.")] == past
    # In git: committed, the post is no longer a change; nothing else on disk moved but HEAD.
    commit_all(shared)
    assert [r for r in rules_at(shared.check()[1]) if r[1].startswith("schedule.")] == []


def test_the_clock_moves_findings_on(org):
    # The teaser (2026-12-08 10:00, not committed anywhere) is a new post: it must not be due
    # within the lead time (1h) nor be in the past.
    _settle()
    assert org.check("--now", "2026-12-01T09:00:00+00:00") == (0, [])
    assert _replayed(org, "--now", "2026-12-01T10:00:00+00:00") == (True, (0, []))  # nothing turns
    code, found = org.check("--now", "2026-12-08T09:20:00+00:00")
    assert rules_at(found) == [(TEASER, "schedule.lead-time", 4)] and "40m from now" in found[0]["message"]
    code, found = org.check("--now", "2026-12-08T09:40:00+00:00")  # the text counts the minutes
    assert "20m from now" in found[0]["message"]
    code, found = org.check("--now", "2026-12-08T10:30:00+00:00")
    assert (code, rules_at(found)) == (1, [(TEASER, "schedule.past", 4)])


def test_an_on_merge_post_meets_the_posts_near_the_clock(org):
    later = "content/brand/launch/later.yaml"
    org.write(later, f"text: {text_for(later)}\naccounts: [brand-outbox]\npublish_at: 2026-12-20T10:00:00+00:00\n")
    org.write("content/marketing/team.yaml", "name: Marketing\ngithub_team: testorg/marketing\n"
              "members: [carol]\ntimezone: Europe/London\n")
    org.write("content/marketing/accounts/marketing-outbox.yaml", "platform: outbox\nhandle: '@mkt'\n")
    org.write("content/marketing/push/campaign.yaml", "name: Push\nowner: carol\nutm_campaign: push\n"
              "window: {start: 2026-11-01, end: 2027-01-31}\n"
              "objective: {metric: sign_ups, baseline: 1, target: 5, deadline: 2027-03-01}\n")
    org.write("content/marketing/push/now.yaml", f"text: {text_for(later)}\naccounts: [marketing-outbox]\non_merge: true\n")
    _settle()

    def duplicates(now: str) -> list:
        return [r for r in rules_at(org.check("--now", now)[1]) if r[1].startswith("duplicates.")]

    assert duplicates("2026-11-23T12:00:00+00:00") == []  # merged today: 27 days before the other
    assert duplicates("2026-11-23T13:00:00+00:00") == []
    assert duplicates("2026-12-10T12:00:00+00:00") == [(later, "duplicates.cross-team", 1)]  # 10 days


def test_no_cache_and_a_damaged_cache(org):
    org.write("content/brand/launch/shout.yaml", POST.replace("locale: en", "locale: EN"))
    _settle()
    expected = org.check("--no-cache")
    assert expected[0] == 1
    assert not (org.root / ".accord-cache").exists()
    assert org.check() == expected
    results = org.root / RESULTS
    good = results.read_bytes()
    at = good.index(b"locale")  # inside a stored message: a flipped byte there must not be shown
    damages = (good[: len(good) // 2], good[:at] + b"L" + good[at + 1:], b"not a cache", b"")
    for damaged in damages:
        results.write_bytes(damaged)
        assert org.check() == expected
    assert _replayed(org) == (True, expected)  # and a good one was written again


def test_a_damaged_per_file_part_means_every_post_is_checked_again(org):
    org.write("policies/voice.yaml", NO_TWICE)
    other = "content/brand/launch/other.yaml"
    org.write(other, "text: Remote caching arrives.\naccounts: [brand-outbox]\npublish_at: 2026-12-09T15:00:00+00:00\n")
    _settle()
    assert rules_at(org.check()[1]) == [(TEASER, "voice.no-twice", 2)]
    results = org.root / RESULTS
    good = results.read_bytes()
    results.write_bytes(good[:-1] + bytes([good[-1] ^ 0xFF]))  # the end of the file: the per-file part
    org.write(other, "text: Remote caching arrives twice.\naccounts: [brand-outbox]\npublish_at: 2026-12-09T15:00:00+00:00\n")
    expected = org.check("--no-cache")
    assert rules_at(expected[1]) == [(other, "voice.no-twice", 1), (TEASER, "voice.no-twice", 2)]
    assert org.check() == expected


def test_per_file_findings_kept_for_unchanged_posts_follow_edits_and_policies(org):
    # platform, voice and secrets find on a post from the post and the shared files alone: a
    # re-check after an edit runs them on the edited post and keeps the rest.
    org.write("policies/voice.yaml", NO_TWICE)
    other = "content/brand/launch/other.yaml"
    says = "text: Remote caching arrives for {} pipeline in the spring.\naccounts: [brand-outbox]\n" \
           "publish_at: 2026-12-09T15:00:00+00:00\n"
    org.write(other, says.format("every"))
    _settle()
    assert rules_at(org.check()[1]) == [(TEASER, "voice.no-twice", 2)]
    org.write(other, says.format("twice the"))  # now it says "twice" too
    assert rules_at(org.check()[1]) == [(other, "voice.no-twice", 1), (TEASER, "voice.no-twice", 2)]
    _settle()
    assert len(org.check()[1]) == 2
    org.remove(TEASER)  # its kept finding goes with it
    assert rules_at(org.check()[1]) == [(other, "voice.no-twice", 1)]
    org.write("policies/voice.yaml", "rules: []\n")  # a shared file: every post is checked again
    assert org.check() == (0, [])


def test_the_walk_finds_the_files_the_loader_would(org):
    # The results cache's walk hands its files to the loader: hidden folders, links to folders
    # and dangling links must come out as the loader's own walk has them.
    org.write("content/brand/.drafts/idea.yaml", "text: [not even yaml\n")  # hidden: not read
    (org.root / "content/brand/launch/gone.yaml").symlink_to(org.root / "nowhere.yaml")
    (org.root / "content/brand/elsewhere").symlink_to(org.root / "content/brand/launch")
    (org.root / "content/brand/launch/folder.yaml").symlink_to(org.root / "content/brand/accounts")
    expected = org.check("--no-cache")
    assert rules_at(expected[1]) == [("content/brand/launch/gone.yaml", "yaml.read", 1)]
    assert org.check() == expected
    _settle()
    assert org.check() == expected
    assert _replayed(org) == (True, expected)


def test_two_walkers_find_what_one_does(org):
    # A large repository is walked by two processes, a team folder each in turn.
    org.write("content/.archive/old/post.yaml", "text: [not even yaml\n")  # a hidden team folder
    org.write("content/sales/team.yaml", "name: Sales\n")
    org.write("content/sales/.drafts/idea.yaml", "text: x\n")
    org.write("content/stray.yaml", "text: x\n")  # beside the teams: read, and warned about
    org.write("content/brand/launch/media/hero.png", "png")
    org.write("state/ledger/brand/launch/teaser.json", "{}")
    (org.root / "content/brand/launch/gone.yaml").symlink_to(org.root / "nowhere.yaml")
    (org.root / "content/linked").symlink_to(org.root / "content/brand")  # a link to a team folder
    one = results._walk(org.root, ("state", None, "state/business"), ["media/logo.png"])
    two = results._walk(org.root, ("state", None, "state/business"), ["media/logo.png"], split=True)
    assert two == one
    files, _, listing = one
    assert "content/sales/team.yaml" in files and "content/stray.yaml" in files
    assert not any(".archive" in f or ".drafts" in f or f.startswith("state") for f in files)
    assert {"content/.archive/old/post.yaml", "state/ledger/brand/launch/teaser.json",
            "content/brand/launch/media/hero.png", "content/linked",
            "media/logo.png"} <= {rel for rel, *_ in listing}


def test_the_key_does_not_depend_on_what_else_refers_to_the_listing(org):
    # The key is worked out when first needed, after the loader may have taken the same objects.
    cache = results.ResultCache(org.root, None)
    first = cache._digest(cache.listing, cache.git_before)
    held = [entry for entry in cache.listing] + [rel for rel, *_ in cache.listing]  # a second reference to each
    assert cache._digest(cache.listing, cache.git_before) == first and held

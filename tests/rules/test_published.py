from __future__ import annotations

from .conftest import commit_all, git, mine, record

TEASER = "content/brand/launch/teaser.yaml"
LEDGER = "state/ledger/brand/launch/teaser.json"


def test_unchanged_published_post_passes(org):
    record(org, "brand/launch/teaser", {"brand-outbox": "published"})
    code, found = org.check()
    assert code == 0
    assert mine(found) == []


def test_editing_a_published_post_is_an_error(org):
    record(org, "brand/launch/teaser", {"brand-outbox": "published"})
    org.write(TEASER, """\
    text: |
      Our new release builds three times as fast. #TestLaunch
    accounts: [brand-outbox]
    publish_at: 2026-12-08T10:00:00+00:00
    locale: en
    """)
    code, found = org.check()
    assert code == 1
    assert mine(found) == [(TEASER, "published.edited", 1)]
    f = next(f for f in found if f["rule"] == "published.edited")
    assert "published (brand-outbox https://example.com/brand-outbox/1)" in f["message"]
    assert "status: retracted" in f["hint"]
    # Retracting is the way out: the publisher deletes it from the network.
    org.write(TEASER, (org.root / TEASER).read_text() + "status: retracted\n")
    code, found = org.check()
    assert mine(found) == []


def test_a_failed_post_may_still_be_edited(org):
    record(org, "brand/launch/teaser", {"brand-outbox": "failed"}, fingerprint="0000")
    assert mine(org.check()[1]) == []


def test_deleting_a_published_post_points_at_the_ledger(org):
    record(org, "brand/launch/teaser", {"brand-outbox": "published"})
    org.remove(TEASER)
    code, found = org.check()
    assert code == 1
    assert mine(found) == [(LEDGER, "published.deleted", 3)]


def test_moving_a_published_post_is_an_error(org):
    record(org, "brand/launch/teaser", {"brand-outbox": "published"})
    text = (org.root / TEASER).read_text()
    org.remove(TEASER)
    org.write("content/brand/launch/teaser-renamed.yaml", text)
    code, found = org.check()
    assert code == 1
    assert mine(found) == [(LEDGER, "published.moved", 3)]
    f = next(f for f in found if f["rule"] == "published.moved")
    assert "was moved to content/brand/launch/teaser-renamed.yaml" in f["message"]


def test_deleting_a_retracted_post_is_fine(org):
    record(org, "brand/launch/teaser", {"brand-outbox": "retracted"})
    org.remove(TEASER)
    assert mine(org.check()[1]) == []


def test_a_damaged_ledger_record_is_reported_at_its_file(org):
    org.write(LEDGER, '{"post": "brand/launch/teaser", "targets": ')
    code, found = org.check()
    assert code == 1
    assert mine(found) == [(LEDGER, "published.ledger", 1)]
    assert "restore it from git history" in found[0]["message"]


def test_a_change_that_writes_the_ledger_by_hand_is_an_error(org):
    """Deleting a record would make its post due again (a second post on the networks); editing
    or adding one would make the ledger lie. Against --base, only what the branch itself changed
    counts: the publisher's own records on the base since the branch forked are not the change's."""
    record(org, "brand/launch/teaser", {"brand-outbox": "published"})
    commit_all(org, "published")
    (org.root / LEDGER).unlink()
    code, found = org.check()
    written = [(f["file"], f["rule"], f["message"], f["hint"]) for f in found if f["rule"] == "published.ledger-written"]
    assert written == [(LEDGER, "published.ledger-written",
                        "this change deleted a ledger record; only the publisher writes the ledger, and a post "
                        "whose record is gone would be published again", f"git checkout HEAD -- {LEDGER}")]
    git(org, "checkout", "-q", "--", LEDGER)
    assert [f for f in org.check()[1] if f["rule"] == "published.ledger-written"] == []
    # On a branch: the branch edits the record; main meanwhile gets a record from the publisher.
    git(org, "checkout", "-q", "-b", "edit-ledger")
    (org.root / LEDGER).write_text((org.root / LEDGER).read_text().replace("brand-outbox/1", "brand-outbox/2"))
    commit_all(org, "hand edit")
    git(org, "checkout", "-q", "main")
    org.write("state/ledger/brand/launch/other.json", (org.root / LEDGER).read_text().replace(
        "brand/launch/teaser", "brand/launch/other"))
    commit_all(org, "the publisher's record")
    git(org, "checkout", "-q", "edit-ledger")
    code, found = org.check("--base", "main")
    assert [(f["file"], f["message"].split(";")[0]) for f in found if f["rule"] == "published.ledger-written"] == [
        (LEDGER, "this change edited a ledger record")]

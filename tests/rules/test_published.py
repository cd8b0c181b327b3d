from __future__ import annotations

from .conftest import mine, record

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

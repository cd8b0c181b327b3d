"""The read side: every target's status as the plan, the ledger and the freeze say it stands."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from accord.model import load
from accord.state import State


def _post(text: str, extra: str = "", accounts: str = "[brand-outbox]") -> str:
    return f"text: {text}\naccounts: {accounts}\nlocale: en\n{extra}"


def _record(org, post_id: str, account: str, **entry) -> None:
    org.write(f"state/ledger/{post_id}.json", json.dumps(
        {"post": post_id, "fingerprint": "f" * 16, "targets": {account: {"attempts": 1, "parts": [], **entry}}}))


def _statuses(org, now="2026-12-07T12:00:00+00:00") -> dict[str, tuple]:
    state = State(load(org.root, use_cache=False), datetime.fromisoformat(now))
    return {s.key: (s.status, s.detail, s.url) for s in state.targets()}


def test_each_target_has_the_status_a_planner_would_name(org):
    org.write("content/brand/launch/draft.yaml", _post("A draft", "publish_at: 2026-12-09T10:00:00+00:00\nstatus: draft\n"))
    org.write("content/brand/launch/gone.yaml", _post("Called off", "publish_at: 2026-12-09T11:00:00+00:00\nstatus: cancelled\n"))
    org.write("content/brand/launch/merge.yaml", _post("On merge", "on_merge: true\n"))
    org.write("content/brand/launch/secret.yaml", _post("Under embargo", "publish_at: 2026-12-09T12:00:00+00:00\n"
                                                        "embargo: 2026-12-10T09:00:00+00:00\n"))
    org.write("content/brand/launch/out.yaml", _post("Out already", "publish_at: 2026-12-01T10:00:00+00:00\n"))
    _record(org, "brand/launch/out", "brand-outbox", status="published", url="file:///outbox/out.0.json",
            published_at="2026-12-01T10:00:04+00:00", lateness_s=4)
    org.write("content/brand/launch/refused.yaml", _post("Refused", "publish_at: 2026-12-02T10:00:00+00:00\n"))
    _record(org, "brand/launch/refused", "brand-outbox", status="failed", error="the network refused it")
    got = _statuses(org)
    assert got["brand/launch/teaser@brand-outbox"] == ("ready", "", None)
    assert got["brand/launch/draft@brand-outbox"][0] == "draft"
    assert got["brand/launch/gone@brand-outbox"][0] == "cancelled"
    assert got["brand/launch/merge@brand-outbox"][0] == "on_merge"
    assert got["brand/launch/secret@brand-outbox"][:2] == ("embargoed", "embargoed until 2026-12-10T09:00:00+00:00")
    assert got["brand/launch/out@brand-outbox"] == ("published", "", "file:///outbox/out.0.json")
    assert got["brand/launch/refused@brand-outbox"][:2] == ("failed", "the network refused it")


def test_a_freeze_covers_its_scope_only(org):
    org.write("content/brand/accounts/brand-news.yaml", 'platform: outbox\nhandle: "@news"\n')
    org.write("content/brand/launch/both.yaml", _post("Both", "publish_at: 2026-12-09T10:00:00+00:00\n",
                                                      "[brand-outbox, brand-news]"))
    org.write("policies/freeze.yaml", "freezes:\n  - {reason: Incident review, since: '2026-12-07T09:00:00+00:00', "
                                      "account: brand-news}\n")
    got = _statuses(org)
    assert got["brand/launch/both@brand-news"][:2] == (
        "frozen", "frozen (account brand-news) since 2026-12-07T09:00:00+00:00: Incident review")
    assert got["brand/launch/both@brand-outbox"][0] == "ready"


def test_targets_come_in_time_order_with_on_merge_last(org):
    org.write("content/brand/launch/early.yaml", _post("Early", "publish_at: 2026-12-08T09:00:00+00:00\n"))
    org.write("content/brand/launch/merge.yaml", _post("On merge", "on_merge: true\n"))
    state = State(load(org.root, use_cache=False), datetime(2026, 12, 7, tzinfo=timezone.utc))
    assert [s.key for s in state.targets()] == [
        "brand/launch/early@brand-outbox", "brand/launch/teaser@brand-outbox", "brand/launch/merge@brand-outbox"]

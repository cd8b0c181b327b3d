"""The ledger file format others read (the published-immutable rule, reports)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from accord import ledger


def test_a_record_is_small_sorted_json_with_a_trailing_newline(tmp_path):
    folder = ledger.folder(tmp_path, "state")
    rec = ledger.Record("brand/launch/teaser", "abc123", {
        "brand-x": ledger.Entry("published", platform="x", id="1", url="https://x.com/b/status/1",
                                parts=[{"id": "1", "url": "https://x.com/b/status/1", "at": "2026-03-03T09:00:00+00:00"}],
                                claimed_at="2026-03-03T09:00:00+00:00", published_at="2026-03-03T09:00:00+00:00",
                                lateness_s=0, run="local-1", attempts=1),
        "brand-outbox": ledger.Entry("missed", platform="outbox", lateness_s=30000, error="too late"),
    })
    path = ledger.save(folder, rec)
    assert path == tmp_path / "state/ledger/brand/launch/teaser.json"
    text = path.read_text()
    assert text.endswith("}\n") and text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"
    data = json.loads(text)
    assert list(data) == ["fingerprint", "post", "targets"]
    assert "url" not in data["targets"]["brand-outbox"]  # unset fields stay out of the diff
    assert data["targets"]["brand-outbox"]["parts"] == []
    settings = SimpleNamespace(state_path="state", state_branch=None)
    back = ledger.read(tmp_path, settings)
    assert back == {"brand/launch/teaser": rec}
    assert ledger.save(folder, back["brand/launch/teaser"]).read_text() == text  # stable


def test_an_unreadable_record_is_a_sentence_naming_the_file(tmp_path):
    bad = tmp_path / "state/ledger/brand/x.json"
    bad.parent.mkdir(parents=True)
    bad.write_text("{not json")
    with pytest.raises(ledger.LedgerError, match=r"brand/x\.json is not a ledger record"):
        ledger.read(tmp_path, SimpleNamespace(state_path="state", state_branch=None))

"""`accord status`: where every target stands and what needs a person, for a scope."""
from __future__ import annotations

import json

from .conftest import accord, post, publish

NOW = "2026-03-03T09:00:00+00:00"


def test_status_shows_each_group_with_why_and_gates_on_what_needs_a_person(origin):
    origin.write("content/brand/launch/out.yaml", post("Out", ["brand-outbox"], "2026-03-03T08:50:00Z"))
    origin.write("content/brand/launch/soon.yaml", post("Soon", ["brand-outbox"], "2026-03-03T09:10:00Z"))
    origin.write("content/brand/launch/later.yaml", post("Later", ["brand-outbox"], "2026-03-05T09:00:00Z"))
    origin.write("content/news/weekly/bad.yaml", post("Bad", ["news-outbox"], "2026-03-03T09:05:00Z",
                                                     reply_to="news/weekly/nothing"))
    origin.push()
    runner = origin.clone()
    # (bad is not due yet, so this run only waits for it; status already says it is blocked)
    assert publish(runner, "--look-ahead", "0", now="2026-03-03T08:55:00+00:00").code == 0
    run = accord(runner, "status", "--format", "json", "--now", NOW)
    assert run.code == 1, run.out + run.err
    groups = json.loads(run.out)["groups"]
    assert [r["post"] for r in groups["published"]] == ["brand/launch/out"]
    assert groups["published"][0]["url"].startswith("file://")
    assert [r["post"] for r in groups["due"]] == ["brand/launch/soon"]
    assert [r["post"] for r in groups["scheduled"]] == ["brand/launch/later"]
    [blocked] = groups["blocked"]
    assert blocked["post"] == "news/weekly/bad" and "post.unknown-reference" in blocked["detail"]
    assert "fix what the check finds" in blocked["todo"]
    # a scope without anything stuck passes the gate
    brand = accord(runner, "status", "--team", "brand", "--now", NOW)
    assert brand.code == 0 and "nothing needs a person" in brand.out and "news/weekly/bad" not in brand.out
    assert "due next (1)" in brand.out and "recently published (1)" in brand.out
    only = json.loads(accord(runner, "status", "--account", "news-outbox", "--format", "json", "--now", NOW).out)
    assert [r["post"] for g in only["groups"].values() for r in g] == ["news/weekly/bad"]
    wrong = accord(runner, "status", "--team", "brnd")
    assert wrong.code == 2 and "did you mean 'brand'?" in wrong.err

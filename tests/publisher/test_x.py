"""accord publish to X end to end: the real tweepy client over real HTTP to the imitation X
server on 127.0.0.1, faults included."""
from __future__ import annotations

import time

from .conftest import Origin, minutes_ago, post, publish, thread, x_env

TARGET = "brand/launch/teaser@brand-x"


def _org(tmp_path, x_server, text="Twice as fast, on every runner.", **extra) -> Origin:
    origin = Origin(tmp_path, x_base=x_server.base)
    origin.write("content/brand/launch/teaser.yaml", post(text, ["brand-x"], minutes_ago(1), **extra))
    origin.push()
    return origin


def test_posts_to_x_and_records_the_id_and_url(tmp_path, x_server):
    origin = _org(tmp_path, x_server, link="https://example.org/launch")
    run = publish(origin.clone(), "--format", "json", env=x_env())
    assert run.code == 0, run.err
    [tweet] = x_server.posts
    assert tweet["text"].startswith("Twice as fast, on every runner.\n\nhttps://example.org/launch?utm_source=x")
    entry = origin.entry("brand/launch/teaser", "brand-x")
    assert entry["status"] == "published" and entry["id"] == tweet["id"]
    assert entry["url"] == f"https://x.com/brand/status/{tweet['id']}"
    assert 60 <= entry["lateness_s"] < 120


def test_a_thread_on_x_is_a_chain_of_replies(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    origin.write("content/brand/launch/story.yaml", thread(["First", "Second"], ["brand-x"], minutes_ago(1)))
    origin.push()
    assert publish(origin.clone(), env=x_env()).code == 0
    first, second = x_server.posts
    assert second["in_reply_to"] == first["id"]
    assert [p["id"] for p in origin.entry("brand/launch/story", "brand-x")["parts"]] == [first["id"], second["id"]]


def test_rate_limit_with_a_near_reset_is_waited_for(tmp_path, x_server):
    origin = _org(tmp_path, x_server)
    x_server.fail("POST", "/2/tweets", "rate_limit", reset=int(time.time()) + 1)
    run = publish(origin.clone(), "--format", "json", env=x_env())
    assert run.code == 0 and run.by_status("published") == [TARGET]
    assert len(x_server.requests_to("POST", "/2/tweets")) == 2 and len(x_server.posts) == 1


def test_rate_limit_with_a_far_reset_leaves_the_target_for_the_next_run(tmp_path, x_server):
    origin = _org(tmp_path, x_server)
    x_server.fail("POST", "/2/tweets", "rate_limit", reset=int(time.time()) + 3600)
    runner = origin.clone()
    run = publish(runner, "--format", "json", env=x_env())
    assert run.code == 0
    waiting = run.outcome(TARGET)
    assert waiting["status"] == "waiting" and "rate limit" in waiting["detail"] and "next run" in waiting["detail"]
    assert origin.entry("brand/launch/teaser", "brand-x") is None and x_server.posts == []
    later = publish(runner, "--format", "json", env=x_env())
    assert later.by_status("published") == [TARGET] and len(x_server.posts) == 1


def test_a_server_error_is_reconciled_and_recorded_unknown_never_retried_blind(tmp_path, x_server):
    origin = _org(tmp_path, x_server)
    x_server.fail("POST", "/2/tweets", "status", status=503)
    runner = origin.clone()
    run = publish(runner, "--format", "json", env=x_env())
    assert run.code == 1
    unknown = run.outcome(TARGET)
    assert unknown["status"] == "unknown" and "503" in unknown["detail"] and "look there" in unknown["detail"]
    assert x_server.requests_to("GET", "/2/users/*/tweets")  # it asked before giving up
    entry = origin.entry("brand/launch/teaser", "brand-x")
    assert entry["status"] == "unknown" and "503" in entry["error"]
    again = publish(runner, "--format", "json", env=x_env())
    assert again.code == 0 and again.report["outcomes"] == []
    assert len(x_server.requests_to("POST", "/2/tweets")) == 1 and x_server.posts == []


def test_a_connection_dropped_after_the_post_was_made_is_found_by_reconciling(tmp_path, x_server):
    origin = _org(tmp_path, x_server)
    x_server.fail("POST", "/2/tweets", "drop")
    run = publish(origin.clone(), "--format", "json", env=x_env())
    assert run.code == 0, run.out
    [tweet] = x_server.posts
    assert origin.entry("brand/launch/teaser", "brand-x")["id"] == tweet["id"]
    assert len(x_server.requests_to("POST", "/2/tweets")) == 1


def test_a_duplicate_rejection_is_recorded_failed(tmp_path, x_server):
    origin = _org(tmp_path, x_server)
    x_server.fail("POST", "/2/tweets", "duplicate")
    run = publish(origin.clone(), "--format", "json", env=x_env())
    assert run.code == 1
    failed = run.outcome(TARGET)
    assert failed["status"] == "failed" and "duplicate" in failed["detail"]
    entry = origin.entry("brand/launch/teaser", "brand-x")
    assert entry["status"] == "failed" and "duplicate" in entry["error"]


def test_retract_deletes_the_post_on_x(tmp_path, x_server):
    origin = _org(tmp_path, x_server)
    runner = origin.clone()
    assert publish(runner, env=x_env()).code == 0
    origin.write("content/brand/launch/teaser.yaml", post("Twice as fast, on every runner.", ["brand-x"],
                                                          minutes_ago(1), status="retracted"))
    origin.push("Retract")
    run = publish(runner, "--format", "json", env=x_env())
    assert run.by_status("retracted") == [TARGET]
    assert x_server.posts == [] and x_server.requests_to("DELETE", "/2/tweets/*")
    assert origin.entry("brand/launch/teaser", "brand-x")["status"] == "retracted"

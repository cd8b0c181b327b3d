"""accord publish to Mastodon end to end: real Mastodon.py over real HTTP to the imitation
Mastodon server on 127.0.0.1, faults included."""
from __future__ import annotations

import time

import pytest
from networks import NETWORKS

from .conftest import Origin, minutes_ago, post, publish, thread

MASTODON = next(network for network in NETWORKS if network.name == "mastodon")
TARGET = "brand/launch/teaser@brand-mastodon"
ENV = MASTODON.env()


@pytest.fixture
def server():
    with MASTODON.serve() as server:
        yield server


def _org(tmp_path, server, text="Twice as fast, on every runner.", **extra) -> Origin:
    origin = Origin(tmp_path, accounts={MASTODON.account_id: MASTODON.account(server.base)})
    origin.write("content/brand/launch/teaser.yaml", post(text, ["brand-mastodon"], minutes_ago(1), **extra))
    origin.push()
    return origin


def test_posts_public_in_the_posts_language_and_records_the_id_and_url(tmp_path, server):
    origin = _org(tmp_path, server, link="https://example.org/launch", locale="de-AT")
    run = publish(origin.clone(), "--format", "json", env=ENV)
    assert run.code == 0, run.err
    [status] = server.posts
    assert status["text"].startswith("Twice as fast, on every runner.\n\nhttps://example.org/launch?utm_source=mastodon")
    assert (status["visibility"], status["language"]) == ("public", "de")
    entry = origin.entry("brand/launch/teaser", "brand-mastodon")
    assert entry["status"] == "published" and entry["id"] == status["id"]
    assert entry["url"] == f"{server.base}/@brand/{status['id']}"


def test_a_thread_is_a_chain_of_replies(tmp_path, server):
    origin = _org(tmp_path, server)
    origin.write("content/brand/launch/story.yaml", thread(["First", "Second"], ["brand-mastodon"], minutes_ago(1)))
    origin.push()
    assert publish(origin.clone(), env=ENV).code == 0
    first, second = [s for s in server.posts if s["text"] in ("First", "Second")]
    assert second["in_reply_to_id"] == first["id"]


def test_a_rate_limit_with_a_near_reset_is_waited_for(tmp_path, server):
    origin = _org(tmp_path, server)
    # a few seconds ahead: Mastodon.py drops a reset already past when the call is made
    server.fail("POST", "/api/v1/statuses", "rate_limit", reset=int(time.time()) + 5)
    run = publish(origin.clone(), "--format", "json", env=ENV)
    assert run.code == 0 and run.by_status("published") == [TARGET]
    assert len(server.requests_to("POST", "/api/v1/statuses")) == 2 and len(server.posts) == 1


def test_a_rate_limit_with_a_far_reset_leaves_the_target_for_the_next_run(tmp_path, server):
    origin = _org(tmp_path, server)
    server.fail("POST", "/api/v1/statuses", "rate_limit", reset=int(time.time()) + 3600)
    runner = origin.clone()
    run = publish(runner, "--format", "json", env=ENV)
    waiting = run.outcome(TARGET)
    assert run.code == 0 and waiting["status"] == "waiting" and "rate limit" in waiting["detail"]
    assert origin.entry("brand/launch/teaser", "brand-mastodon") is None and server.posts == []
    assert publish(runner, "--format", "json", env=ENV).by_status("published") == [TARGET]


def test_a_refused_token_fails_the_run_but_leaves_the_target_for_the_next(tmp_path, server):
    origin = _org(tmp_path, server)
    runner = origin.clone()
    run = publish(runner, "--format", "json", env={"BRAND_MASTODON_ACCESS_TOKEN": "a-revoked-token-123"})
    assert run.code == 1
    failed = run.outcome(TARGET)
    assert failed["status"] == "failed" and "renew BRAND_MASTODON_ACCESS_TOKEN" in failed["detail"]
    assert "next run tries again" in failed["detail"] and "a-revoked-token-123" not in run.out
    assert origin.entry("brand/launch/teaser", "brand-mastodon") is None  # not failed for good
    renewed = publish(runner, "--format", "json", env=ENV)
    assert renewed.by_status("published") == [TARGET] and len(server.posts) == 1


def test_a_server_error_is_reconciled_and_recorded_unknown_never_retried_blind(tmp_path, server):
    origin = _org(tmp_path, server)
    server.fail("POST", "/api/v1/statuses", "status", status=502, detail="Bad Gateway")
    runner = origin.clone()
    run = publish(runner, "--format", "json", env=ENV)
    unknown = run.outcome(TARGET)
    assert run.code == 1 and unknown["status"] == "unknown" and "502" in unknown["detail"]
    assert server.requests_to("GET", "/api/v1/accounts/*/statuses")  # it asked before giving up
    again = publish(runner, "--format", "json", env=ENV)
    assert again.code == 0 and again.report["outcomes"] == []
    assert len(server.requests_to("POST", "/api/v1/statuses")) == 1 and server.posts == []


def test_a_connection_dropped_after_the_post_was_made_is_found_by_reconciling(tmp_path, server):
    origin = _org(tmp_path, server)
    server.fail("POST", "/api/v1/statuses", "drop")
    run = publish(origin.clone(), "--format", "json", env=ENV)
    assert run.code == 0, run.out
    [status] = server.posts
    assert origin.entry("brand/launch/teaser", "brand-mastodon")["id"] == status["id"]
    assert len(server.requests_to("POST", "/api/v1/statuses")) == 1


def test_retract_deletes_the_status(tmp_path, server):
    origin = _org(tmp_path, server)
    runner = origin.clone()
    assert publish(runner, env=ENV).code == 0
    origin.write("content/brand/launch/teaser.yaml", post("Twice as fast, on every runner.", ["brand-mastodon"],
                                                          minutes_ago(1), status="retracted"))
    origin.push("Retract")
    run = publish(runner, "--format", "json", env=ENV)
    assert run.by_status("retracted") == [TARGET]
    assert server.posts == [] and server.requests_to("DELETE", "/api/v1/statuses/*")


def test_a_missing_token_is_named_and_nothing_is_claimed(tmp_path, server):
    origin = _org(tmp_path, server)
    run = publish(origin.clone(), "--format", "json", env={})
    assert run.code == 1
    assert "BRAND_MASTODON_ACCESS_TOKEN is not set" in run.outcome(TARGET)["detail"]
    assert origin.entry("brand/launch/teaser", "brand-mastodon") is None and server.requests_to("POST", "*") == []



"""accord publish to X end to end: the real tweepy client over real HTTP to the imitation X
server on 127.0.0.1. What every network does alike (faults, retract, credentials): test_contract.py."""
from __future__ import annotations

from networks import named

from .conftest import Origin, minutes_ago, one_post, publish, thread, x_env



def _org(tmp_path, x_server, **extra):
    return one_post(tmp_path, named("x"), x_server.base, "Twice as fast, on every runner.", **extra)


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


def test_a_duplicate_rejection_is_recorded_failed(tmp_path, x_server):
    origin = _org(tmp_path, x_server)
    x_server.fail("POST", "/2/tweets", "duplicate")
    run = publish(origin.clone(), "--format", "json", env=x_env())
    assert run.code == 1
    failed = run.outcome("brand/launch/teaser@brand-x")
    assert failed["status"] == "failed" and "duplicate" in failed["detail"]
    entry = origin.entry("brand/launch/teaser", "brand-x")
    assert entry["status"] == "failed" and "duplicate" in entry["error"]

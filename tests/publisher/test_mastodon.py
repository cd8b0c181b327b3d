"""accord publish to Mastodon end to end: real Mastodon.py over real HTTP to the imitation
Mastodon server on 127.0.0.1. What every network does alike (faults, retract, credentials):
test_contract.py."""
from __future__ import annotations

import pytest
from networks import named

from .conftest import minutes_ago, one_post, publish, thread

MASTODON = named("mastodon")
ENV = MASTODON.env()


@pytest.fixture
def network():
    return MASTODON  # the `server` fixture (tests/conftest.py) serves it


def _org(tmp_path, server, **extra):
    return one_post(tmp_path, MASTODON, server.base, "Twice as fast, on every runner.", **extra)


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

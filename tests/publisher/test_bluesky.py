"""accord publish to Bluesky end to end: the real atproto SDK over real HTTP to the imitation PDS."""
from __future__ import annotations

import pytest
from networks import named

from .conftest import Origin, minutes_ago, one_post, publish, thread

BLUESKY = named("bluesky")
ENV = BLUESKY.env()


@pytest.fixture
def network():
    return BLUESKY  # the `server` fixture (tests/conftest.py) serves it


def _org(tmp_path, server, **extra):
    return one_post(tmp_path, BLUESKY, server.base, "Twice as fast, on every runner.", **extra)


def test_posts_to_bluesky_with_the_tagged_link_in_a_facet_and_records_it(tmp_path, server):
    origin = _org(tmp_path, server, link="https://example.org/launch")
    run = publish(origin.clone(), "--format", "json", env=ENV)
    assert run.code == 0, run.err
    [made] = server.posts
    assert made["text"] == "Twice as fast, on every runner.\n\nexample.org/launch?utm_s..."
    [facet] = made["record"]["facets"]
    assert facet["features"][0]["uri"] == ("https://example.org/launch?utm_source=bluesky&utm_medium=social"
                                             "&utm_campaign=launch&utm_content=teaser")
    entry = origin.entry("brand/launch/teaser", "brand-bluesky")
    assert entry["status"] == "published" and entry["id"] == made["id"]
    assert entry["url"] == f"https://bsky.app/profile/brand.bsky.social/post/{made['rkey']}"
    assert server.sessions == 1


def test_a_thread_on_bluesky_chains_replies_to_one_root(tmp_path, server):
    origin = Origin(tmp_path, accounts={BLUESKY.account_id: BLUESKY.account(server.base)})
    origin.write("content/brand/launch/story.yaml", thread(["First", "Second", "Third"], ["brand-bluesky"],
                                                           minutes_ago(1)))
    origin.push()
    assert publish(origin.clone(), env=ENV).code == 0
    first, second, third = server.posts
    assert second["record"]["reply"]["parent"]["uri"] == first["id"]
    assert third["record"]["reply"]["parent"]["uri"] == second["id"]
    assert third["record"]["reply"]["root"]["uri"] == first["id"]
    parts = origin.entry("brand/launch/story", "brand-bluesky")["parts"]
    assert [p["id"] for p in parts] == [first["id"], second["id"], third["id"]]

"""accord publish to Bluesky end to end: the real atproto SDK over real HTTP to the imitation PDS."""
from __future__ import annotations

import imitation_bluesky
import pytest

from .conftest import Origin, minutes_ago, post, publish, thread

ACCOUNT = """\
platform: bluesky
handle: brand.bsky.social
credentials_env: BRAND_BLUESKY
api_base: {api_base}
"""


@pytest.fixture
def bluesky_server():
    with imitation_bluesky.ImitationBluesky() as server:
        yield server


def env() -> dict:
    return imitation_bluesky.env("BRAND_BLUESKY")


def _org(tmp_path, server, **extra) -> Origin:
    origin = Origin(tmp_path)
    origin.write("content/brand/accounts/brand-bluesky.yaml", ACCOUNT.format(api_base=server.base))
    origin.write("content/brand/launch/teaser.yaml",
                 post("Twice as fast, on every runner.", ["brand-bluesky"], minutes_ago(1), **extra))
    origin.push()
    return origin


def test_posts_to_bluesky_with_the_tagged_link_in_a_facet_and_records_it(tmp_path, bluesky_server):
    origin = _org(tmp_path, bluesky_server, link="https://example.org/launch")
    run = publish(origin.clone(), "--format", "json", env=env())
    assert run.code == 0, run.err
    [made] = bluesky_server.posts
    assert made["text"] == "Twice as fast, on every runner.\n\nexample.org/launch?utm_s..."
    [facet] = made["record"]["facets"]
    assert facet["features"][0]["uri"] == "https://example.org/launch?utm_source=bluesky&utm_medium=social&utm_campaign=launch&utm_content=teaser"
    entry = origin.entry("brand/launch/teaser", "brand-bluesky")
    assert entry["status"] == "published" and entry["id"] == made["id"]
    assert entry["url"] == f"https://bsky.app/profile/brand.bsky.social/post/{made['rkey']}"
    assert bluesky_server.sessions == 1


def test_a_thread_on_bluesky_chains_replies_to_one_root(tmp_path, bluesky_server):
    origin = Origin(tmp_path)
    origin.write("content/brand/accounts/brand-bluesky.yaml", ACCOUNT.format(api_base=bluesky_server.base))
    origin.write("content/brand/launch/story.yaml", thread(["First", "Second", "Third"], ["brand-bluesky"],
                                                           minutes_ago(1)))
    origin.push()
    assert publish(origin.clone(), env=env()).code == 0
    first, second, third = bluesky_server.posts
    assert second["record"]["reply"]["parent"]["uri"] == first["id"]
    assert third["record"]["reply"]["parent"]["uri"] == second["id"]
    assert third["record"]["reply"]["root"]["uri"] == first["id"]
    parts = origin.entry("brand/launch/story", "brand-bluesky")["parts"]
    assert [p["id"] for p in parts] == [first["id"], second["id"], third["id"]]

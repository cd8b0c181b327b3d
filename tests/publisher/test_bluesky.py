"""accord publish to Bluesky end to end: the real atproto SDK over real HTTP to the imitation PDS."""
from __future__ import annotations

import imitation_bluesky
import pytest

from .conftest import Origin, minutes_ago, post, publish, thread

TARGET = "brand/launch/teaser@brand-bluesky"
ACCOUNT = """\
platform: bluesky
handle: brand.bsky.social
credentials_env: BRAND_BLUESKY
api_base: {api_base}
"""
CREATE = "/xrpc/com.atproto.repo.createRecord"


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
    assert facet["features"][0]["uri"] == ("https://example.org/launch?utm_source=bluesky&utm_medium=social"
                                             "&utm_campaign=launch&utm_content=teaser")
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


def test_a_connection_dropped_after_the_record_was_made_is_found_at_its_key(tmp_path, bluesky_server):
    origin = _org(tmp_path, bluesky_server)
    bluesky_server.fail("POST", CREATE, "drop")
    run = publish(origin.clone(), "--format", "json", env=env())
    assert run.code == 0, run.out
    [made] = bluesky_server.posts
    assert origin.entry("brand/launch/teaser", "brand-bluesky")["id"] == made["id"]
    assert len(bluesky_server.requests_to("POST", CREATE)) == 1


def test_a_server_error_is_recorded_unknown_after_asking(tmp_path, bluesky_server):
    origin = _org(tmp_path, bluesky_server)
    bluesky_server.fail("POST", CREATE, "status", status=502)
    run = publish(origin.clone(), "--format", "json", env=env())
    assert run.code == 1
    assert run.outcome(TARGET)["status"] == "unknown" and "502" in run.outcome(TARGET)["detail"]
    assert bluesky_server.requests_to("GET", "/xrpc/com.atproto.repo.getRecord")  # it asked first
    assert origin.entry("brand/launch/teaser", "brand-bluesky")["status"] == "unknown"
    assert bluesky_server.posts == []


def test_a_wrong_app_password_posts_nothing_and_leaves_the_target_due(tmp_path, bluesky_server):
    origin = _org(tmp_path, bluesky_server)
    run = publish(origin.clone(), "--format", "json",
                  env={**env(), "BRAND_BLUESKY_APP_PASSWORD": "wrong-wrong-wrong"})
    assert run.code == 1
    failed = run.outcome(TARGET)
    assert failed["status"] == "failed" and "credentials of account 'brand-bluesky'" in failed["detail"]
    assert "wrong-wrong" not in run.out + run.err
    assert origin.entry("brand/launch/teaser", "brand-bluesky") is None


def test_retract_deletes_the_record(tmp_path, bluesky_server):
    origin = _org(tmp_path, bluesky_server)
    runner = origin.clone()
    assert publish(runner, env=env()).code == 0
    origin.write("content/brand/launch/teaser.yaml", post("Twice as fast, on every runner.", ["brand-bluesky"],
                                                          minutes_ago(1), status="retracted"))
    origin.push("Retract")
    run = publish(runner, "--format", "json", env=env())
    assert run.by_status("retracted") == [TARGET]
    assert bluesky_server.posts == [] and bluesky_server.requests_to("POST", "/xrpc/com.atproto.repo.deleteRecord")

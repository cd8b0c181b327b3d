"""The Mastodon adapter: real Mastodon.py over real HTTP to the imitation Mastodon server."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import imitation_mastodon
import pytest
import requests

from accord.platforms import mastodon
from accord.platforms.base import Context, CredentialsRefused, Media, Part, Rejected, Request, Unknown

ENV = imitation_mastodon.env("BRAND_MASTODON")
CONTEXT = Context(Path("outbox"), timeout=2)  # Mastodon never writes to the outbox


@pytest.fixture
def brand(mastodon_account):
    return mastodon.connect(mastodon_account, ENV, CONTEXT)


def post(text, *, key="brand/launch/teaser@brand-mastodon#0", media=(), reply_to=None, quote=None,
         locale=None):
    return Request(key, Part(text, tuple(media), locale), reply_to=reply_to, quote=quote)


def a_minute_ago():
    return datetime.now(timezone.utc) - timedelta(minutes=1)


# --- Publishing ------------------------------------------------------------------------------


def test_a_post_appears_public_in_its_language_with_the_servers_url(brand, mastodon_server):
    posted = brand.publish(post("Kestrel 3.0 is out: https://example.com/kestrel", locale="en-GB"))

    [status] = mastodon_server.posts
    assert status["text"] == "Kestrel 3.0 is out: https://example.com/kestrel"
    assert (status["visibility"], status["language"]) == ("public", "en")
    assert posted.id == status["id"]
    assert posted.url == f"{mastodon_server.base}/@brand/{status['id']}"
    assert abs(posted.at - datetime.now(timezone.utc)) < timedelta(seconds=10)


def test_traditional_chinese_keeps_its_region(brand, mastodon_server):
    brand.publish(post("新版本", locale="zh-TW"))
    assert mastodon_server.posts[0]["language"] == "zh-TW"


def test_a_thread_is_a_chain_of_replies(brand, mastodon_server):
    first = brand.publish(post("1/3 What we learned", key="t@m#0"))
    second = brand.publish(post("2/3 Caching", key="t@m#1", reply_to=first.id))
    third = brand.publish(post("3/3 Thanks", key="t@m#2", reply_to=second.id))

    chain = [(s["id"], s["in_reply_to_id"]) for s in mastodon_server.posts]
    assert chain == [(first.id, None), (second.id, first.id), (third.id, second.id)]


def test_a_quote_reaches_the_server(brand, mastodon_server):
    original = brand.publish(post("The launch", key="a@m#0"))
    brand.publish(post("Read this", key="b@m#0", quote=original.id))
    assert mastodon_server.posts[-1]["quoted_status_id"] == original.id


def test_media_go_up_with_alt_text_and_are_waited_for_until_processed(brand, mastodon_server, tmp_path):
    mastodon_server.processing_checks = 2  # answered 206 twice before it is ready
    image = tmp_path / "hero.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(5000))
    video = tmp_path / "demo.mp4"
    video.write_bytes(bytes(3000))

    brand.publish(post("Look", media=[Media(image, "A bar chart of build times"),
                                      Media(video, "A terminal running the build")]))

    [status] = mastodon_server.posts
    assert [(m["type"], m["description"]) for m in status["media"]] == [
        ("image", "A bar chart of build times"), ("video", "A terminal running the build")]
    assert len(mastodon_server.requests_to("GET", "/api/v1/media/*")) == 6  # 206, 206, 200 each


def test_media_that_never_finish_processing_are_refused_not_posted(brand, mastodon_server, tmp_path, monkeypatch):
    mastodon_server.processing_checks = 10**6
    video = tmp_path / "demo.mp4"
    video.write_bytes(bytes(3000))
    started = time.monotonic()
    monkeypatch.setattr(mastodon, "_MEDIA_WAIT", 1.0)  # the wait is bounded; a short bound here
    with pytest.raises(Rejected, match="did not finish processing demo.mp4 in time"):
        brand.publish(post("Look", media=[Media(video, "A terminal")]))
    assert time.monotonic() - started < 5 and mastodon_server.posts == []


def test_alt_text_over_the_servers_limit_is_refused(brand, mastodon_server, tmp_path):
    image = tmp_path / "hero.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(Rejected, match="HTTP 422: Validation failed: Description is too long"):
        brand.publish(post("Look", media=[Media(image, "x" * 1501)]))
    assert mastodon_server.posts == []


def test_a_resend_with_the_same_key_answers_the_first_status_and_posts_nothing(brand, mastodon_server):
    first = brand.publish(post("Twice as fast"))
    again = brand.publish(post("Twice as fast"))
    other = brand.publish(post("Twice as fast", key="brand/launch/teaser@brand-mastodon#1"))

    assert again.id == first.id and other.id != first.id
    assert len(mastodon_server.posts) == 2
    keys = {mastodon.idempotency_key("brand/launch/teaser@brand-mastodon#0"),
            mastodon.idempotency_key("brand/launch/teaser@brand-mastodon#1")}
    assert set(mastodon_server.idempotency) == keys


def test_a_resend_after_the_server_forgot_the_key_is_a_second_post(brand, mastodon_server):
    """The server keeps a key for an hour: past it, only the ledger's claim stands between a
    resend and a second post (the publisher reconciles with find before it sends again)."""
    first = brand.publish(post("Twice as fast"))
    for kept in mastodon_server.idempotency.values():
        kept["expires"] = time.time() - 1
    again = brand.publish(post("Twice as fast"))
    assert again.id != first.id and len(mastodon_server.posts) == 2


def test_a_fault_the_server_does_not_know_is_a_test_error(mastodon_server):
    with pytest.raises(ValueError, match="no fault 'duplicate'"):
        mastodon_server.fail("POST", "/api/v1/statuses", "duplicate")


def test_the_key_survives_a_post_id_a_header_cannot_hold(brand, mastodon_server):
    brand.publish(post("Grüße", key="marketing/über-uns/grüße@brand-mastodon#0"))
    [key] = mastodon_server.idempotency
    assert key.isascii() and key.startswith("accord-")


def test_text_over_the_instance_limit_is_refused(brand, mastodon_server):
    with pytest.raises(Rejected, match="HTTP 422: Validation failed: Text character limit of 500"):
        brand.publish(post("x" * 501))


def test_a_reply_to_a_status_that_does_not_exist_is_refused(brand):
    with pytest.raises(Rejected, match="HTTP 404"):
        brand.publish(post("Answer", reply_to="1"))


# --- Failures --------------------------------------------------------------------------------


def test_find_is_none_for_another_text_another_thread_or_a_status_before_the_claim(brand, mastodon_server):
    parent = brand.publish(post("Parent", key="p@m#0"))
    brand.publish(post("Hello", key="c@m#0", reply_to=parent.id))
    mastodon_server.post_at("Old news", datetime.now(timezone.utc) - timedelta(hours=2))

    assert brand.find(post("Hello, edited", key="x@m#0", reply_to=parent.id), a_minute_ago()) is None
    assert brand.find(post("Hello", key="x@m#0"), a_minute_ago()) is None  # not a reply
    assert brand.find(post("Old news", key="x@m#0"), a_minute_ago()) is None
    assert brand.find(post("Hello", key="x@m#0", reply_to=parent.id), a_minute_ago()) is not None


def test_find_pages_back_through_many_statuses_since_the_claim(brand, mastodon_server):
    since = a_minute_ago()
    mastodon_server.post_at("The one", datetime.now(timezone.utc) - timedelta(seconds=30))
    for i in range(90):
        mastodon_server.post_at(f"Noise {i}", datetime.now(timezone.utc) - timedelta(seconds=20))

    assert brand.find(post("The one"), since) is not None
    pages = mastodon_server.requests_to("GET", "/api/v1/accounts/*/statuses")
    assert len(pages) == 3 and all(q["limit"] == "40" for q in pages)


def test_metrics_are_normalised_per_post(brand, mastodon_server):
    ids = [brand.publish(post(f"Post {i}", key=f"p{i}@m#0")).id for i in range(25)]
    for i, status in enumerate(mastodon_server.posts):
        status.update(replies_count=i, reblogs_count=2 * i, favourites_count=3 * i, quotes_count=i % 2)

    metrics = brand.metrics(ids)

    assert metrics[ids[4]] == {"replies": 4, "reposts": 8, "likes": 12, "quotes": 0, "engagements": 24}
    assert metrics[ids[7]] == {"replies": 7, "reposts": 14, "likes": 21, "quotes": 1, "engagements": 43}
    assert len(metrics) == 25
    assert [len(q["id[]"]) for q in mastodon_server.requests_to("GET", "/api/v1/statuses")] == [20, 5]


def test_an_older_server_is_asked_for_metrics_one_status_at_a_time(brand, mastodon_server):
    mastodon_server.version = "4.2.10"
    kept, deleted = (brand.publish(post(f"Post {i}", key=f"p{i}@m#0")).id for i in range(2))
    mastodon_server.posts[0].update(favourites_count=5)
    brand.delete(deleted)

    metrics = brand.metrics([kept, deleted])

    assert metrics == {kept: {"replies": 0, "reposts": 0, "likes": 5, "engagements": 5}}  # no quotes yet
    assert mastodon_server.requests_to("GET", "/api/v1/statuses") == []
    assert len(mastodon_server.requests_to("GET", "/api/v1/statuses/*")) == 2


# --- Credentials -----------------------------------------------------------------------------


def test_the_instance_comes_from_the_handle_without_api_base(mastodon_account):
    mastodon_account.api_base = None
    assert mastodon.connect(mastodon_account, ENV, CONTEXT)._api.api_base_url == "https://127.0.0.1"


def test_a_token_that_names_a_file_is_sent_as_it_is_never_read(mastodon_account, mastodon_server, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text(imitation_mastodon.TOKEN + "\n")
    account = mastodon.connect(mastodon_account, {"BRAND_MASTODON_ACCESS_TOKEN": str(elsewhere)}, CONTEXT)
    with pytest.raises(CredentialsRefused):
        account.publish(post("Hello"))


# --- The imitation in its own process ------------------------------------------------------


@pytest.mark.timeout(30)
def test_imitation_server_in_its_own_process_keeps_statuses_and_keys_across_restarts(tmp_path):
    state = tmp_path / "mastodon-state.json"

    def serve():
        command = [sys.executable, imitation_mastodon.__file__, "--state-file", str(state)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        return process, process.stdout.readline().strip()

    process, base = serve()
    account = SimpleNamespace(id="brand-mastodon", handle="@brand", api_base=base,
                              credentials_env="BRAND_MASTODON")
    try:
        requests.post(f"{base}/_imitation/faults", timeout=5,
                      json={"method": "POST", "route": "/api/v1/statuses", "kind": "drop"})
        with pytest.raises(Unknown):
            mastodon.connect(account, ENV, CONTEXT).publish(post("From another process"))
    finally:
        process.terminate()
        process.wait(timeout=5)
    assert [s["text"] for s in json.loads(state.read_text())["statuses"]] == ["From another process"]

    process, account.api_base = serve()  # a restart, as after a crash
    try:
        again = mastodon.connect(account, ENV, CONTEXT).publish(post("From another process"))
        served = requests.get(f"{account.api_base}/_imitation/state", timeout=5).json()
    finally:
        process.terminate()
        process.wait(timeout=5)
    assert [s["id"] for s in served["statuses"]] == [again.id]  # the key was kept: no second post

"""The X adapter: real tweepy over real HTTP to the imitation X API, and X's weighted length."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import imitation_x
import pytest

from accord.platforms import x
from accord.platforms.base import Context, Media, Part, Rejected, Request, Unknown


@pytest.fixture
def brand(x_account):
    return x.connect(x_account, X_ENV, CONTEXT)


X_ENV = imitation_x.env("BRAND_X")
CONTEXT = Context(Path("outbox"), timeout=2)  # X never writes to the outbox


def post(text, *, key="t/0", media=(), reply_to=None, quote=None):
    return Request(key, Part(text, tuple(media)), reply_to=reply_to, quote=quote)


def a_minute_ago():
    return datetime.now(timezone.utc) - timedelta(minutes=1)


# --- Publishing ------------------------------------------------------------------------------


def test_a_post_appears_on_x_with_its_text_and_link(brand, x_server):
    posted = brand.publish(post("Kestrel 3.0 is out: https://example.com/kestrel?utm_source=x"))

    assert [p["text"] for p in x_server.posts] == [
        "Kestrel 3.0 is out: https://example.com/kestrel?utm_source=x"
    ]
    assert posted.id == x_server.posts[0]["id"]
    assert posted.url == f"https://x.com/brand/status/{posted.id}"
    assert abs(posted.at - datetime.now(timezone.utc)) < timedelta(seconds=10)


def test_a_thread_of_three_parts_chains_replies(brand, x_server):
    first = brand.publish(post("1/3 What we learned", key="t/0"))
    second = brand.publish(post("2/3 Caching", key="t/1", reply_to=first.id))
    third = brand.publish(post("3/3 Thanks", key="t/2", reply_to=second.id))

    chain = [(p["id"], p["in_reply_to"]) for p in x_server.posts]
    assert chain == [(first.id, None), (second.id, first.id), (third.id, second.id)]


def test_a_quote_and_reply_target_reach_x(brand, x_server):
    original = brand.publish(post("The launch"))
    quoting = brand.publish(post("Read this", key="q/0", quote=original.id, reply_to=original.id))

    made = x_server.posts[-1]
    assert (made["id"], made["quote"], made["in_reply_to"]) == (quoting.id, original.id, original.id)


def test_media_is_uploaded_in_chunks_with_alt_text(brand, x_server, tmp_path):
    image = tmp_path / "hero.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2_200_000))  # three 1 MiB chunks
    video = tmp_path / "demo.mp4"
    video.write_bytes(bytes(5000))

    brand.publish(post("Look", media=[Media(image, "A bar chart of build times"),
                                      Media(video, "A terminal running the build")]))

    media = x_server.posts[0]["media"]
    assert [(m["media_type"], m["size"], m["alt"]) for m in media] == [
        ("image/png", image.stat().st_size, "A bar chart of build times"),
        ("video/mp4", 5000, "A terminal running the build"),
    ]
    assert len(x_server.requests_to("POST", "/2/media/upload/*/append")) == 4
    # The video was processed before the post referred to it.
    assert x_server.requests_to("GET", "/2/media/upload")[0]["command"] == "STATUS"


def test_unreadable_media_is_rejected_before_anything_is_posted(brand, x_server, tmp_path):
    with pytest.raises(Rejected, match="Cannot read media file .*missing.png"):
        brand.publish(post("Look", media=[Media(tmp_path / "missing.png", "Nothing")]))
    assert x_server.posts == []


# --- Outcomes --------------------------------------------------------------------------------


def test_find_knows_a_post_x_shows_with_tco_links_and_escapes(brand, x_server):
    """(Every network's dropped connection and reconciliation: test_contract.py.)"""
    request = post("Doors open at 9 & the keynote is at https://example.com/live")
    x_server.fail("POST", "/2/tweets", "drop")
    with pytest.raises(Unknown):
        brand.publish(request)

    # X shows links as t.co and escapes '&'; the post is still recognised as ours.
    assert "https://t.co/" in x_server.posts[0]["shown_text"]
    found = brand.find(request, a_minute_ago())
    assert found.url == f"https://x.com/brand/status/{found.id}"


def test_duplicate_content_is_rejected(brand, x_server):
    brand.publish(post("Same words"))

    with pytest.raises(Rejected, match="duplicate"):
        brand.publish(post("Same words", key="t/1"))
    assert len(x_server.posts) == 1


def test_other_refusals_are_rejected_with_xs_reason(brand):
    with pytest.raises(Rejected, match="HTTP 403: Your Tweet text is too long"):
        brand.publish(post("x" * 281))


# --- Reconciliation --------------------------------------------------------------------------


def test_find_tells_thread_parts_apart_by_what_they_answer(brand, x_server):
    first = brand.publish(post("Part one", key="t/0"))
    other = brand.publish(post("Another root", key="u/0"))
    x_server.post_at("Same follow-up", datetime.now(timezone.utc), reply_to=other.id)
    ours = x_server.post_at("Same follow-up", datetime.now(timezone.utc), reply_to=first.id)

    found = brand.find(post("Same follow-up", key="t/1", reply_to=first.id), a_minute_ago())

    assert found.id == ours["id"]


def test_find_reads_past_the_first_page(brand, x_server):
    target = x_server.post_at("The one", datetime.now(timezone.utc) - timedelta(seconds=30))
    for n in range(150):
        x_server.post_at(f"Filler {n}", datetime.now(timezone.utc))

    found = brand.find(post("The one"), a_minute_ago())

    assert found.id == target["id"]
    assert found.at == datetime.fromisoformat(target["created_at"].replace("Z", "+00:00"))
    assert len(x_server.requests_to("GET", "/2/users/*/tweets")) == 2


# --- Delete and metrics ----------------------------------------------------------------------


def test_metrics_come_in_batches_of_100_and_normalised(brand, x_server):
    ids = [x_server.post_at(f"Post {n}", datetime.now(timezone.utc))["id"] for n in range(230)]
    counted = x_server.posts[7]
    counted["public_metrics"].update(like_count=5, retweet_count=2, reply_count=1,
                                     quote_count=1, bookmark_count=3, impression_count=90)
    counted["non_public_metrics"].update(impression_count=100, url_link_clicks=7,
                                         user_profile_clicks=4)

    metrics = brand.metrics(ids + [x_server.new_id()])  # one X never had

    lookups = x_server.requests_to("GET", "/2/tweets")
    assert [len(q["ids"].split(",")) for q in lookups] == [100, 100, 31]
    assert set(metrics) == set(ids)
    assert metrics[counted["id"]] == {
        "impressions": 100, "likes": 5, "reposts": 2, "replies": 1, "quotes": 1,
        "bookmarks": 3, "link_clicks": 7, "profile_clicks": 4, "engagements": 23,
    }


def test_metrics_fall_back_to_public_counts_when_private_ones_are_refused(brand, x_server):
    posted = brand.publish(post("Public only"))
    x_server.posts[0]["public_metrics"].update(like_count=2, impression_count=40)
    x_server.private_metrics = False

    metrics = brand.metrics([posted.id])

    assert metrics[posted.id]["impressions"] == 40
    assert metrics[posted.id]["likes"] == 2
    assert "link_clicks" not in metrics[posted.id]

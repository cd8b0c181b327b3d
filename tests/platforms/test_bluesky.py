"""The Bluesky adapter: the real atproto SDK over real HTTP to the imitation PDS."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import imitation_bluesky
import pytest

from accord.platforms import bluesky
from accord.platforms.base import Context, CredentialsRefused, Media, Part, Rejected, Request, Unknown

CONTEXT = Context(Path("outbox"), timeout=2)  # nothing is written to the outbox
ENV = imitation_bluesky.env("BRAND_BLUESKY")
CREATE = "/xrpc/com.atproto.repo.createRecord"
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


@pytest.fixture
def brand(bluesky_account):
    return bluesky.connect(bluesky_account, ENV, CONTEXT)


def post(text, *, key="brand/launch/teaser@brand-bluesky#0", media=(), reply_to=None, quote=None, locale=None):
    return Request(key, Part(text, tuple(media), locale), reply_to=reply_to, quote=quote)


def a_minute_ago():
    return datetime.now(timezone.utc) - timedelta(minutes=1)


def facets(record: dict) -> list[tuple[str, dict]]:
    """(the text each facet covers, its feature without $type), in order."""
    data = record["text"].encode("utf-8")
    out = []
    for facet in record.get("facets", []):
        index = facet["index"]
        [feature] = facet["features"]
        out.append((data[index["byteStart"] : index["byteEnd"]].decode("utf-8"),
                    {k: v for k, v in feature.items() if k != "$type"} | {"type": feature["$type"].rsplit("#")[-1]}))
    return out


# --- Publishing ------------------------------------------------------------------------------


def test_a_post_is_a_record_at_a_tid_made_from_its_key(brand, bluesky_server):
    posted = brand.publish(post("Kestrel 3.0 is out."))

    [made] = bluesky_server.posts
    assert made["text"] == "Kestrel 3.0 is out."
    assert posted.id == made["id"] == f"at://{imitation_bluesky.DID}/app.bsky.feed.post/{made['rkey']}"
    assert posted.url == f"https://bsky.app/profile/brand.bsky.social/post/{made['rkey']}"
    assert TID.match(made["rkey"])
    assert made["rkey"] == bluesky.record_key("brand/launch/teaser@brand-bluesky#0")
    assert bluesky.record_key("brand/launch/teaser@brand-bluesky#1") != made["rkey"]
    assert made["record"]["createdAt"].endswith("Z")


def test_record_keys_are_valid_tids_from_the_past():
    for n in range(200):
        key = bluesky.record_key(f"team/campaign/post-{n}@account#{n % 3}")
        assert TID.match(key), key
        micros = 0
        for char in key[:11]:
            micros = micros * 32 + "234567abcdefghijklmnopqrstuvwxyz".index(char)
        assert datetime.fromtimestamp(micros / 1e6, timezone.utc) < datetime(2024, 1, 1, tzinfo=timezone.utc)


def test_one_session_serves_the_whole_run(brand, bluesky_server):
    first = brand.publish(post("One", key="a@b#0"))
    brand.publish(post("Two", key="a@b#1", reply_to=first.id))
    brand.find(post("One", key="a@b#0"), a_minute_ago())
    brand.metrics([first.id])

    assert bluesky_server.sessions == 1


def test_a_thread_answers_its_parent_and_names_its_root(brand, bluesky_server):
    first = brand.publish(post("1/3 What we learned", key="t@b#0"))
    second = brand.publish(post("2/3 Caching", key="t@b#1", reply_to=first.id))
    brand.publish(post("3/3 Thanks", key="t@b#2", reply_to=second.id))

    one, two, three = bluesky_server.posts
    assert "reply" not in one["record"]
    ref = {k: v for k, v in two["record"]["reply"]["parent"].items() if k != "$type"}
    assert ref == {"uri": one["id"], "cid": one["cid"]}
    assert two["record"]["reply"]["root"]["uri"] == one["id"]
    assert three["record"]["reply"]["parent"]["uri"] == two["id"]
    assert three["record"]["reply"]["parent"]["cid"] == two["cid"]
    assert three["record"]["reply"]["root"]["uri"] == one["id"]
    assert three["record"]["reply"]["root"]["cid"] == one["cid"]


def test_a_quote_embeds_the_quoted_posts_strong_ref(brand, bluesky_server):
    original = brand.publish(post("The launch", key="o@b#0"))
    brand.publish(post("Read this", key="q@b#0", quote=original.id))

    embed = bluesky_server.posts[-1]["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.record"
    assert embed["record"]["uri"] == original.id and embed["record"]["cid"] == bluesky_server.posts[0]["cid"]


def test_facets_cover_mentions_hashtags_and_links_by_utf8_bytes(brand, bluesky_server):
    text = ("Grüße an @jürgen.example.com und @alice.example.com — #Kestrel3 läuft 🚀 "
            "https://kestrel.cloud/de (@nobody.example.com)")
    brand.publish(post(text, locale="de-DE"))

    record = bluesky_server.posts[0]["record"]
    assert record["text"] == text  # nothing here is shortened
    assert record["langs"] == ["de-DE"]
    assert facets(record) == [
        ("@alice.example.com", {"did": "did:plc:alicealicealicealice0000", "type": "mention"}),
        ("#Kestrel3", {"tag": "Kestrel3", "type": "tag"}),
        ("https://kestrel.cloud/de", {"uri": "https://kestrel.cloud/de", "type": "link"}),
    ]  # a handle that is not ASCII is no handle, and one that does not resolve stays plain text


def test_a_long_link_is_shortened_in_the_text_and_whole_in_its_facet(brand, bluesky_server):
    link = "https://example.com/kestrel-3?utm_source=bluesky&utm_medium=social&utm_campaign=launch"
    text = "Kestrel 3.0 is here: remote build caching for every pipeline.\n\n" + link
    brand.publish(post(text))

    record = bluesky_server.posts[0]["record"]
    assert record["text"] == "Kestrel 3.0 is here: remote build caching for every pipeline.\n\nexample.com/kestrel-3?ut..."
    assert facets(record)[-1] == ("example.com/kestrel-3?ut...", {"uri": link, "type": "link"})
    assert bluesky.length(text) == len(record["text"])


def test_what_the_check_counts_is_what_is_sent(brand, bluesky_server):
    link = "https://example.com/" + "a" * 200 + "?utm_source=bluesky."
    text = "é" * 270 + " " + link  # 491 characters written, 299 once the link is shown short
    assert bluesky.length(text) == 299

    brand.publish(post(text))  # the imitation counts graphemes as a PDS does: within 300

    record = bluesky_server.posts[0]["record"]
    assert len(record["text"]) == 299 and record["text"].endswith(" example.com/aaaaaaaaaaaa....")
    assert facets(record)[0][1]["uri"] == link[:-1]  # the sentence's full stop is not part of the link


def test_a_link_the_check_finds_too_long_is_counted_as_shown(org):
    org.write("content/brand/accounts/brand-bluesky.yaml", "platform: bluesky\nhandle: brand.bsky.social\n")
    fits = "x" * 272 + " https://example.com/" + "a" * 300  # 300 as shown, 593 as written
    org.write("content/brand/launch/p.yaml",
              f"accounts: [brand-bluesky]\npublish_at: 2026-12-09T10:00:00+00:00\ntext: {fits}\n")
    assert [f for f in org.check()[1] if f["rule"] == "platform.too-long"] == []

    org.write("content/brand/launch/p.yaml",
              f"accounts: [brand-bluesky]\npublish_at: 2026-12-09T10:00:00+00:00\ntext: x{fits}\n")
    [found] = [f for f in org.check()[1] if f["rule"] == "platform.too-long"]
    assert found["message"].startswith("Bluesky counts 301 of 300")


def test_images_carry_their_alt_text(brand, bluesky_server, tmp_path):
    chart, photo = tmp_path / "chart.png", tmp_path / "team.jpg"
    chart.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(900_000))
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(2000))

    brand.publish(post("Look", media=[Media(chart, "A bar chart of build times"), Media(photo, "The team at the launch")]))

    embed = bluesky_server.posts[0]["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert [(i["alt"], i["image"]["mimeType"], i["image"]["size"]) for i in embed["images"]] == [
        ("A bar chart of build times", "image/png", chart.stat().st_size),
        ("The team at the launch", "image/jpeg", photo.stat().st_size),
    ]
    assert len(bluesky_server.requests_to("POST", "/xrpc/com.atproto.repo.uploadBlob")) == 2


def test_an_image_over_the_size_limit_is_refused_before_anything_is_sent(brand, bluesky_server, tmp_path):
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(bluesky.LIMITS.media_size["image"]))

    with pytest.raises(Rejected, match="big.png is 1000008 bytes; Bluesky takes images up to 1000000"):
        brand.publish(post("Look", media=[Media(big, "Too big")]))
    assert bluesky_server.posts == [] and bluesky_server.requests_to("POST", "/xrpc/com.atproto.repo.uploadBlob") == []


# --- Exactly once ----------------------------------------------------------------------------


def test_a_resend_at_the_same_key_makes_no_second_post(brand, bluesky_server):
    first = brand.publish(post("Once only"))

    with pytest.raises(Unknown, match="HTTP 500"):
        brand.publish(post("Once only"))  # the PDS's repository refuses a second record at the key

    assert [p["id"] for p in bluesky_server.posts] == [first.id]
    assert brand.find(post("Once only"), a_minute_ago()).id == first.id


def test_after_a_dropped_connection_find_asks_for_the_record_at_the_key(brand, bluesky_server):
    """(Every network's dropped connection and reconciliation: test_contract.py.)"""
    bluesky_server.fail("POST", CREATE, "drop")
    with pytest.raises(Unknown):
        brand.publish(post("Doors open at 9"))

    assert brand.find(post("Doors open at 9"), a_minute_ago()).id == bluesky_server.posts[0]["id"]
    assert bluesky_server.requests_to("GET", "/xrpc/com.atproto.repo.getRecord")[-1]["rkey"] == (
        bluesky.record_key("brand/launch/teaser@brand-bluesky#0"))


# --- Delete and metrics ----------------------------------------------------------------------


def test_metrics_come_25_uris_a_call_with_only_the_counts_reported(brand, bluesky_server):
    ids = [brand.publish(post(f"Post {n}", key=f"m@b#{n}")).id for n in range(60)]
    counted = bluesky_server.posts[7]
    counted.update(likeCount=5, repostCount=2, replyCount=1, quoteCount=3)

    metrics = brand.metrics(ids + [ids[0].rsplit("/", 1)[0] + "/3zzzzzzzzzzzz"])

    assert [len(uris) for uris in bluesky_server.lookups] == [25, 25, 11]
    assert set(metrics) == set(ids)
    assert metrics[counted["id"]] == {"likes": 5, "reposts": 2, "replies": 1, "quotes": 3, "engagements": 11}
    assert "impressions" not in metrics[ids[0]] and "bookmarks" not in metrics[ids[0]]  # never invented


# --- Credentials -----------------------------------------------------------------------------


def test_a_wrong_app_password_is_refused_at_sign_in_saying_where_to_make_one(bluesky_account, bluesky_server):
    """(What every network's refusal names and hides: test_contract.py.)"""
    wrong = {**ENV, "BRAND_BLUESKY_APP_PASSWORD": "wxyz-wxyz-wxyz-wxyz"}

    with pytest.raises(CredentialsRefused, match=r"Settings, App passwords"):
        bluesky.connect(bluesky_account, wrong, CONTEXT)  # signing in, before any post

"""The LinkedIn adapter: requests over real HTTP to the imitation LinkedIn REST API."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import imitation_linkedin
import pytest

from accord.platforms import linkedin
from accord.platforms.base import (Context, CredentialsMissing, CredentialsRefused, Media,
                                   Part, Rejected, Request, Unknown)

CONTEXT = Context(Path("outbox"), timeout=2)  # nothing is written to the outbox
ENV = imitation_linkedin.env("BRAND_LINKEDIN")


@pytest.fixture
def brand(linkedin_account):
    return linkedin.connect(linkedin_account, ENV, CONTEXT)


def post(text, *, key="brand/hiring/roles@brand-linkedin#0", media=(), quote=None, reply_to=None):
    return Request(key, Part(text, tuple(media)), quote=quote, reply_to=reply_to)


def a_minute_ago():
    return datetime.now(timezone.utc) - timedelta(minutes=1)


# --- Publishing ------------------------------------------------------------------------------


def test_a_post_goes_out_as_the_author_with_the_versioned_headers(brand, linkedin_server):
    posted = brand.publish(post("We are hiring platform engineers in Berlin."))

    [made] = linkedin_server.posts
    assert made["text"] == "We are hiring platform engineers in Berlin."
    assert made["author"] == imitation_linkedin.ORGANIZATION
    assert posted.id == made["id"] and posted.id.startswith("urn:li:share:")
    assert posted.url == f"https://www.linkedin.com/feed/update/{posted.id}/"


def test_reserved_characters_are_escaped_so_linkedin_shows_the_whole_text(brand, linkedin_server):
    text = ("Kestrel (the build cache) is 2x faster_now. Join us @ KubeCon [booth 12] #Kestrel "
            "https://example.com/jobs?utm_source=linkedin&utm_campaign=hiring_2027")
    brand.publish(post(text))

    assert linkedin_server.posts[0]["text"] == text  # unescaped, LinkedIn would cut it at the '('
    assert "https://example.com/jobs?utm_source=linkedin&utm_campaign=hiring_2027" in linkedin_server.posts[0]["commentary"]
    assert "#Kestrel" in linkedin_server.posts[0]["commentary"]  # still a hashtag


def test_an_image_goes_up_through_the_images_api_with_its_alt_text(brand, linkedin_server, tmp_path):
    photo = tmp_path / "team.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(3000))

    brand.publish(post("Meet the team", media=[Media(photo, "Six people laughing at a whiteboard")]))

    [image] = linkedin_server.posts[0]["media"]
    assert image["altText"] == "Six people laughing at a whiteboard" and image["size"] == photo.stat().st_size
    assert linkedin_server.requests_to("POST", "/rest/images")[0]["action"] == "initializeUpload"
    assert len(linkedin_server.requests_to("PUT", "/upload/*")) == 1


def test_several_images_make_a_multi_image_post(brand, linkedin_server, tmp_path):
    paths = []
    for n in range(3):
        paths.append(tmp_path / f"p{n}.png")
        paths[-1].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100 + n))

    brand.publish(post("Office tour", media=[Media(p, f"Room {n}") for n, p in enumerate(paths)]))

    assert [m["altText"] for m in linkedin_server.posts[0]["media"]] == ["Room 0", "Room 1", "Room 2"]


def test_a_quote_is_a_reshare_with_commentary_and_a_reply_is_refused(brand, linkedin_server):
    original = brand.publish(post("Kestrel 3.0 is out."))
    brand.publish(post("Our team built this.", key="q#0", quote=original.id))

    assert linkedin_server.posts[-1]["reshare_of"] == original.id
    with pytest.raises(Rejected, match="no replies"):
        brand.publish(post("Thanks!", key="r#0", reply_to=original.id))
    assert len(linkedin_server.posts) == 2


def test_a_video_is_refused_before_anything_is_sent(brand, linkedin_server, tmp_path):
    video = tmp_path / "demo.mp4"
    video.write_bytes(bytes(100))

    with pytest.raises(Rejected, match="posts images to LinkedIn, not video/mp4"):
        brand.publish(post("Demo", media=[Media(video, "A terminal")]))
    assert linkedin_server.posts == [] and linkedin_server.requests == []


# --- Outcomes --------------------------------------------------------------------------------


def test_an_expired_token_is_reported_as_such_naming_the_account(brand, linkedin_server):
    linkedin_server.expire_token()

    with pytest.raises(CredentialsRefused) as raised:
        brand.publish(post("Hello"))

    message = str(raised.value)
    assert "brand-linkedin" in message and "EXPIRED_ACCESS_TOKEN" in message
    assert "60 days" in message and "BRAND_LINKEDIN_ACCESS_TOKEN" in message
    assert imitation_linkedin.ACCESS_TOKEN not in message
    assert linkedin_server.posts == []


def test_after_a_dropped_connection_find_reads_the_authors_posts(brand, linkedin_server):
    """(Every network's dropped connection and reconciliation: test_contract.py.)"""
    text = "Doors open at 9 (CET) #KestrelConf"
    linkedin_server.fail("POST", "/rest/posts", "drop")
    with pytest.raises(Unknown):
        brand.publish(post(text))

    assert brand.find(post(text), a_minute_ago()).id == linkedin_server.posts[0]["id"]
    [finder] = linkedin_server.requests_to("GET", "/rest/posts")
    assert finder["q"] == "author" and finder["author"] == imitation_linkedin.ORGANIZATION


def test_the_same_text_twice_is_refused_as_a_duplicate(brand, linkedin_server):
    brand.publish(post("Same words"))

    with pytest.raises(Rejected, match="duplicate"):
        brand.publish(post("Same words", key="k#0"))
    assert len(linkedin_server.posts) == 1


# --- Delete and metrics ----------------------------------------------------------------------


def test_organisation_metrics_come_from_share_statistics_in_batches(brand, linkedin_server):
    ids = [brand.publish(post(f"Post {n}", key=f"m#{n}")).id for n in range(45)]
    linkedin_server.posts[3]["statistics"].update(impressionCount=900, likeCount=12, commentCount=3,
                                                  shareCount=2, clickCount=40)

    metrics = brand.metrics(ids)

    assert [q["shares"][0].count(",") + 1 for q in linkedin_server.lookups] == [20, 20, 5]
    assert set(metrics) == set(ids)
    assert metrics[ids[3]] == {"impressions": 900, "likes": 12, "replies": 3, "reposts": 2,
                               "link_clicks": 40, "engagements": 57}


def test_a_members_posts_have_no_metrics_through_this_api(linkedin_account):
    linkedin_account.author = "urn:li:person:8675309"
    member = linkedin.connect(linkedin_account, ENV, CONTEXT)

    assert member.metrics(["urn:li:share:1"]) == {}


# --- Credentials -----------------------------------------------------------------------------


def test_an_account_without_an_author_is_a_sentence(linkedin_account):
    linkedin_account.author = None

    with pytest.raises(CredentialsMissing, match="'brand-linkedin' has no author.*urn:li:organization"):
        linkedin.connect(linkedin_account, ENV, CONTEXT)

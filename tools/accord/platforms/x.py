"""X (Twitter): publishing through tweepy; the weighted length X counts is x_text's.

Posting uses OAuth 1.0a user context. tweepy's Client covers posts, timelines and lookups; X moved
media upload to API v2 (the v1.1 upload host is retired) and tweepy 4.17 has no method for it, so
the upload goes through the same Client's generic `request`, which signs and maps errors alike.
"""
from __future__ import annotations

import base64
import html
import mimetypes
import time
import unicodedata
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:  # publishing imports these itself; `accord check` needs only the counter
    import tweepy

from accord import metrics
from accord.platforms.base import Context, Gone, Limits, Media, Posted, Rejected, Request, credentials
# The counter is x_text's; the platform rule finds it here, as it does every network's.
from accord.platforms.x_text import URL_LENGTH, length, url_spans  # noqa: F401

NAME = "X"
LIMITS = Limits(
    NAME,
    max_chars=280,
    counting=f"URLs count {URL_LENGTH}, CJK and emoji 2",
    url_length=URL_LENGTH,
    max_media=4,
    media_size={"image": 5 * 1024 * 1024, "gif": 15 * 1024 * 1024, "video": 512 * 1024 * 1024},
    media_alone=("gif", "video"),  # up to four images, or one GIF, or one video
    max_alt=1000,
)
MAX_CHARS = LIMITS.max_chars  # as views/ read it
API_BASE = "https://api.x.com"
CREDENTIALS = ("API_KEY", "API_SECRET", "ACCESS_TOKEN", "ACCESS_TOKEN_SECRET")
IDS_PER_LOOKUP = 100  # the most ids GET /2/tweets takes at once
METRICS_BATCH = IDS_PER_LOOKUP  # ids `metrics` is given at a time by `accord metrics pull`
PRIVATE_METRICS_FOR = timedelta(days=30)  # X keeps non-public metrics this long after a post
_SNOWFLAKE_EPOCH_MS = 1288834974657  # X ids carry their creation time: ms since this, << 22
# What `metrics` reads from X, and what accord works out from those (see metrics.py).
METRICS = (metrics.IMPRESSIONS, metrics.LIKES, metrics.REPOSTS, metrics.REPLIES, metrics.QUOTES,
           metrics.BOOKMARKS, metrics.LINK_CLICKS, metrics.PROFILE_CLICKS)
DERIVED = (metrics.ENGAGEMENTS,)
_TIMELINE_PAGES = 10  # reconciliation looks at most at this many pages of 100 recent posts
_UPLOAD_CHUNK = 1024 * 1024
_STATUS_CHECKS = 30  # bounded wait for X to process an uploaded video
_TWEEPY_HOSTS = ("https://api.twitter.com", "https://api.x.com")


# --- Publishing --------------------------------------------------------------------------------


def connect(account, env: Mapping[str, str], context: Context) -> XPlatform:
    """An open connection to one X account, with credentials from `<credentials_env>_*`."""
    values = credentials(account, env, CREDENTIALS, NAME)
    return XPlatform(account, account.api_base or API_BASE, values, context.timeout)


def _session(base: str, timeout: float):
    """A requests Session that sends tweepy's calls to the account's api_base, each with a
    bounded timeout.

    tweepy's Client has its host fixed in code. The URL is rewritten before the request is signed:
    OAuth 1.0a signs the full URL, host included, so rewriting later (in a transport adapter)
    would send a signature made for another host. Retries stay off (requests' default): a resent
    POST could post twice.
    """
    import requests

    class Session(requests.Session):
        def prepare_request(self, request):
            for host in _TWEEPY_HOSTS:
                if request.url.startswith(host + "/"):
                    request.url = base.rstrip("/") + request.url[len(host) :]
                    break
            return super().prepare_request(request)

        def send(self, request, **kwargs):
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = timeout
            return super().send(request, **kwargs)

    return Session()


class XPlatform:
    """One X account. Every failure is a base.py error whose message holds no secret."""

    def __init__(self, account, api_base: str, credentials: Mapping[str, str], timeout: float):
        import tweepy  # here, not at the top: `accord check` needs only the length counter

        from accord.platforms.http import Failures

        self.handle = account.handle.lstrip("@")
        self._failures = Failures(NAME, account, credentials)
        self._client = tweepy.Client(
            consumer_key=credentials["API_KEY"],
            consumer_secret=credentials["API_SECRET"],
            access_token=credentials["ACCESS_TOKEN"],
            access_token_secret=credentials["ACCESS_TOKEN_SECRET"],
        )
        self._client.session = _session(api_base, timeout)
        self._private_metrics = True  # until X refuses them (see metrics)

    def url(self, post_id: str) -> str:
        return f"https://x.com/{self.handle}/status/{post_id}"

    def publish(self, request: Request) -> Posted:
        media_ids = [self._upload(media) for media in request.part.media]
        response = self._call(
            "creating the post",
            self._client.create_tweet,
            text=request.part.text,
            in_reply_to_tweet_id=request.reply_to,
            quote_tweet_id=request.quote,
            media_ids=media_ids or None,
            user_auth=True,
        )
        post_id = str(response.data["id"])
        return Posted(post_id, self.url(post_id), datetime.now(timezone.utc))

    def find(self, request: Request, since: datetime) -> Posted | None:
        """The account's post made since `since` with this text (links aside, as X rewrites them
        to t.co) answering the same post and quoting the same post, or None."""
        if since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        me = self._call("looking up the account", self._client.get_me, user_auth=True).data
        wanted = (_comparable(request.part.text), request.reply_to, request.quote)
        token = None
        for _ in range(_TIMELINE_PAGES):
            page = self._call(
                "reading the account's recent posts",
                self._client.get_users_tweets,
                me.id,
                start_time=since,
                max_results=100,
                pagination_token=token,
                tweet_fields=["created_at", "referenced_tweets"],
                user_auth=True,
            )
            for tweet in page.data or []:
                if (_comparable(tweet.text), *_references(tweet)) == wanted:
                    at = tweet.created_at or datetime.now(timezone.utc)
                    return Posted(str(tweet.id), self.url(str(tweet.id)), at)
            token = page.meta.get("next_token")
            if not token:
                break
        return None

    def delete(self, post_id: str) -> None:
        try:
            response = self._call(
                "deleting the post", self._client.delete_tweet, post_id, user_auth=True
            )
        except Gone:
            return  # already deleted: retracting twice is not an error
        if not (response.data or {}).get("deleted", False):
            raise Rejected(f"X did not delete post {post_id}.")

    def metrics(self, post_ids: Iterable[str]) -> Mapping[str, dict[str, int]]:
        """Counts per post id, 100 ids a lookup. Private counts (impressions as X counts them for
        the owner, link and profile clicks) exist for the account's own posts of the last 30 days
        only, and X refuses a whole lookup that asks for them otherwise: posts older than that (by
        the time in their id) are asked for public counts, and a refused lookup is asked again for
        public ones. An id X does not return is not on X (deleted, or no longer visible)."""
        ids = list(dict.fromkeys(str(post_id) for post_id in post_ids))
        recent = datetime.now(timezone.utc) - PRIVATE_METRICS_FOR
        fresh = [i for i in ids if _posted_at(i) > recent]
        old = [i for i in ids if _posted_at(i) <= recent]
        counts = {}
        for group, private in ((fresh, True), (old, False)):
            for start in range(0, len(group), IDS_PER_LOOKUP):
                for tweet in self._lookup(group[start : start + IDS_PER_LOOKUP], private):
                    counts[str(tweet.id)] = _normalised(tweet)
        return counts

    def _lookup(self, ids: list[str], private: bool) -> list[tweepy.Tweet]:
        public = ["public_metrics"]
        if private and self._private_metrics:
            try:
                return self._call("reading metrics", self._client.get_tweets, ids,
                                  tweet_fields=public + ["non_public_metrics", "organic_metrics"],
                                  user_auth=True).data or []
            except Rejected:
                self._private_metrics = False  # not this token's posts: ask no more of them this run
        response = self._call("reading metrics", self._client.get_tweets, ids, tweet_fields=public, user_auth=True)
        return response.data or []

    def _upload(self, media: Media) -> str:
        """Uploads one file in chunks (media upload v2), waits for processing, sets alt text."""
        action = f"uploading {media.path.name}"
        try:
            data = media.path.read_bytes()
        except OSError as error:
            raise Rejected(f"Cannot read media file {media.path}: {error.strerror}.") from None
        kind = mimetypes.guess_type(media.path.name)[0] or "application/octet-stream"
        category = (
            "tweet_video" if kind.startswith("video/")
            else "tweet_gif" if kind == "image/gif"
            else "tweet_image"
        )
        started = self._api(
            action,
            "POST",
            "/2/media/upload/initialize",
            json={"media_type": kind, "total_bytes": len(data), "media_category": category},
        )
        media_id = str(started["data"]["id"])
        for index, offset in enumerate(range(0, len(data), _UPLOAD_CHUNK)):
            chunk = base64.b64encode(data[offset : offset + _UPLOAD_CHUNK]).decode("ascii")
            self._api(
                action,
                "POST",
                f"/2/media/upload/{media_id}/append",
                json={"media": chunk, "segment_index": index},
                parse=False,
            )
        finished = self._api(action, "POST", f"/2/media/upload/{media_id}/finalize")
        self._wait_until_processed(media, media_id, finished["data"].get("processing_info"))
        self._api(
            f"setting alt text of {media.path.name}",
            "POST",
            "/2/media/metadata",
            json={"id": media_id, "metadata": {"alt_text": {"text": media.alt}}},
        )
        return media_id

    def _wait_until_processed(self, media: Media, media_id: str, info: dict | None) -> None:
        # X processes video after upload and refuses a post whose media is not ready yet.
        for _ in range(_STATUS_CHECKS):
            state = (info or {}).get("state", "succeeded")
            if state == "succeeded":
                return
            if state == "failed":
                reason = (info.get("error") or {}).get("message", "no reason given")
                raise Rejected(f"X could not process {media.path.name}: {reason}.")
            time.sleep(min(max(int(info.get("check_after_secs", 1)), 0), 10))
            status = self._api(
                f"checking {media.path.name}",
                "GET",
                "/2/media/upload",
                params={"command": "STATUS", "media_id": media_id},
            )
            info = status["data"].get("processing_info")
        raise Rejected(f"X did not finish processing {media.path.name} in time.")

    def _api(self, action, method, route, *, json=None, params=None, parse=True):
        response = self._call(
            action, self._client.request, method, route, params=params, json=json, user_auth=True
        )
        return response.json() if parse else None

    def _call(self, action: str, function, *args, **kwargs):
        """Runs one tweepy call and turns its failures into base.py outcomes (http.py's mapping,
        with X's duplicate refusal in its own words). Never retries."""
        import requests
        import tweepy

        from accord.platforms.http import reset_at

        try:
            return function(*args, **kwargs)
        except tweepy.HTTPException as error:
            detail = "; ".join(str(message) for message in error.api_messages)
            status = error.response.status_code
            if status == 403 and "duplicate" in detail.lower():
                raise Rejected("X refused the post as a duplicate: this account posted the same text recently.") from None
            # tweepy's TooManyRequests reads x-rate-limit-reset too; reset_at reads every reset header alike.
            raise self._failures.answered(action, status, detail, reset_at(error.response.headers)) from None
        except requests.RequestException as error:
            raise self._failures.unanswered(action, error) from None


def _comparable(text: str) -> str:
    """Text as X may return it: HTML entities undone, links removed (X rewrites them to t.co and
    appends a link for media), whitespace collapsed."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    for start, end in reversed(url_spans(text)):
        text = text[:start] + " " + text[end:]
    return " ".join(text.split())


def _references(tweet: tweepy.Tweet) -> tuple[str | None, str | None]:
    found = {ref.type: str(ref.id) for ref in tweet.referenced_tweets or []}
    return found.get("replied_to"), found.get("quoted")


def _normalised(tweet: tweepy.Tweet) -> dict[str, int]:
    """X's counts under accord's names (metrics.py); what X did not report is left out."""
    public = tweet.public_metrics or {}
    private = tweet.non_public_metrics or tweet.organic_metrics or {}
    counts = {
        metrics.IMPRESSIONS: private.get("impression_count", public.get("impression_count")),
        metrics.LIKES: public.get("like_count"),
        metrics.REPOSTS: public.get("retweet_count"),
        metrics.REPLIES: public.get("reply_count"),
        metrics.QUOTES: public.get("quote_count"),
        metrics.BOOKMARKS: public.get("bookmark_count"),
        metrics.LINK_CLICKS: private.get("url_link_clicks"),
        metrics.PROFILE_CLICKS: private.get("user_profile_clicks"),
    }
    # X reports no total of interactions: engagements is their sum (DERIVED)
    return metrics.with_engagements({name: int(value) for name, value in counts.items() if value is not None})


def _posted_at(post_id: str) -> datetime:
    """When X made the post, from its id (ids that are no snowflake read as long ago)."""
    try:
        ms = (int(post_id) >> 22) + _SNOWFLAKE_EPOCH_MS
    except ValueError:
        ms = 0
    return datetime.fromtimestamp(ms / 1000, timezone.utc)

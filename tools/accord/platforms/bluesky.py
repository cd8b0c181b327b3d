"""Bluesky: the length Bluesky counts, its media limits, and publishing through the atproto SDK.

A post is an app.bsky.feed.post record in the account's repository, created at a record key
derived from the target and part (a TID, as the lexicon asks), so it exists once whatever
happens: a resend at the same key is refused, and after an unknown outcome the record at that
key says whether the post went out. A post's id is its at:// URI.
"""
from __future__ import annotations

import hashlib
import mimetypes
import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Iterable, Mapping, NamedTuple
from urllib.parse import urlsplit

if TYPE_CHECKING:  # publishing imports the SDK itself: `accord check` needs only the counter
    from atproto_client import Client, models

from accord.platforms.base import (Context, CredentialsRefused, Gone, Limits,
                                   Media, Posted, Rejected, Request, credentials)
from accord.platforms.graphemes import graphemes

NAME = "Bluesky"
API_BASE = "https://bsky.social"  # the entryway: after login the SDK talks to the account's PDS
CREDENTIALS = ("HANDLE", "APP_PASSWORD")
POSTS_PER_LOOKUP = 25  # the most URIs app.bsky.feed.getPosts takes at once
COLLECTION = "app.bsky.feed.post"
# A link is shown as Bluesky's app shows it: without its scheme, and a path (with query and
# fragment) longer than 15 characters cut to its first 13 and '...'. The facet keeps the full URL.
LINK_PATH_SHOWN = 15
LINK_PATH_KEPT = 13

def length(text: str) -> int:
    """Graphemes of the text as it is sent: links shown as Bluesky shows them."""
    return graphemes(shown(text).text if "://" in text else text)


def length_bound(text: str) -> int:
    """At least length(text): a grapheme holds one character or more, and a shown link is
    shorter than the link (it loses its scheme)."""
    return len(text)


LIMITS = Limits(
    NAME,
    max_chars=300,  # extended grapheme clusters: a ZWJ family emoji is one
    counting="graphemes: an emoji sequence counts 1, a link as it is shown (long ones shortened)",
    length_bound=length_bound,
    max_bytes=3000,  # UTF-8 bytes of the post record's text
    max_media=4,
    # Bytes per kind. The lexicons now let an image blob be 2,000,000 bytes and a video 300 MB, up from
    # 1,000,000 and 100 MB: accord keeps to the older limits, which every PDS and app still takes.
    media_size={"image": 1_000_000, "gif": 1_000_000, "video": 100_000_000},
    media_alone=("video",),  # a post embeds images or one video, not both
    max_alt=2000,
)
MAX_CHARS = LIMITS.max_chars  # as views/ read it


# --- Links as shown ----------------------------------------------------------------------------

# As Bluesky's rich-text detection: an http(s) link starts the text or follows a space or '(',
# runs to the next space, and loses one trailing sentence mark (and a ')' it did not open).
_LINK = re.compile(r"(?:^|(?<=[\s(]))https?://\S+", re.IGNORECASE)


class Link(NamedTuple):
    start: int  # characters of the shown text
    end: int
    uri: str  # the full URL


class Shown(NamedTuple):
    text: str
    links: tuple[Link, ...]


def shown(text: str) -> Shown:
    """The text with every long link shortened for display, and where each link now stands."""
    out, links, index = [], [], 0
    for match in _LINK.finditer(text):
        uri = match[0]
        if uri[-1] in ".,;:!?":
            uri = uri[:-1]
        if uri.endswith(")") and "(" not in uri:
            uri = uri[:-1]
        out.append(text[index : match.start()])
        start = sum(map(len, out))
        display = _short(uri)
        out.append(display)
        links.append(Link(start, start + len(display), uri))
        index = match.start() + len(uri)
    out.append(text[index:])
    return Shown("".join(out), tuple(links))


def _short(uri: str) -> str:
    parts = urlsplit(uri)
    path = (parts.path if parts.path != "/" else "") + (f"?{parts.query}" if parts.query else "") + (
        f"#{parts.fragment}" if parts.fragment else "")
    if len(path) <= LINK_PATH_SHOWN:
        return uri  # short enough as written
    return parts.netloc.rpartition("@")[2] + path[:LINK_PATH_KEPT] + "..."


# --- Record keys -------------------------------------------------------------------------------

_S32 = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as TIDs are written
_TID_TIME_BEFORE = 1_704_067_200_000_000  # 2024-01-01 in microseconds


def record_key(key: str) -> str:
    """A TID (13 base32-sortable characters: 53 bits of microseconds, 10 of clock id) made from
    the request's key, the same on every run. Its time is kept before 2024, so nothing reads it
    as a record from the future."""
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    micros, clock = (digest >> 10) % _TID_TIME_BEFORE, digest & 0x3FF
    return _s32(micros, 11) + _s32(clock, 2)


def _s32(value: int, width: int) -> str:
    return "".join(_S32[(value >> (5 * i)) & 31] for i in reversed(range(width)))


# --- Publishing --------------------------------------------------------------------------------


def connect(account, env: Mapping[str, str], context: Context) -> BlueskyPlatform:
    """An open session for one Bluesky account (one createSession a run), with the handle and
    app password from `<credentials_env>_HANDLE` and `_APP_PASSWORD`."""
    from accord.platforms.http import Failures

    values = credentials(account, env, CREDENTIALS, NAME)
    failures = Failures(NAME, account, values)
    return BlueskyPlatform(account.api_base or API_BASE, values, failures, context.timeout)


class BlueskyPlatform:
    """One Bluesky account. Every failure is a base.py error whose message holds no secret."""

    def __init__(self, api_base: str, values: Mapping[str, str], failures, timeout: float):
        from atproto_client import Client
        from atproto_client.request import Request as Transport

        self._failures = failures
        self._client: Client = Client(api_base, request=Transport(timeout=timeout))
        sessions = []
        self._client.on_session_change(lambda event, session: sessions.append(session))
        self._call("signing in", self._client.login, values["HANDLE"], values["APP_PASSWORD"],
                   fetch_bsky_profile=False)
        self.did, self.handle = sessions[-1].did, sessions[-1].handle

    def url(self, uri: str) -> str:
        return f"https://bsky.app/profile/{self.handle}/post/{uri.rsplit('/', 1)[-1]}"

    def publish(self, request: Request) -> Posted:
        from atproto_client import models

        text = shown(request.part.text)
        record = models.AppBskyFeedPost.Record(
            text=text.text,
            created_at=_iso(datetime.now(timezone.utc)),
            facets=self._facets(text) or None,
            reply=self._reply(request.reply_to) if request.reply_to else None,
            embed=self._embed(request),
            langs=[request.part.locale] if request.part.locale else None,
        )
        data = {"repo": self.did, "collection": COLLECTION, "rkey": record_key(request.key), "record": record}
        made = self._call("creating the post", self._client.com.atproto.repo.create_record, data)
        return Posted(made.uri, self.url(made.uri), datetime.now(timezone.utc))

    def find(self, request: Request, since: datetime) -> Posted | None:
        """The record at the request's key, if it exists: only accord writes there."""
        found = self._record(f"at://{self.did}/{COLLECTION}/{record_key(request.key)}")
        if found is None:
            return None
        created = _value(found.value, "created_at", "createdAt")
        return Posted(found.uri, self.url(found.uri), _parse_time(created))

    def delete(self, post_id: str) -> None:
        # deleteRecord also ensures a record that is already gone stays gone
        data = {"repo": self.did, "collection": COLLECTION, "rkey": post_id.rsplit("/", 1)[-1]}
        self._call("deleting the post", self._client.com.atproto.repo.delete_record, data)

    def metrics(self, post_ids: Iterable[str]) -> Mapping[str, dict[str, int]]:
        uris = list(dict.fromkeys(str(post_id) for post_id in post_ids))
        counts = {}
        for start in range(0, len(uris), POSTS_PER_LOOKUP):
            batch = {"uris": uris[start : start + POSTS_PER_LOOKUP]}
            answer = self._call("reading metrics", self._client.app.bsky.feed.get_posts, batch)
            for view in answer.posts:
                counts[view.uri] = _normalised(view)
        return counts

    # - the parts of a record -

    def _facets(self, text: Shown) -> list[models.AppBskyRichtextFacet.Main]:
        """Links as shown() placed them; hashtags and mentions (handles resolved to DIDs, those
        that do not resolve left plain) as the SDK finds them, outside the links."""
        from atproto_client import models

        def at(index: int) -> int:
            return len(text.text[:index].encode("utf-8"))

        links = [models.AppBskyRichtextFacet.Main(
            features=[models.AppBskyRichtextFacet.Link(uri=link.uri)],
            index=models.AppBskyRichtextFacet.ByteSlice(byte_start=at(link.start), byte_end=at(link.end)),
        ) for link in text.links]
        spans = [(facet.index.byte_start, facet.index.byte_end) for facet in links]
        found = self._call("resolving mentions", self._client.detect_facets, text.text)
        others = [facet for facet in found if not any(
            facet.index.byte_start < end and start < facet.index.byte_end for start, end in spans)]
        return sorted(links + others, key=lambda facet: facet.index.byte_start)

    def _reply(self, reply_to: str) -> models.AppBskyFeedPost.ReplyRef:
        """Root and parent strong refs (URI and CID): the parent is the post answered, the root
        the first post of its thread (the parent's own root, when it answers one)."""
        from atproto_client import models

        uri = reply_to if reply_to.startswith("at://") else f"at://{self.did}/{COLLECTION}/{reply_to}"
        parent = self._record(uri)
        if parent is None:
            raise Rejected(f"The post this one answers ({uri}) is not on Bluesky.")
        parent_ref = models.ComAtprotoRepoStrongRef.Main(uri=parent.uri, cid=parent.cid)
        reply = _value(parent.value, "reply", "reply")
        root = _value(reply, "root", "root") if reply is not None else None
        root_ref = models.ComAtprotoRepoStrongRef.Main(
            uri=_value(root, "uri", "uri"), cid=_value(root, "cid", "cid")) if root is not None else parent_ref
        return models.AppBskyFeedPost.ReplyRef(root=root_ref, parent=parent_ref)

    def _embed(self, request: Request):
        from atproto_client import models

        media = None
        if request.part.media:
            uploaded = [(item, self._upload(item)) for item in request.part.media]
            videos = [(item, blob) for item, blob in uploaded if _kind(item) == "video"]
            if videos:
                item, blob = videos[0]
                media = models.AppBskyEmbedVideo.Main(video=blob, alt=item.alt)
            else:
                media = models.AppBskyEmbedImages.Main(images=[
                    models.AppBskyEmbedImages.Image(image=blob, alt=item.alt) for item, blob in uploaded])
        if not request.quote:
            return media
        uri = request.quote if request.quote.startswith("at://") else f"at://{self.did}/{COLLECTION}/{request.quote}"
        quoted = self._record(uri)
        if quoted is None:
            raise Rejected(f"The post this one quotes ({uri}) is not on Bluesky.")
        record = models.AppBskyEmbedRecord.Main(
            record=models.ComAtprotoRepoStrongRef.Main(uri=quoted.uri, cid=quoted.cid))
        return models.AppBskyEmbedRecordWithMedia.Main(record=record, media=media) if media else record

    def _upload(self, media: Media):
        try:
            data = media.path.read_bytes()
        except OSError as error:
            raise Rejected(f"Cannot read media file {media.path}: {error.strerror}.") from None
        kind = _kind(media)
        if len(data) > LIMITS.media_size[kind]:
            raise Rejected(f"{media.path.name} is {len(data)} bytes; Bluesky takes {kind}s up to "
                           f"{LIMITS.media_size[kind]}.")
        content_type = mimetypes.guess_type(media.path.name)[0] or "application/octet-stream"
        answer = self._call(f"uploading {media.path.name}", self._client.com.atproto.repo.upload_blob,
                            data, headers={"Content-Type": content_type})
        return answer.blob

    def _record(self, uri: str):
        """The record at an at:// URI (its uri, cid and value), or None when there is none."""
        repo, collection, rkey = uri.removeprefix("at://").split("/", 2)
        params = {"repo": repo, "collection": collection, "rkey": rkey}
        try:
            return self._call("reading the post", self._client.com.atproto.repo.get_record, params)
        except Gone:
            return None

    def _call(self, action: str, function, *args, **kwargs):
        """Runs one SDK call and turns its failures into base.py outcomes. Never retries."""
        import httpx
        from atproto_client import exceptions

        from accord.platforms.http import reset_at

        try:
            return function(*args, **kwargs)
        except exceptions.RequestErrorBase as error:
            response = error.response
            if response is None:  # a timeout, or no connection
                raise self._failures.unanswered(action, error) from None
            # XRPC answers 400 for a record that is not there; it is what a 404 says elsewhere
            status = 404 if _xrpc_error(error) == "RecordNotFound" else response.status_code
            outcome = self._failures.answered(action, status, _detail(error), reset_at(response.headers))
            if isinstance(outcome, CredentialsRefused):
                outcome = CredentialsRefused(f"{outcome} Make a new app password in Bluesky (Settings, App passwords).")
            raise outcome from None
        except httpx.TransportError as error:  # the SDK passes some on as they are (a dropped connection)
            raise self._failures.unanswered(action, error) from None


def _kind(media: Media) -> str:
    guessed = mimetypes.guess_type(media.path.name)[0] or ""
    return "video" if guessed.startswith("video/") else "gif" if guessed == "image/gif" else "image"


def _value(holder, attribute: str, key: str):
    """A field of a record as the SDK gives it: a model when it knows the type, else a dict."""
    if holder is None:
        return None
    return holder.get(key) if isinstance(holder, dict) else getattr(holder, attribute, None)


def _xrpc_error(error) -> str | None:
    content = error.response.content if error.response is not None else None
    return getattr(content, "error", None)


def _detail(error) -> str:
    """The XRPC error name and message of an answer."""
    content = error.response.content
    return ": ".join(filter(None, (getattr(content, "error", None), getattr(content, "message", None))))


def _normalised(view) -> dict[str, int]:
    """Only the counts Bluesky reported; engagements is their sum."""
    counts = {"likes": view.like_count, "reposts": view.repost_count, "replies": view.reply_count,
              "quotes": view.quote_count, "bookmarks": view.bookmark_count}
    counts = {name: int(value) for name, value in counts.items() if value is not None}
    if counts:
        counts["engagements"] = sum(counts.values())
    return counts


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_time(value: str | None) -> datetime:
    if not value:
        return datetime.now(timezone.utc)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))

"""Mastodon: the length an instance counts, the media it takes, and publishing through Mastodon.py.

`api_base` is the instance; the token (scopes read and write) comes from `<PREFIX>_ACCESS_TOKEN`.
Each part is posted with an Idempotency-Key derived from its target and place, threads as replies,
media uploaded with alt text and awaited until processed.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterable, Mapping

from .base import Context, Gone, Limits, Media, PlatformError, Posted, Rejected, Request, Unknown, credentials
from .graphemes import graphemes

NAME = "Mastodon"
URL_LENGTH = 23  # on every instance: a constant of Mastodon's length validator

# As the server's status length validator: every http(s) link is a 23-character placeholder, a
# remote mention counts only its local part, and what remains is counted in graphemes.
_URL = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,:;!?'\")\]]")
_MENTION = re.compile(r"(?<![\w/])@(\w+(?:[.-]+\w+)*)@[\w.-]+\w", re.ASCII | re.IGNORECASE)


def length(text: str) -> int:
    text = _URL.sub("x" * URL_LENGTH, text)
    text = _MENTION.sub(r"@\1", text)
    return graphemes(text)


def length_bound(text: str) -> int:
    """At least length(text): a link is 8 characters or more ('http://' and one) and counts 23,
    holding its own '://'; a remote mention only shortens; a grapheme is a character or more."""
    return len(text) + (URL_LENGTH - 8) * text.count("://")


LIMITS = Limits(
    NAME,
    max_chars=500,  # mastodon.social and the default; other instances: the account's limits.max_chars
    counting=f"URLs count {URL_LENGTH}, @user@domain counts as @user",
    url_length=URL_LENGTH,
    length_bound=length_bound,
    max_media=4,
    # Defaults of Mastodon 4.2+: 16 MB images (GIFs are converted to video but limited as images), 99 MB video.
    media_size={"image": 16 * 1024 * 1024, "gif": 16 * 1024 * 1024, "video": 99 * 1024 * 1024},
    media_alone=("video",),  # up to four images, or one video
    max_alt=1500,
)
MAX_CHARS = LIMITS.max_chars  # as views/ read it


# --- Publishing through Mastodon.py --------------------------------------------------------

CREDENTIALS = ("ACCESS_TOKEN",)  # <PREFIX>_ACCESS_TOKEN (accord init --with reads it)
IDS_PER_LOOKUP = 20  # the most ids GET /api/v1/statuses takes (Mastodon 4.3+)
VISIBILITY = "public"  # accord posts announcements; the schema has no field that says otherwise
_PAGE = 40  # statuses per page of an account's statuses, the most Mastodon gives
_PAGES = 10  # reconciliation reads at most this many pages of statuses since the claim
_MEDIA_WAIT = 60.0  # seconds to wait at most for the server to process an upload
# Of regional language codes Mastodon knows only Chinese ones; any other code it does not know
# it replaces with the account's default language, so 'en-GB' is sent as 'en'.
_REGIONAL = ("zh-CN", "zh-HK", "zh-TW")


def connect(account, env: Mapping[str, str], context: Context) -> MastodonPlatform:
    """An open connection to one Mastodon account: the instance at `api_base` (else the domain of
    an @user@domain handle), the token from `<credentials_env>_ACCESS_TOKEN`."""
    values = credentials(account, env, CREDENTIALS, NAME)
    base = account.api_base
    if not base and account.handle.count("@") == 2:
        base = "https://" + account.handle.rsplit("@", 1)[1]
    if not base:
        raise PlatformError(f"Account '{account.id}' names no instance: set api_base to its URL, "
                            f"e.g. https://mastodon.social.")
    return MastodonPlatform(account, base, values, context.timeout)


class MastodonPlatform:
    """One Mastodon account. Every failure is a base.py error whose message holds no secret."""

    def __init__(self, account, api_base: str, values: Mapping[str, str], timeout: float):
        # Imported here, not at the top: `accord check` needs only the counter.
        from mastodon import Mastodon

        from .http import Failures

        self._failures = Failures(NAME, account, values)
        # "throw": a rate limit is the publisher's to wait for (bounded), not a sleep in here.
        self._api = Mastodon(api_base_url=api_base, ratelimit_method="throw", request_timeout=timeout,
                             user_agent="accord", version_check_mode="none")
        # Set after construction: given to the constructor, a token that names a file is read from it.
        self._api.access_token = values["ACCESS_TOKEN"]
        self._me = None

    def publish(self, request: Request) -> Posted:
        media_ids = [self._upload(media) for media in request.part.media]
        status = self._call(
            "creating the post",
            self._api.status_post,
            request.part.text,
            in_reply_to_id=request.reply_to,
            media_ids=media_ids or None,
            visibility=VISIBILITY,
            language=_language(request.part.locale),
            # A resend with this key inside the hour the server keeps it answers the first status.
            idempotency_key=idempotency_key(request.key),
            quoted_status_id=request.quote,
        )
        return self._posted(status)

    def find(self, request: Request, since: datetime) -> Posted | None:
        """The account's status made since `since` answering the same post, quoting the same post,
        with the same text (its source, as written, not the HTML shown), or None."""
        if since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        me = self._account()
        wanted = " ".join(request.part.text.split())
        older_than = None
        for _ in range(_PAGES):
            # Status ids are snowflakes of their creation time: since_id can be a time.
            page = self._call("reading the account's recent posts", self._api.account_statuses, me.id,
                              since_id=since, max_id=older_than, limit=_PAGE, exclude_reblogs=True)
            for status in page:
                if (_id(status.get("in_reply_to_id")), _quoted(status)) != (request.reply_to, request.quote):
                    continue
                try:
                    source = self._call("reading a recent post's text", self._api.status_source, status.id)
                except Gone:
                    continue  # deleted since it was listed
                if " ".join((source.get("text") or "").split()) == wanted:
                    return self._posted(status)
            if len(page) < _PAGE:
                return None
            older_than = page[-1].id
        return None

    def delete(self, post_id: str) -> None:
        try:
            self._call("deleting the post", self._api.status_delete, post_id)
        except Gone:
            return  # already deleted: retracting twice is not an error

    def metrics(self, post_ids: Iterable[str]) -> Mapping[str, dict[str, int]]:
        ids = list(dict.fromkeys(str(post_id) for post_id in post_ids))
        if not ids:
            return {}
        if self._api.verify_minimum_version("4.3.0", cached=True):
            batches = [ids[start : start + IDS_PER_LOOKUP] for start in range(0, len(ids), IDS_PER_LOOKUP)]
            statuses = [s for batch in batches for s in self._call("reading metrics", self._api.statuses, batch)]
        else:  # an older server reads one status a request
            statuses = []
            for post_id in ids:
                try:
                    statuses.append(self._call("reading metrics", self._api.status, post_id))
                except Gone:
                    continue  # deleted since: no counts, rather than invented zeros
        return {str(status.id): _normalised(status) for status in statuses}

    def _account(self):
        if self._me is None:
            self._me = self._call("looking up the account", self._api.me)
        return self._me

    def _posted(self, status) -> Posted:
        at = status.get("created_at") or datetime.now(timezone.utc)
        if at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        return Posted(str(status.id), status.get("url") or status.get("uri") or "", at)

    def _upload(self, media: Media) -> str:
        """Uploads one file with its alt text (media v2) and waits, bounded, until it is processed:
        Mastodon refuses a status whose media are still processing."""
        import mimetypes
        import time

        kind = mimetypes.guess_type(media.path.name)[0] or "application/octet-stream"
        try:
            data = media.path.read_bytes()
        except OSError as error:
            raise Rejected(f"Cannot read media file {media.path}: {error.strerror}.") from None
        action = f"uploading {media.path.name}"
        attachment = self._call(action, self._api.media_post, data, mime_type=kind,
                                description=media.alt, file_name=media.path.name)
        deadline = time.monotonic() + _MEDIA_WAIT
        delay = 0.25
        while attachment.get("url") is None:  # 202 / 206: still processing
            if time.monotonic() + delay > deadline:
                raise Rejected(f"Mastodon did not finish processing {media.path.name} in time.")
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
            attachment = self._call(f"checking {media.path.name}", self._api.media, attachment.id)
        return str(attachment.id)

    def _call(self, action: str, function, *args, **kwargs):
        """Runs one Mastodon.py call and turns its failures into base.py outcomes. Never retries."""
        from mastodon import MastodonAPIError, MastodonNetworkError, MastodonRatelimitError

        try:
            return function(*args, **kwargs)
        except MastodonRatelimitError:
            # Mastodon.py read X-RateLimit-Reset (and the server's clock) before throwing.
            reset = self._api.ratelimit_reset
            at = datetime.fromtimestamp(reset, timezone.utc) if reset else None
            raise self._failures.answered(action, 429, reset_at=at) from None
        except MastodonNetworkError as error:
            raise self._failures.unanswered(action, error) from None
        except MastodonAPIError as error:
            # ('Mastodon API returned error', status, reason, the server's error text)
            status = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], int) else None
            if status is None:  # an answer it could not read: whether the post exists is not known
                raise Unknown(self._failures.clean(
                    f"Mastodon gave an answer that could not be read while {action} ({error}); "
                    "the post may or may not exist.")) from None
            detail = str(error.args[3] or error.args[2] or "") if len(error.args) > 3 else ""
            raise self._failures.answered(action, status, detail) from None


def idempotency_key(key: str) -> str:
    """The Idempotency-Key of one part: a hash of the target and part (a post id may hold
    characters a header cannot), the same in every run."""
    import hashlib

    return "accord-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def _language(locale: str | None) -> str | None:
    if not locale:
        return None
    return locale if locale in _REGIONAL else locale.split("-")[0].lower()


def _id(value) -> str | None:
    return None if value is None else str(value)


def _quoted(status) -> str | None:
    quote = status.get("quote") or {}
    quoted = quote.get("quoted_status") or {}
    return _id(quoted.get("id"))


def _normalised(status) -> dict[str, int]:
    counts = {
        "replies": status.get("replies_count"),
        "reposts": status.get("reblogs_count"),
        "likes": status.get("favourites_count"),
        "quotes": status.get("quotes_count"),  # Mastodon 4.5+; absent before, so not counted
    }
    counts = {name: int(value) for name, value in counts.items() if value is not None}
    # Engagements: the sum of the interactions Mastodon reports (it has no impressions or clicks).
    counts["engagements"] = sum(counts.values())
    return counts

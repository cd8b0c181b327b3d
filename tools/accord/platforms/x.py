"""X (Twitter): the weighted length X counts, and publishing through tweepy.

Posting uses OAuth 1.0a user context. tweepy's Client covers posts, timelines and lookups; X moved
media upload to API v2 (the v1.1 upload host is retired) and tweepy 4.17 has no method for it, so
the upload goes through the same Client's generic `request`, which signs and maps errors alike.
"""
from __future__ import annotations

import base64
import html
import mimetypes
import re
import time
import unicodedata
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:  # publishing imports these itself; `accord check` needs only the counter
    import regex  # as do the emoji and URL patterns, when a text first needs them (10 ms)
    import requests
    import tweepy

from accord import metrics
from accord.platforms.base import (
    Context,
    Media,
    Posted,
    RateLimited,
    Rejected,
    Request,
    Unknown,
    credentials,
)

NAME = "X"
MAX_CHARS = 280
URL_LENGTH = 23  # every link becomes a t.co link of this length, whatever it was
COUNTING = "URLs count 23, CJK and emoji 2"
MAX_MEDIA = 4
MEDIA_SIZE = {"image": 5 * 1024 * 1024, "gif": 15 * 1024 * 1024, "video": 512 * 1024 * 1024}
MEDIA_ALONE = ("gif", "video")  # up to four images, or one GIF, or one video
MAX_ALT = 1000
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


# --- Weighted length, as twitter-text v3 defines it ------------------------------------------

# Code points in these ranges weigh 1; all others weigh 2.
_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_HEAVY = re.compile("[^" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _LIGHT) + "]")


def length(text: str) -> int:
    """The length X counts: NFC text, URLs 23 each, an emoji sequence 2, CJK and others 2."""
    text = unicodedata.normalize("NFC", text)
    plain = text.isascii()  # no emoji and nothing heavy: most posts
    total = len(text) if plain else len(text) + len(_HEAVY.findall(text))
    spans = [(start, end, URL_LENGTH) for start, end in _url_spans(text)]
    if not plain:
        spans += [(*match.span(), 2) for match in _emoji().finditer(text)]
    # Read left to right, a URL or emoji counts its fixed weight instead of its characters'; one
    # that starts inside another already counted is part of it, and at the same place the URL
    # (sorted first) wins.
    index = 0
    for start, end, weight in sorted(spans, key=lambda span: (span[0], -span[2])):
        if start < index:
            continue
        heavy = 0 if plain else len(_HEAVY.findall(text, start, end))
        total += weight - (end - start) - heavy
        index = end
    return total


# An emoji sequence counts 2 however many code points it has: flags, keycaps, subdivision flags,
# and pictographs with a variation selector or skin tone, joined by ZWJ. (C) and (R) are emoji only
# with the emoji variation selector; digits, '#' and '*' only in a keycap.
_PICTOGRAPH = (
    r"(?:[\u00a9\u00ae]\ufe0f|(?![\u00a9\u00ae])\p{Extended_Pictographic}|\p{Emoji_Presentation})"
    r"(?:\ufe0f|\p{Emoji_Modifier})?"
)


@lru_cache(maxsize=None)
def _emoji() -> regex.Pattern:
    import regex

    return regex.compile(
        r"\p{Regional_Indicator}{2}"
        r"|[#*0-9]\ufe0f?\u20e3"
        r"|\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F"
        rf"|{_PICTOGRAPH}(?:\u200d{_PICTOGRAPH})*"
    )


# URL recognition follows twitter-text's extractor: what may precede a URL, which characters a
# domain label may hold, a known top-level domain, then optional port, path and query.
_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVALID = "\ufffe\ufeff\uffff"
_SPACES = "\\s\u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_PUNCT = "!\"'#%&()*+,\\\\\\-./:;<=>?@\\[\\]^_`{|}~$"
_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
_SUBDOMAIN = f"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_DOMAIN_NAME = f"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_LATIN = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    "\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)


def _alternatives(words: str) -> str:
    """A pattern for any of the words that tries the longest first ('com' before 'co'), written
    as a tree of shared prefixes: a flat alternation of 1,500 words is slow to compile and to try."""
    tree: dict = {}
    for word in words.split():
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer word first

    return f"(?:{pattern(tree)})"


_TLD_END = "(?=[^0-9a-z@+-]|$)"


# The URL patterns are compiled on first use: that takes ~0.1 s, which a check with no X text
# holding a '.' need not pay.
def _tld() -> str:
    return f"(?:{_alternatives(_GENERIC_TLDS)}|{_alternatives(_COUNTRY_TLDS)}|xn--[0-9a-z]+){_TLD_END}"


@lru_cache(maxsize=None)
def _url_pattern() -> regex.Pattern:
    path_char = f"[a-z\u0400-\u04ff0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~&|@{_LATIN}]"
    parens = f"\\((?:{path_char}+|{path_char}*\\({path_char}+\\){path_char}*)\\)"
    path_end = f"(?:[a-z\u0400-\u04ff0-9=_#/+\\-{_LATIN}]|{parens})"
    path = f"(?:{path_char}*(?:{parens}{path_char}*)*{path_end}|{path_char}+/)"
    import regex

    return regex.compile(
        f"(?<![a-z0-9@\uff20$#\uff03{_INVALID}])"
        "(?P<protocol>https?://)?"
        f"(?P<domain>{_SUBDOMAIN}*{_DOMAIN_NAME}{_tld()})"
        "(?::[0-9]+)?"
        f"(?P<path>/{path}*)?"
        "(?:\\?[a-z0-9!?*'@();:&=+$/%#\\[\\]\\-_.,~|]*[a-z0-9\\-_&=#/])?",
        regex.IGNORECASE,
    )


@lru_cache(maxsize=None)
def _bare_domain_patterns() -> tuple[regex.Pattern, regex.Pattern, regex.Pattern]:
    """For a URL without a protocol: its plain-letter domains, a bare two-label country domain,
    and the country domains (co, tv) that count without a path."""
    import regex

    country = f"{_alternatives(_COUNTRY_TLDS)}{_TLD_END}"
    ascii_domain = regex.compile(f"(?:[\\-a-z0-9{_LATIN}]+\\.)+{_tld()}", regex.IGNORECASE)
    short = regex.compile(f"^{_DOMAIN_NAME}{country}$", regex.IGNORECASE)
    special_short = regex.compile(f"^{_DOMAIN_NAME}(?:co|tv){_TLD_END}$", regex.IGNORECASE)
    return ascii_domain, short, special_short


def _valid_host(protocol: str | None, domain: str) -> bool:
    """Every label fits DNS's 63 characters once punycoded, and the URL X's 4096."""
    size = len(protocol or "https://")
    for label in domain.split("."):
        if not label.isascii():
            label = "xn--" + label.encode("punycode").decode("ascii")
        if not label or len(label) > 63:
            return False
        size += len(label) + 1
    return size <= 4096


# A URL never holds a space and always holds a '.' with a top-level domain after it, which starts
# with a letter (or a character beyond ASCII): only the run of non-space characters around such a
# '.' is searched. The URL pattern is slow to try at every position of a whole post, and so is
# any pattern for the runs themselves; finding the '.' first and the run's ends from it is quick.
_BREAKS = " \t\n\r\f\v" + _SPACES.replace("\\s", "")  # spaces by any definition
_TLD_AFTER_DOT = re.compile(f"\\.(?:[A-Za-z]|(?![{_BREAKS}])[^\\x00-\\x7f])")
_UP_TO_RUN = re.compile(f".*[{_BREAKS}]", re.DOTALL)  # greedy: up to the last space before the '.'
_RUN_REST = re.compile(f"[^{_BREAKS}]*")


# A plain web address, all of it ASCII of the kinds below, needs no URL pattern (and most checks
# then never compile it): it is one URL from end to end when its last label is a known top-level
# domain. The pattern's domain then ends there, its path takes every character up to the last (one
# it may end with), and its query all the rest.
_PLAIN_URL = re.compile(r"(?P<protocol>https?://)(?P<host>(?:[a-z0-9]+\.)+(?P<tld>[a-z]+))"
                        r"(?:/(?:[A-Za-z0-9/._~-]*[A-Za-z0-9/_-])?)?(?:\?[A-Za-z0-9_.~%+=&-]*[A-Za-z0-9_&=-])?")


def _url_spans(text: str) -> list[tuple[int, int]]:
    spans, end = [], 0
    dot = _TLD_AFTER_DOT.search(text)
    while dot:
        before = _UP_TO_RUN.match(text, end, dot.start())  # (text[end] is the space after the last run)
        start, end = before.end() if before else 0, _RUN_REST.match(text, dot.start()).end()
        plain = _PLAIN_URL.fullmatch(text, start, end)
        if plain and plain["tld"] in _TLDS and _valid_host(plain["protocol"], plain["host"]):
            spans.append([start, end])
        else:
            spans.extend(_run_url_spans(text, start, end))
        dot = _TLD_AFTER_DOT.search(text, end)
    return [tuple(span) for span in spans]


def _run_url_spans(text: str, start: int, end: int) -> list[list[int]]:
    spans = []
    for match in _url_pattern().finditer(text, start, end):
        protocol, domain = match["protocol"], match["domain"]
        if not _valid_host(protocol, domain):
            continue
        if protocol:
            spans.append(match.span())
            continue
        # Without a protocol: not after '-', '_', '.' or '/', only the plain-letter parts of the
        # domain count, and a bare two-label country domain (example.jp) needs a path.
        if match.start() and text[match.start() - 1] in "-_./":
            continue
        ascii_domain, short, special_short = _bare_domain_patterns()
        offset = match.start("domain")
        last = None
        for part in ascii_domain.finditer(domain):
            last = [offset + part.start(), offset + part.end()]
            if match["path"] or special_short.match(part[0]) or not short.match(part[0]):
                spans.append(last)
        if last and match["path"]:
            last[1] = match.end()
    return spans


# --- Publishing --------------------------------------------------------------------------------


def connect(account, env: Mapping[str, str], context: Context) -> XPlatform:
    """An open connection to one X account, with credentials from `<credentials_env>_*`."""
    values = credentials(account, env, CREDENTIALS, NAME)
    return XPlatform(account.handle, account.api_base or API_BASE, values, context.timeout)


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

    def __init__(self, handle: str, api_base: str, credentials: Mapping[str, str], timeout: float):
        import tweepy  # here, not at the top: `accord check` needs only the length counter

        self.handle = handle.lstrip("@")
        # Redact every credential value long enough to be one (real keys are 25+ characters;
        # redacting a tiny value would garble every message).
        self._secrets = tuple(value for value in credentials.values() if len(value) >= 8)
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
        except _Gone:
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
        """Runs one tweepy call and turns its failures into base.py outcomes. Never retries."""
        import requests
        import tweepy

        try:
            return function(*args, **kwargs)
        except tweepy.TooManyRequests as error:
            reset = error.reset_time
            reset_at = datetime.fromtimestamp(reset, timezone.utc) if reset else None
            when = f"; it resets at {reset_at:%Y-%m-%d %H:%M:%S} UTC" if reset_at else ""
            message = f"X rate limit reached while {action}{when}."
            raise RateLimited(self._clean(message), reset_at) from None
        except tweepy.TwitterServerError as error:
            message = f"X failed while {action} ({_status(error)}); the post may or may not exist."
            raise Unknown(self._clean(message)) from None
        except tweepy.NotFound as error:
            message = f"X found nothing while {action} ({_status(error)})."
            raise _Gone(self._clean(message)) from None
        except tweepy.HTTPException as error:
            raise Rejected(self._clean(_refusal(action, error))) from None
        except requests.RequestException as error:
            message = (
                f"No complete answer from X while {action} ({_transport(error)}); "
                "the post may or may not exist."
            )
            raise Unknown(self._clean(message)) from None

    def _clean(self, message: str) -> str:
        for secret in self._secrets:
            message = message.replace(secret, "[redacted]")
        return message


class _Gone(Rejected):
    """X answered 404: the post (or what was asked about) does not exist."""


def _status(error: tweepy.HTTPException) -> str:
    detail = "; ".join(str(message) for message in error.api_messages)
    code = f"HTTP {error.response.status_code}"
    return f"{code}: {detail}" if detail else code


def _refusal(action: str, error: tweepy.HTTPException) -> str:
    import tweepy

    if isinstance(error, tweepy.Forbidden) and any(
        "duplicate" in str(message).lower() for message in error.api_messages
    ):
        return "X refused the post as a duplicate: this account posted the same text recently."
    if isinstance(error, tweepy.Unauthorized):
        return f"X did not accept the account's credentials while {action} ({_status(error)})."
    return f"X refused the request while {action} ({_status(error)})."


def _transport(error: requests.RequestException) -> str:
    import requests

    if isinstance(error, requests.Timeout):
        return "no answer in time"
    if isinstance(error, requests.ConnectionError):
        return "the connection failed or was dropped"
    return type(error).__name__


def _comparable(text: str) -> str:
    """Text as X may return it: HTML entities undone, links removed (X rewrites them to t.co and
    appends a link for media), whitespace collapsed."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    for start, end in reversed(_url_spans(text)):
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


# Top-level domains twitter-text knows (country codes first, then generic).
_COUNTRY_TLDS = """
한국 香港 澳門 新加坡 台灣 台湾 中國 中国 გე ລາວ ไทย ලංකා ഭാരതം ಭಾರತ భారత్ சிங்கப்பூர் இலங்கை இந்தியா ଭାରତ ભારત
ਭਾਰਤ ভাৰত ভারত বাংলা भारोत भारतम् भारत ڀارت پاکستان موريتانيا مليسيا مصر قطر فلسطين عمان عراق سورية
سودان تونس بھارت بارت ایران امارات المغرب السعودية الجزائر البحرين الاردن հայ қаз укр срб рф мон мкд ею
бел бг ευ ελ
zw zm za yt ye ws wf vu vn vi vg ve vc va uz uy us um uk ug ua tz tw tv tt tr tp to tn tm tl tk tj th
tg tf td tc sz sy sx sv su st ss sr so sn sm sl sk sj si sh sg se sd sc sb sa rw ru rs ro re qa py pw
pt ps pr pn pm pl pk ph pg pf pe pa om nz nu nr np no nl ni ng nf ne nc na mz my mx mw mv mu mt ms mr
mq mp mo mn mm ml mk mh mg mf me md mc ma ly lv lu lt ls lr lk li lc lb la kz ky kw kr kp kn km ki kh
kg ke jp jo jm je it is ir iq io in im il ie id hu ht hr hn hm hk gy gw gu gt gs gr gq gp gn gm gl gi
gh gg gf ge gd gb ga fr fo fm fk fj fi eu et es er eh eg ee ec dz do dm dk dj de cz cy cx cw cv cu cr
co cn cm cl ck ci ch cg cf cd cc ca bz by bw bv bt bs br bq bo bn bm bl bj bi bh bg bf be bd bb ba az
ax aw au at as ar aq ao an am al ai ag af ae ad ac
"""

_GENERIC_TLDS = """
삼성 닷컴 닷넷 香格里拉 餐厅 食品 飞利浦 電訊盈科 集团 通販 购物 谷歌 诺基亚 联通 网络 网站 网店 网址 组织机构 移动 珠宝
点看 游戏 淡马锡 机构 書籍 时尚 新闻 政府 政务 招聘 手表 手机 我爱你 慈善 微博 广东 工行 家電 娱乐 天主教 大拿
大众汽车 在线 嘉里大酒店 嘉里 商标 商店 商城 公益 公司 八卦 健康 信息 佛山 企业 中文网 中信 世界 ポイント ファッション
セール ストア コム グーグル クラウド みんな คอม संगठन नेट कॉम همراه موقع موبايلي كوم كاثوليك عرب شبكة بيتك
بازار العليان ارامكو اتصالات ابوظبي קום сайт рус орг онлайн москва ком католик дети
zuerich zone zippo zip zero zara zappos yun youtube you yokohama yoga yodobashi yandex yamaxun yahoo
yachts xyz xxx xperia xin xihuan xfinity xerox xbox wtf wtc wow world works work woodside
wolterskluwer wme winners wine windows win williamhill wiki wien whoswho weir weibo wedding wed
website weber webcam weatherchannel weather watches watch warman wanggou wang walter walmart wales
vuelos voyage voto voting vote volvo volkswagen vodka vlaanderen vivo viva vistaprint vista vision
visa virgin vip vin villas viking vig video viajes vet versicherung vermögensberatung vermögensberater
verisign ventures vegas vanguard vana vacations ups uol uno university unicom uconnect ubs ubank tvs
tushu tunes tui tube trv trust travelersinsurance travelers travelchannel travel training trading
trade toys toyota town tours total toshiba toray top tools tokyo today tmall tkmaxx tjx tjmaxx tirol
tires tips tiffany tienda tickets tiaa theatre theater thd teva tennis temasek telefonica telecity
tel technology tech team tdk tci taxi tax tattoo tatar tatamotors target taobao talk taipei tab
systems symantec sydney swiss swiftcover swatch suzuki surgery surf support supply supplies sucks
style study studio stream store storage stockholm stcgroup stc statoil statefarm statebank starhub
star staples stada srt srl spreadbetting spot sport spiegel space soy sony song solutions solar sohu
software softbank social soccer sncf smile smart sling skype sky skin ski site singles sina silk
shriram showtime show shouji shopping shop shoes shiksha shia shell shaw sharp shangrila sfr sexy sex
sew seven ses services sener select seek security secure seat search scot scor scjohnson science
schwarz schule school scholarships schmidt schaeffler scb sca sbs sbi saxo save sas sarl sapo sap
sanofi sandvikcoromant sandvik samsung samsclub salon sale sakura safety safe saarland ryukyu rwe run
ruhr rugby rsvp room rogers rodeo rocks rocher rmit rip rio ril rightathome ricoh richardli rich
rexroth reviews review restaurant rest republican report repair rentals rent ren reliance reit
reisen reise rehab redumbrella redstone red recipes realty realtor realestate read raid radio racing
qvc quest quebec qpon pwc pub prudential pru protection property properties promo progressive prof
productions prod pro prime press praxi pramerica post porn politie poker pohl pnc plus plumbing
playstation play place pizza pioneer pink ping pin pid pictures pictet pics piaget physio photos
photography photo phone philips phd pharmacy pfizer pet pccw pay passagens party parts partners pars
paris panerai panasonic pamperedchef page ovh ott otsuka osaka origins orientexpress organic org
orange oracle open ooo onyourside online onl ong one omega ollo oldnavy olayangroup olayan okinawa
office off observer obi nyc ntt nrw nra nowtv nowruz now norton northwesternmutual nokia nissay
nissan ninja nikon nike nico nhk ngo nfl nexus nextdirect next news newholland new neustar network
netflix netbank net nec nba navy natura nationwide name nagoya nadex nab mutuelle mutual museum mtr
mtpc mtn msd movistar movie mov motorcycles moto moscow mortgage mormon mopar montblanc monster money
monash mom moi moe moda mobily mobile mobi mma mls mlb mitsubishi mit mint mini mil microsoft miami
metlife merckmsd meo menu men memorial meme melbourne meet media med mckinsey mcdonalds mcd mba
mattel maserati marshalls marriott markets marketing market map mango management man makeup maison
maif madrid macys luxury luxe lupin lundbeck ltda ltd lplfinancial lpl love lotto lotte london lol
loft locus locker loans loan llp llc lixil living live lipsy link linde lincoln limo limited lilly
like lighting lifestyle lifeinsurance life lidl liaison lgbt lexus lego legal lefrak leclerc lease
lds lawyer law latrobe latino lat lasalle lanxess landrover land lancome lancia lancaster lamer
lamborghini ladbrokes lacaixa kyoto kuokgroup kred krd kpn kpmg kosher komatsu koeln kiwi kitchen
kindle kinder kim kia kfh kerryproperties kerrylogistics kerryhotels kddi kaufen juniper juegos jprs
jpmorgan joy jot joburg jobs jnj jmp jll jlc jio jewelry jetzt jeep jcp jcb java jaguar iwc iveco
itv itau istanbul ist ismaili iselect irish ipiranga investments intuit international intel int
insure insurance institute ink ing info infiniti industries inc immobilien immo imdb imamat ikano
iinet ifm ieee icu ice icbc ibm hyundai hyatt hughes htc hsbc how house hotmail hotels hoteles hot
hosting host hospital horse honeywell honda homesense homes homegoods homedepot holiday holdings
hockey hkt hiv hitachi hisamitsu hiphop hgtv hermes here helsinki help healthcare health hdfcbank
hdfc hbo haus hangout hamburg hair guru guitars guide guge gucci guardian group grocery gripe green
gratis graphics grainger gov got gop google goog goodyear goodhands goo golf goldpoint gold godaddy
gmx gmo gmbh gmail globo global gle glass glade giving gives gifts gift ggee george genting gent gea
gdn gbiz gay garden gap games game gallup gallo gallery gal fyi futbol furniture fund fun fujixerox
fujitsu ftr frontier frontdoor frogans frl fresenius free fox foundation forum forsale forex ford
football foodnetwork food foo fly flsmidth flowers florist flir flights flickr fitness fit fishing
fish firmdale firestone fire financial finance final film fido fidelity fiat ferrero ferrari
feedback fedex fast fashion farmers farm fans fan family faith fairwinds fail fage extraspace express
exposed expert exchange everbank events eus eurovision etisalat esurance estate esq erni ericsson
equipment epson epost enterprises engineering engineer energy emerck email education edu edeka eco
eat earth dvr dvag durban dupont duns dunlop duck dubai dtv drive download dot doosan domains doha
dog dodge doctor docs dnp diy dish discover discount directory direct digital diet diamonds dhl dev
design desi dentist dental democrat delta deloitte dell delivery degree deals dealer deal dds dclk
day datsun dating date data dance dad dabur cyou cymru cuisinella csc cruises cruise crs crown
cricket creditunion creditcard credit cpa courses coupons coupon country corsica coop cool
cookingchannel cooking contractors contact consulting construction condos comsec computer compare
company community commbank comcast com cologne college coffee codes coach clubmed club cloud clothing
clinique clinic click cleaning claims cityeats city citic citi citadel cisco circle cipriani church
chrysler chrome christmas chloe chintai cheap chat chase charity channel chanel cfd cfa cern ceo
center ceb cbs cbre cbn cba catholic catering cat casino cash caseih case casa cartier cars careers
career care cards caravan car capitalone capital capetown canon cancerresearch camp camera cam
calvinklein call cal cafe cab bzh buzz buy business builders build bugatti budapest brussels brother
broker broadway bridgestone bradesco box boutique bot boston bostik bosch boots booking book boo bond
bom bofa boehringer boats bnpparibas bnl bmw bms blue bloomberg blog blockbuster blanco blackfriday
black biz bio bingo bing bike bid bible bharti bet bestbuy best berlin bentley beer beauty beats bcn
bcg bbva bbt bbc bayern bauhaus basketball baseball bargains barefoot barclays barclaycard barcelona
bar bank band bananarepublic banamex baidu baby azure axa aws avianca autos auto author auspost audio
audible audi auction attorney athleta associates asia asda arte art arpa army archi aramco arab
aquarelle apple app apartments aol anz anquan android analytics amsterdam amica amfam amex
americanfamily americanexpress alstom alsace ally allstate allfinanz alipay alibaba alfaromeo akdn
airtel airforce airbus aigo aig agency agakhan africa afl afamilycompany aetna aero aeg adult ads
adac actor active aco accountants accountant accenture academy abudhabi abogado able abc abbvie abbott
abb abarth aarp aaa onion
"""

_TLDS = frozenset(_COUNTRY_TLDS.split() + _GENERIC_TLDS.split())

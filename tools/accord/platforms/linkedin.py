"""LinkedIn: the length of a post's commentary, the media a post takes, and publishing through
the REST Posts API over requests.

Posts are made as the account's `author` (urn:li:organization:... for a company page,
urn:li:person:... for a member) with the token in `<credentials_env>_ACCESS_TOKEN`. LinkedIn has
no idempotency key: the ledger's claim protocol keeps a post from going out twice, and after an
unknown outcome the author's recent posts say whether it did. A post's id is its URN
(urn:li:share:... or urn:li:ugcPost:...), as the x-restli-id header gives it.
"""
from __future__ import annotations

import mimetypes
import re
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Iterable, Mapping
from urllib.parse import quote

if TYPE_CHECKING:  # publishing imports requests itself; `accord check` needs only the counter
    import requests

from accord.platforms.base import (Context, CredentialsMissing, CredentialsRefused, Gone, Limits,
                                   Media, Posted, Rejected, Request, Unknown, credentials)

NAME = "LinkedIn"

API_BASE = "https://api.linkedin.com"
CREDENTIALS = ("ACCESS_TOKEN",)
VERSION = "202511"  # LinkedIn-Version: the monthly API version these calls are written against
RECENT_POSTS = 50  # reconciliation reads at most this many of the author's latest posts
POSTS_PER_STATISTICS = 20  # URNs per organizationalEntityShareStatistics request (the URL stays short)
_AUTHOR = re.compile(r"urn:li:(person|organization):[A-Za-z0-9_-]+")
# Characters the commentary's "little" text format reserves; each is escaped to stay plain text.
_RESERVED = re.compile(r"[\\|{}@\[\]()<>#*_~]")
_URL = re.compile(r"https?://\S+")
_HASHTAG = re.compile(r"(?<![\w#])#(?=\w)")


def length(text: str) -> int:
    return len(text)


def length_bound(text: str) -> int:
    return len(text)


LIMITS = Limits(
    NAME,
    max_chars=3000,
    length_bound=length_bound,
    max_parts=1,  # LinkedIn has no threads: give it a one-part variant (variants: {linkedin: [text]})
    max_media=20,  # a multi-image post takes up to 20 images
    media_size={"image": 5 * 1024 * 1024, "gif": 5 * 1024 * 1024, "video": 500 * 1024 * 1024},
    media_alone=("video", "gif"),
    max_alt=4086,  # altText of an image in the Posts API
)
MAX_CHARS = LIMITS.max_chars  # as views/ read it


def commentary(text: str) -> str:
    """The text in the little format: reserved characters escaped, except in links (which LinkedIn
    links as written) and the '#' that starts a hashtag (which it shows as one)."""
    out, index = [], 0
    for match in _URL.finditer(text):
        out.append(_escape(text[index : match.start()]))
        out.append(match[0])
        index = match.end()
    out.append(_escape(text[index:]))
    return "".join(out)


def _escape(text: str) -> str:
    hashtags = {match.start() for match in _HASHTAG.finditer(text)}
    return _RESERVED.sub(lambda m: m[0] if m.start() in hashtags else "\\" + m[0], text)


def _plain(text: str) -> str:
    """Commentary as people read it, for comparing a post found with the one sent."""
    return " ".join(re.sub(r"\\(.)", r"\1", text or "").split())


def connect(account, env: Mapping[str, str], context: Context) -> LinkedInPlatform:
    """A connection to one LinkedIn author, with the token from `<credentials_env>_ACCESS_TOKEN`."""
    from accord.platforms.http import Failures

    values = credentials(account, env, CREDENTIALS, NAME)
    author = account.author
    if not author or not _AUTHOR.fullmatch(author):
        raise CredentialsMissing(
            f"Account '{account.id}' has no author to post as; set author to urn:li:organization:<id> "
            "(a company page) or urn:li:person:<id> (a member) in its account file."
        )
    failures = Failures(NAME, account, values)
    return LinkedInPlatform(author, account.api_base or API_BASE, values["ACCESS_TOKEN"], failures, context.timeout)


class LinkedInPlatform:
    """One LinkedIn author. Every failure is a base.py error whose message holds no secret."""

    def __init__(self, author: str, api_base: str, token: str, failures, timeout: float):
        import requests

        self.author = author
        self._base = api_base.rstrip("/")
        self._failures = failures
        self._timeout = timeout
        self._session = requests.Session()  # no retries (requests' default): a resent POST could post twice
        self._session.headers.update({
            "Authorization": f"Bearer {token}",
            "LinkedIn-Version": VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        })

    def url(self, urn: str) -> str:
        return f"https://www.linkedin.com/feed/update/{urn}/"

    def publish(self, request: Request) -> Posted:
        if request.reply_to:
            raise Rejected("LinkedIn has no replies to posts (its comments are not posts); accord cannot post this one.")
        body = {
            "author": self.author,
            "commentary": commentary(request.part.text),
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                             "thirdPartyDistributionChannels": []},
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if request.quote:  # a reshare with commentary is LinkedIn's quote
            body["reshareContext"] = {"parent": request.quote}
        images = [(media, self._upload(media)) for media in request.part.media]
        if len(images) == 1:
            body["content"] = {"media": {"id": images[0][1], "altText": images[0][0].alt}}
        elif images:
            body["content"] = {"multiImage": {"images": [{"id": urn, "altText": media.alt} for media, urn in images]}}
        response = self._call("creating the post", "POST", "/rest/posts", json=body)
        urn = response.headers.get("x-restli-id")
        if not urn:
            raise Unknown("LinkedIn answered without the new post's id (x-restli-id); the post may or may not exist.")
        return Posted(urn, self.url(urn), datetime.now(timezone.utc))

    def find(self, request: Request, since: datetime) -> Posted | None:
        """The author's post made since `since` with this commentary, among their latest posts."""
        if since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        wanted = _plain(commentary(request.part.text))
        response = self._call(
            "reading the author's recent posts", "GET", "/rest/posts",
            params={"author": self.author, "q": "author", "count": RECENT_POSTS, "sortBy": "CREATED"},
            headers={"X-RestLi-Method": "FINDER"},
        )
        for post in response.json().get("elements", []):
            at = datetime.fromtimestamp(int(post.get("createdAt") or post.get("publishedAt") or 0) / 1000, timezone.utc)
            if at >= since and _plain(post.get("commentary")) == wanted:
                return Posted(post["id"], self.url(post["id"]), at)
        return None

    def delete(self, post_id: str) -> None:
        try:
            self._call("deleting the post", "DELETE", f"/rest/posts/{quote(post_id, safe='')}",
                       headers={"X-RestLi-Method": "DELETE"})
        except Gone:
            return  # already deleted: retracting twice is not an error

    def metrics(self, post_ids: Iterable[str]) -> Mapping[str, dict[str, int]]:
        """Lifetime organic statistics of a company page's posts (rw_organization_admin). LinkedIn
        gives none for a member's posts through this API, so a person author has none."""
        if not self.author.startswith("urn:li:organization:"):
            return {}
        urns = list(dict.fromkeys(str(post_id) for post_id in post_ids))
        counts = {}
        for start in range(0, len(urns), POSTS_PER_STATISTICS):
            batch = urns[start : start + POSTS_PER_STATISTICS]
            query = [("q", "organizationalEntity"), ("organizationalEntity", quote(self.author, safe=""))]
            for kind, key in (("share", "shares"), ("ugcPost", "ugcPosts")):
                listed = [quote(urn, safe="") for urn in batch if urn.startswith(f"urn:li:{kind}:")]
                if listed:
                    query.append((key, f"List({','.join(listed)})"))
            # Rest.li 2.0 lists are written List(a,b) with each URN encoded: the query is sent as written
            path = "/rest/organizationalEntityShareStatistics?" + "&".join(f"{k}={v}" for k, v in query)
            response = self._call("reading metrics", "GET", path)
            for element in response.json().get("elements", []):
                urn = element.get("share") or element.get("ugcPost")
                if urn:
                    counts[urn] = _normalised(element.get("totalShareStatistics") or {})
        return counts

    def _upload(self, media: Media) -> str:
        """Images API: initializeUpload gives an upload URL and the image URN; the bytes are PUT there."""
        try:
            data = media.path.read_bytes()
        except OSError as error:
            raise Rejected(f"Cannot read media file {media.path}: {error.strerror}.") from None
        kind = mimetypes.guess_type(media.path.name)[0] or ""
        if not kind.startswith("image/"):
            raise Rejected(f"{media.path.name}: accord posts images to LinkedIn, not {kind or 'this kind of file'}.")
        started = self._call(f"uploading {media.path.name}", "POST", "/rest/images",
                             params={"action": "initializeUpload"},
                             json={"initializeUploadRequest": {"owner": self.author}}).json()["value"]
        self._call(f"uploading {media.path.name}", "PUT", started["uploadUrl"], data=data,
                   headers={"Content-Type": "application/octet-stream"})
        return started["image"]

    def _call(self, action: str, method: str, route: str, **kwargs) -> requests.Response:
        """One request, its failures turned into base.py outcomes. Never retries."""
        import requests

        from accord.platforms.http import reset_at

        url = route if route.startswith(("http://", "https://")) else self._base + route
        try:
            response = self._session.request(method, url, timeout=self._timeout, **kwargs)
        except requests.RequestException as error:
            raise self._failures.unanswered(action, error) from None
        status = response.status_code
        if status < 400:
            return response
        reset = (reset_at(response.headers) or _midnight()) if status == 429 else None
        outcome = self._failures.answered(action, status, _detail(response), reset)
        if isinstance(outcome, CredentialsRefused):  # the usual cause, with what to do about it
            outcome = CredentialsRefused(f"{outcome} LinkedIn access tokens last about 60 days.")
        raise outcome


def _midnight() -> datetime:
    """When LinkedIn's daily rate limits reset (midnight UTC), for a 429 that does not say."""
    now = datetime.now(timezone.utc)
    return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def _detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = {}
    parts = [str(body[key]) for key in ("code", "message") if isinstance(body, dict) and body.get(key)]
    return " ".join(parts)


def _normalised(totals: dict) -> dict[str, int]:
    """Only the counts LinkedIn reported; engagements is the sum of the interactions among them."""
    names = {"impressions": "impressionCount", "likes": "likeCount", "replies": "commentCount",
             "reposts": "shareCount", "link_clicks": "clickCount"}
    counts = {name: int(totals[key]) for name, key in names.items() if totals.get(key) is not None}
    interactions = [counts[name] for name in ("likes", "replies", "reposts", "link_clicks") if name in counts]
    if interactions:
        counts["engagements"] = sum(interactions)
    return counts

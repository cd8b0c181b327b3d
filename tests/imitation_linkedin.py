"""An imitation of LinkedIn's REST API (Marketing / Community Management), over real HTTP on
127.0.0.1, for what accord uses.

POST /rest/posts (201, the new post's URN in x-restli-id), GET /rest/posts?q=author (the FINDER
by author, newest first), DELETE /rest/posts/{urn}, the Images API (initializeUpload, then the
bytes PUT to the upload URL) and GET /rest/organizationalEntityShareStatistics. Like LinkedIn it
wants a bearer token, a LinkedIn-Version (YYYYMM) and X-Restli-Protocol-Version 2.0.0 on every
call, refuses the same commentary twice from one author (422 duplicate), and reads commentary as
"little" text: a reserved character left unescaped ends the text shown (LinkedIn cuts the post
there without a word).

In tests:
    with ImitationLinkedIn() as server:    # or the `linkedin_server` fixture
        server.fail("POST", "/rest/posts", "drop")
        server.expire_token()                 # every call is now 401 EXPIRED_ACCESS_TOKEN
        server.posts                          # live posts, oldest first: id (URN), text (as shown)...
        server.lookups                        # the query of each share statistics call
Faults as tests/imitation.py says; a rate limit answers 429 with Retry-After.
"""
from __future__ import annotations

import itertools
import re
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote

sys.path.insert(0, str(Path(__file__).parent))  # run as a script, it finds its neighbour

from imitation import Answer, Fault, Imitation, Incoming  # noqa: E402

ACCESS_TOKEN = "AQV-imitation-linkedin-access-token"
ORGANIZATION = "urn:li:organization:2414183"
_RESERVED = set("\\|{}@[]()<>#*_~")
_URL = re.compile(r"https?://\S+")


def env(prefix: str) -> dict[str, str]:
    """Environment variables holding the accepted token for `credentials_env: prefix`."""
    return {f"{prefix}_ACCESS_TOKEN": ACCESS_TOKEN}


def shown(commentary: str) -> str:
    """The text LinkedIn shows for little-format commentary: escapes undone, and cut at the first
    reserved character left unescaped (a hashtag's '#' and links aside)."""
    out, i = [], 0
    while i < len(commentary):
        url = _URL.match(commentary, i) if commentary[i] in "hH" and (i == 0 or commentary[i - 1].isspace()) else None
        char = commentary[i]
        if url:
            out.append(url[0])
            i = url.end()
        elif char == "\\" and i + 1 < len(commentary):
            out.append(commentary[i + 1])
            i += 2
        elif char == "#" and i + 1 < len(commentary) and commentary[i + 1].isalnum():
            out.append(char)
            i += 1
        elif char in _RESERVED:
            break  # LinkedIn drops the rest
        else:
            out.append(char)
            i += 1
    return "".join(out)


class ImitationLinkedIn(Imitation):
    def __init__(self, *, author: str = ORGANIZATION, **options):
        self.author = author
        self.shares: list[dict] = []  # every post made, deleted ones marked
        self.images: dict[str, dict] = {}
        self.token_expired = False
        self.lookups: list[dict] = []  # the query of each share statistics call, every value
        self._ids = itertools.count(7_100_000_000_000_000_001)
        super().__init__(**options)

    @property
    def posts(self) -> list[dict]:
        with self._lock:
            return [share for share in self.shares if not share["deleted"]]

    def expire_token(self) -> None:
        with self._lock:
            self.token_expired = True
            self.save()

    def own_state(self) -> dict:
        return {"shares": self.shares, "images": self.images, "token_expired": self.token_expired}

    def load_own(self, state: dict) -> None:
        self.shares, self.images = state.get("shares", []), state.get("images", {})
        self.token_expired = state.get("token_expired", False)
        known = [int(share["id"].rsplit(":", 1)[1]) for share in self.shares]
        self._ids = itertools.count(max(known, default=7_100_000_000_000_000_000) + 1)

    def refusal(self, fault: Fault) -> Answer:
        if fault.kind == "status":
            return Answer(fault.status, {"status": fault.status, "message": fault.detail})
        wait = max(0, int((fault.reset or time.time()) - time.time()))
        return Answer(429, {"status": 429, "message": "Resource level throttle APPLICATION DAY limit for calls "
                                                      "to this resource is reached."}, {"Retry-After": str(wait)})

    def route(self, request: Incoming):
        verb, path = request.method, request.path
        if verb == "PUT" and path.startswith("/upload/"):
            image = self.images.get(f"urn:li:image:{path.rsplit('/', 1)[-1]}")
            if image is None:
                raise Answer(404, {"status": 404, "message": "No upload at this URL"})
            image.update(status="AVAILABLE", size=len(request.raw))
            return 201, None
        self._versioned(request)
        parts = path.strip("/").split("/")
        if verb == "POST" and path == "/rest/posts":
            urn = self._create(request.body)
            return 201, None, {"x-restli-id": urn, "x-linkedin-id": urn}
        if verb == "GET" and path == "/rest/posts":
            return 200, self._by_author(request)
        if verb == "DELETE" and parts[:2] == ["rest", "posts"] and len(parts) == 3:
            self._delete(unquote(parts[2]))
            return 204, None
        if verb == "POST" and path == "/rest/images":
            return 200, self._initialize_upload(request)
        if verb == "GET" and path == "/rest/organizationalEntityShareStatistics":
            return 200, self._statistics(request)
        raise Answer(404, {"status": 404, "message": f"No virtual resource found for {verb} {path}"})

    # --- requests ------------------------------------------------------------------------

    def authorize(self, request: Incoming) -> None:
        if request.headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
            raise Answer(401, {"status": 401, "serviceErrorCode": 65600, "code": "INVALID_ACCESS_TOKEN",
                               "message": "Invalid access token"})
        if self.token_expired:
            raise Answer(401, {"status": 401, "code": "EXPIRED_ACCESS_TOKEN",
                               "message": "The token used in the request has expired"})

    def _versioned(self, request: Incoming) -> None:
        if not re.fullmatch(r"20\d{4}", request.headers.get("linkedin-version", "")):
            raise Answer(426, {"status": 426, "code": "NONEXISTENT_VERSION",
                               "message": "Requested version is not active"})
        if request.headers.get("x-restli-protocol-version") != "2.0.0":
            raise _invalid("X-Restli-Protocol-Version 2.0.0 is required")

    def _create(self, body: dict) -> str:
        if body.get("author") != self.author:
            raise Answer(403, {"status": 403, "message": f"Not enough permissions to post as {body.get('author')}"})
        for key, wanted in (("visibility", ("PUBLIC", "CONNECTIONS", "LOGGED_IN")), ("lifecycleState", ("PUBLISHED",))):
            if body.get(key) not in wanted:
                raise _invalid(f"/{key} :: value {body.get(key)!r} is not one of {', '.join(wanted)}")
        if (body.get("distribution") or {}).get("feedDistribution") not in ("MAIN_FEED", "NONE"):
            raise _invalid("/distribution/feedDistribution is required")
        commentary = body.get("commentary", "")
        if len(shown(commentary)) > 3000:
            raise _invalid("/commentary :: length of commentary is more than 3000")
        media = self._media(body.get("content"))
        parent = (body.get("reshareContext") or {}).get("parent")
        if parent is not None and parent not in {share["id"] for share in self.posts}:
            raise _invalid(f"/reshareContext/parent :: {parent} does not exist")
        for share in self.posts:
            if share["commentary"] == commentary and share["author"] == self.author:
                raise Answer(422, {"status": 422, "message": f"Content is a duplicate of {share['id']}"})
        urn = f"urn:li:share:{next(self._ids)}"
        now = int(time.time() * 1000)
        self.shares.append({
            "id": urn, "author": self.author, "commentary": commentary, "text": shown(commentary),
            "media": media, "reshare_of": parent, "createdAt": now, "publishedAt": now, "deleted": False,
            "statistics": {"impressionCount": 0, "uniqueImpressionsCount": 0, "clickCount": 0, "likeCount": 0,
                           "commentCount": 0, "shareCount": 0, "engagement": 0.0},
        })
        return urn

    def _media(self, content: dict | None) -> list[dict]:
        if not content:
            return []
        items = [content["media"]] if "media" in content else (content.get("multiImage") or {}).get("images")
        if not items or ("multiImage" in content and not 2 <= len(items) <= 20):
            raise _invalid("/content :: media or multiImage (2 to 20 images) is required")
        for item in items:
            image = self.images.get(item.get("id"))
            if image is None or image["status"] != "AVAILABLE":
                raise _invalid(f"/content :: image {item.get('id')} is not available")
            if len(item.get("altText") or "") > 4086:
                raise _invalid("/content/media/altText :: length is more than 4086")
        return [{"id": item["id"], "altText": item.get("altText"), "size": self.images[item["id"]]["size"]}
                for item in items]

    def _by_author(self, request: Incoming) -> dict:
        if request.headers.get("x-restli-method", "").upper() != "FINDER" or request.query.get("q") != "author":
            raise _invalid("The author finder needs q=author and X-RestLi-Method: FINDER")
        author = request.query.get("author", "")
        count = min(int(request.query.get("count", "10")), 100)
        mine = [share for share in reversed(self.posts) if share["author"] == author][:count]
        return {"paging": {"start": 0, "count": count, "links": []},
                "elements": [{k: share[k] for k in ("id", "author", "commentary", "createdAt", "publishedAt")}
                             | {"lifecycleState": "PUBLISHED", "visibility": "PUBLIC"} for share in mine]}

    def _delete(self, urn: str) -> None:
        for share in self.posts:
            if share["id"] == urn:
                share["deleted"] = True
                return
        raise Answer(404, {"status": 404, "message": f"Post {urn} does not exist"})

    def _initialize_upload(self, request: Incoming) -> dict:
        if request.query.get("action") != "initializeUpload":
            raise _invalid("action=initializeUpload is required")
        owner = (request.body.get("initializeUploadRequest") or {}).get("owner")
        if owner != self.author:
            raise Answer(403, {"status": 403, "message": f"Not enough permissions to upload as {owner}"})
        image = f"urn:li:image:C4E10AQ{next(self._ids)}"
        self.images[image] = {"status": "WAITING_UPLOAD", "size": 0}
        return {"value": {"uploadUrlExpiresAt": int(time.time() * 1000) + 86_400_000,
                          "uploadUrl": f"{self.base}/upload/{image.rsplit(':', 1)[1]}", "image": image}}

    def _statistics(self, request: Incoming) -> dict:
        query = parse_qs(request.raw_query)
        self.lookups.append(query)
        if query.get("q") != ["organizationalEntity"] or query.get("organizationalEntity") != [self.author]:
            raise Answer(403, {"status": 403, "message": "Not enough permissions to read these statistics"})
        live = {share["id"]: share for share in self.posts}
        elements = []
        for key, field in (("shares", "share"), ("ugcPosts", "ugcPost")):
            for listed in query.get(key, []):
                if not (listed.startswith("List(") and listed.endswith(")")):
                    raise _invalid(f"{key} must be List(...)")
                for urn in filter(None, listed[5:-1].split(",")):
                    if urn in live:
                        elements.append({"organizationalEntity": self.author, field: urn,
                                         "totalShareStatistics": live[urn]["statistics"]})
        return {"paging": {"start": 0, "count": 10, "links": []}, "elements": elements}


def _invalid(message: str) -> Answer:
    return Answer(400, {"status": 400, "message": message})


if __name__ == "__main__":
    ImitationLinkedIn.main(__doc__.splitlines()[0])

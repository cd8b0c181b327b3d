"""An imitation of a Mastodon server's REST API, over real HTTP on 127.0.0.1, for what accord uses.

As Mastodon (docs.joinmastodon.org methods/statuses, media, accounts; PostStatusService):
- a bearer token on every call but the instance's (401 "The access token is invalid");
- POST /api/v1/statuses (form fields) with an Idempotency-Key kept for an hour per account: a
  resend inside it answers the first status (404 if that was deleted) and posts nothing;
  in_reply_to_id of no status is 404, media not yet processed 422, text over the limit 422;
- ids are snowflakes (milliseconds << 16), so since_id can be a time as Mastodon.py sends it;
- GET /api/v1/accounts/:id/statuses newest first with since_id, max_id, min_id and limit (20,
  at most 40) and a Link header; GET /api/v1/statuses?id[]= (at most 20), /statuses/:id and
  /statuses/:id/source; DELETE /api/v1/statuses/:id answers the status with its source text;
- POST /api/v2/media (multipart, description for alt text) answers 202 with url null; GET
  /api/v1/media/:id answers 206 while processing (`processing_checks` times), then 200 with a url;
- GET /api/v1/instance and /api/v2/instance (`version`, 4.5.0 unless set, max_characters, URL weight).
"rate_limit" answers 429 with X-RateLimit-Reset as an ISO time. Surface and faults: imitation.py.
"""
from __future__ import annotations

import html
import itertools
import re
import time
from datetime import datetime, timezone
from pathlib import Path

from imitation import Answer, Fault, Imitation, Incoming

ACCOUNT_ID = "109000000000000001"
TOKEN = "imitation-mastodon-access-token"
IDEMPOTENCY_SECONDS = 3600  # as PostStatusService keeps a key in Redis
MAX_IDS = 20  # GET /api/v1/statuses takes at most DEFAULT_STATUSES_LIMIT ids
_URL = re.compile(r"https?://\S+")


def snowflake(when: datetime, sequence: int) -> str:
    return str((int(when.timestamp() * 1000) << 16) + (sequence & 0xFFFF))


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _error(status: int, message: str) -> Answer:
    return Answer(status, {"error": message})


class ImitationMastodon(Imitation):
    """One Mastodon instance with one account on it."""

    def __init__(self, *, port: int = 0, username: str = "brand", token: str | None = TOKEN,
                 max_characters: int = 500, url_length: int = 23, state_file: Path | None = None):
        self.username = username
        self.token = token  # the one bearer token accepted; None: any token passes
        self.max_characters = max_characters
        self.url_length = url_length
        self.processing_checks = 1  # GETs of an uploaded media item answered 206 before it is ready
        self.version = "4.5.0"  # before 4.3.0 there is no GET /api/v1/statuses?id[]=
        self.statuses: list[dict] = []  # every status made, deleted ones marked
        self.media: dict[str, dict] = {}
        self.idempotency: dict[str, dict] = {}  # key -> {"id", "expires"} (epoch seconds)
        self._sequence = itertools.count(1)
        super().__init__(port=port, state_file=state_file)

    # --- the test-facing surface ---------------------------------------------------------

    @property
    def posts(self) -> list[dict]:
        with self._lock:
            return [status for status in self.statuses if not status["deleted"]]

    def post_at(self, text: str, when: datetime, **fields) -> dict:
        """A status on the account as if made at `when` (for reconciliation tests)."""
        with self._lock:
            status = self._new_status(text, when, **fields)
            self.save()
            return status

    # --- imitation.py's hooks --------------------------------------------------------------

    def own_state(self) -> dict:
        return {"statuses": self.statuses, "media": self.media, "idempotency": self.idempotency}

    def load_own(self, state: dict) -> None:
        self.statuses = state.get("statuses", [])
        self.media = state.get("media", {})
        self.idempotency = state.get("idempotency", {})
        self._sequence = itertools.count(len(self.statuses) + len(self.media) + 1)

    def refusal(self, fault: Fault) -> Answer:
        if fault.kind == "rate_limit":
            reset = datetime.fromtimestamp(fault.reset or time.time() + 300, timezone.utc)
            return Answer(429, {"error": "Too many requests"},
                          {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                           "X-RateLimit-Reset": _iso(reset)})
        return _error(fault.status, fault.detail)

    def authorize(self, request: Incoming) -> None:
        if request.path.startswith(("/api/v1/instance", "/api/v2/instance")):
            return  # public, as on most instances
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer ") or (self.token is not None and header[7:] != self.token):
            raise _error(401, "The access token is invalid")

    def route(self, request: Incoming):
        method, parts = request.method, request.path.strip("/").split("/")
        if parts[:2] != ["api", "v1"] and parts[:2] != ["api", "v2"]:
            raise _error(404, "Not found")
        version, rest = parts[1], parts[2:]
        if method == "GET" and rest == ["instance"]:
            return 200, self._instance(version)
        if version == "v2" and method == "POST" and rest == ["media"]:
            return self._upload(request.body)
        if version != "v1":
            raise _error(404, "Not found")
        if method == "GET" and rest == ["accounts", "verify_credentials"]:
            return 200, self._account()
        if method == "GET" and rest[:1] == ["accounts"] and rest[2:] == ["statuses"]:
            return self._account_statuses(rest[1], request.query)
        if method == "POST" and rest == ["statuses"]:
            return 200, self._create(request.body, request.headers.get("idempotency-key"))
        if method == "GET" and rest == ["statuses"] and _release(self.version) >= (4, 3):
            return 200, self._many(request.query.get("id[]", []))
        if method == "GET" and rest[:1] == ["statuses"] and len(rest) == 2:
            return 200, self._shown(self._live(rest[1]))
        if method == "GET" and rest[:1] == ["statuses"] and rest[2:] == ["source"]:
            status = self._live(rest[1])
            return 200, {"id": status["id"], "text": status["text"], "spoiler_text": ""}
        if method == "DELETE" and rest[:1] == ["statuses"] and len(rest) == 2:
            status = self._live(rest[1])
            status["deleted"] = True
            return 200, {**self._shown(status), "text": status["text"]}
        if method == "GET" and rest[:1] == ["media"] and len(rest) == 2:
            return self._media_status(rest[1])
        raise _error(404, "Not found")

    # --- statuses ----------------------------------------------------------------------

    def _new_status(self, text, when, *, in_reply_to_id=None, media=(), visibility="public",
                    language=None, quoted_status_id=None) -> dict:
        status = {
            "id": snowflake(when, next(self._sequence)),
            "text": text,
            "created_at": _iso(when),
            "in_reply_to_id": in_reply_to_id,
            "visibility": visibility,
            "language": language,
            "quoted_status_id": quoted_status_id,
            "media": list(media),
            "deleted": False,
            "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "quotes_count": 0,
        }
        self.statuses.append(status)
        return status

    def _live(self, status_id: str) -> dict:
        for status in self.posts:
            if status["id"] == status_id:
                return status
        raise _error(404, "Record not found")

    def _create(self, form: dict, key: str | None) -> dict:
        now = time.time()
        if key:
            kept = self.idempotency.get(key)
            if kept and kept["expires"] > now:
                return self._shown(self._live(kept["id"]))  # the first status; nothing new
        text = form.get("status", "")
        media_ids = form.get("media_ids[]", [])
        if not text.strip() and not media_ids:
            raise _error(422, "Validation failed: Text can't be blank")
        if self._length(text) > self.max_characters:
            raise _error(422, f"Validation failed: Text character limit of {self.max_characters} exceeded")
        reply_to = form.get("in_reply_to_id") or None
        if reply_to and reply_to not in {s["id"] for s in self.posts}:
            raise _error(404, "The post you are trying to reply to does not appear to exist.")
        quoted = form.get("quoted_status_id") or None
        if quoted and quoted not in {s["id"] for s in self.posts}:
            raise _error(404, "Record not found")
        if len(media_ids) > 4:
            raise _error(422, "Validation failed: You cannot attach more than 4 files.")
        media = []
        for media_id in media_ids:
            item = self.media.get(media_id)
            if item is None or item["attached"]:
                raise _error(422, f"Validation failed: Media {media_id} were not found.")
            if item["checks_left"] > 0:
                raise _error(422, "Cannot attach files that have not finished processing. Try again in a moment!")
            media.append(item)
        visibility = form.get("visibility") or "public"
        if visibility not in ("public", "unlisted", "private", "direct"):
            raise _error(422, "Validation failed: Visibility is not included in the list")
        status = self._new_status(text, datetime.now(timezone.utc), in_reply_to_id=reply_to,
                                  media=[{"id": m["id"], "description": m["description"],
                                          "type": m["type"]} for m in media],
                                  visibility=visibility, language=form.get("language") or None,
                                  quoted_status_id=quoted)
        for item in media:
            item["attached"] = True
        if key:
            self.idempotency[key] = {"id": status["id"], "expires": now + IDEMPOTENCY_SECONDS}
        return self._shown(status)

    def _length(self, text: str) -> int:
        return len(_URL.sub("x" * self.url_length, text))

    def _many(self, ids: list[str]) -> list[dict]:
        if len(ids) > MAX_IDS:
            raise _error(422, "Validation failed")
        live = {status["id"]: status for status in self.posts}
        return [self._shown(live[i]) for i in dict.fromkeys(ids) if i in live]

    def _account_statuses(self, account_id: str, query: dict):
        if account_id != ACCOUNT_ID:
            raise _error(404, "Record not found")
        limit = max(1, min(int(query.get("limit", 20)), 40))
        mine = sorted(self.posts, key=lambda s: int(s["id"]), reverse=True)
        if "max_id" in query:
            mine = [s for s in mine if int(s["id"]) < int(query["max_id"])]
        if "since_id" in query:
            mine = [s for s in mine if int(s["id"]) > int(query["since_id"])]
        if "min_id" in query:  # the oldest newer than min_id, still shown newest first
            mine = [s for s in mine if int(s["id"]) > int(query["min_id"])][-limit:]
        page = mine[:limit]
        headers = {}
        if page:
            path = f"{self.base}/api/v1/accounts/{account_id}/statuses"
            headers["Link"] = (f'<{path}?max_id={page[-1]["id"]}>; rel="next", '
                               f'<{path}?min_id={page[0]["id"]}>; rel="prev"')
        return 200, [self._shown(status) for status in page], headers

    def _shown(self, status: dict) -> dict:
        """A status as the REST API renders it."""
        url = f"{self.base}/@{self.username}/{status['id']}"
        quoted = status["quoted_status_id"]
        shown = {
            "id": status["id"],
            "created_at": status["created_at"],
            "in_reply_to_id": status["in_reply_to_id"],
            "in_reply_to_account_id": ACCOUNT_ID if status["in_reply_to_id"] else None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": status["visibility"],
            "language": status["language"],
            "uri": f"{self.base}/users/{self.username}/statuses/{status['id']}",
            "url": url,
            "replies_count": status["replies_count"],
            "reblogs_count": status["reblogs_count"],
            "favourites_count": status["favourites_count"],
            "quotes_count": status["quotes_count"],
            "favourited": False, "reblogged": False, "muted": False, "bookmarked": False,
            "content": _html(status["text"]),
            "reblog": None,
            "application": {"name": "accord", "website": None},
            "account": self._account(),
            "media_attachments": [
                {"id": m["id"], "type": m["type"], "url": f"{self.base}/media/{m['id']}",
                 "preview_url": f"{self.base}/media/{m['id']}/small", "description": m["description"]}
                for m in status["media"]],
            "mentions": [], "tags": [], "emojis": [], "card": None, "poll": None,
            "quote": {"state": "accepted", "quoted_status": {"id": quoted}} if quoted else None,
        }
        if _release(self.version) < (4, 5):  # quotes came with 4.5
            del shown["quotes_count"], shown["quote"]
        return shown

    def _account(self) -> dict:
        return {"id": ACCOUNT_ID, "username": self.username, "acct": self.username,
                "display_name": self.username.title(), "locked": False, "bot": False,
                "url": f"{self.base}/@{self.username}", "statuses_count": len(self.posts),
                "created_at": "2022-11-01T00:00:00.000Z", "note": "", "fields": [], "emojis": []}

    def _instance(self, version: str) -> dict:
        statuses = {"max_characters": self.max_characters, "max_media_attachments": 4,
                    "characters_reserved_per_url": self.url_length}
        if version == "v1":
            return {"uri": "127.0.0.1", "title": "Imitation", "version": self.version,
                    "configuration": {"statuses": statuses}}
        api = {"api_versions": {"mastodon": 7}} if _release(self.version) >= (4, 3) else {}
        return {"domain": "127.0.0.1", "title": "Imitation", "version": self.version, **api,
                "configuration": {"statuses": statuses}}

    # --- media -------------------------------------------------------------------------

    def _upload(self, form: dict):
        upload = form.get("file")
        if not isinstance(upload, dict) or not upload["type"]:
            raise _error(422, "Validation failed: File content type is invalid, File is invalid")
        description = form.get("description") or None
        if description and len(description) > 1500:
            raise _error(422, "Validation failed: Description is too long (maximum is 1500 characters)")
        kind = upload["type"].split("/")[0]
        media_id = snowflake(datetime.now(timezone.utc), next(self._sequence))
        self.media[media_id] = {"id": media_id, "type": "video" if kind == "video" else "image",
                                "description": description, "size": len(upload["data"]),
                                "checks_left": self.processing_checks, "attached": False}
        return 202, self._attachment(media_id)

    def _media_status(self, media_id: str):
        item = self.media.get(media_id)
        if item is None:
            raise _error(404, "Record not found")
        if item["checks_left"] > 0:
            answer = self._attachment(media_id)  # still without a url
            item["checks_left"] -= 1
            return 206, answer
        return 200, self._attachment(media_id)

    def _attachment(self, media_id: str) -> dict:
        item = self.media[media_id]
        ready = item["checks_left"] <= 0
        return {"id": media_id, "type": item["type"],
                "url": f"{self.base}/media/{media_id}" if ready else None,
                "preview_url": f"{self.base}/media/{media_id}/small", "remote_url": None,
                "description": item["description"], "meta": {}, "blurhash": None}


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:2])


def _html(text: str) -> str:
    """Plain text as Mastodon renders it: paragraphs, line breaks, links as anchors."""
    paragraphs = []
    for paragraph in re.split(r"\n\n+", text.strip()):
        escaped = html.escape(paragraph, quote=False)
        linked = _URL.sub(lambda m: f'<a href="{m[0]}" rel="nofollow noopener" target="_blank">{m[0]}</a>', escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br />") + "</p>")
    return "".join(paragraphs)


def env(prefix: str) -> dict[str, str]:
    """The environment that gives `credentials_env: prefix` the accepted token."""
    return {f"{prefix}_ACCESS_TOKEN": TOKEN}


if __name__ == "__main__":
    ImitationMastodon.main(__doc__.splitlines()[0])


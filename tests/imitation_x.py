"""An imitation of the X API v2, over real HTTP on 127.0.0.1, for what accord uses.

Posts (POST/DELETE /2/tweets, GET /2/tweets), the account (GET /2/users/me), its timeline
(GET /2/users/:id/tweets) and media upload v2 (initialize, append, finalize, status, metadata).
Like X it rewrites links in returned text to t.co, HTML-escapes &, < and >, and refuses a text the
account posted already (403 duplicate content).

The test-facing surface, faults and out-of-process mode are imitation.py's; X adds the fault
"duplicate" (403 duplicate content) and answers "rate_limit" with x-rate-limit-reset.

Ids are snowflakes (they carry the post's time, as X's do); every post's counts differ (from its
id); non-public metrics are refused, for the whole lookup, when a post asked about is older than
30 days.
"""
from __future__ import annotations

import base64
import itertools
import re
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

from imitation import Answer, Fault, Imitation, Incoming
from oauthlib.oauth1.rfc5849 import signature as oauth_signature

USER_ID = "1000"
# The credentials the server accepts; it checks OAuth 1.0a signatures made with the two secrets.
API_KEY, API_SECRET = "imitation-consumer-key", "imitation-consumer-secret"
ACCESS_TOKEN, ACCESS_TOKEN_SECRET = "1000-imitation-access-token", "imitation-token-secret"
DUPLICATE = "You are not allowed to create a Tweet with duplicate content."
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_FIELDS = ("created_at", "referenced_tweets", "author_id", "public_metrics")
_PRIVATE = ("non_public_metrics", "organic_metrics")


class ImitationX(Imitation):
    """The X API v2 and one account's posts."""

    FAULTS = (*Imitation.FAULTS, "duplicate")

    def __init__(
        self,
        *,
        port: int = 0,
        handle: str = "accord_test",
        secrets: tuple[str, str] | None = (API_SECRET, ACCESS_TOKEN_SECRET),
        state_file: Path | None = None,
    ):
        self.handle = handle
        self.secrets = secrets  # (consumer secret, token secret); None: any signature passes
        self.private_metrics = True  # False: asking for non-public metrics is refused (400)
        self.tweets: list[dict] = []  # every post made, deleted ones marked
        self.media: dict[str, dict] = {}
        self._ids = itertools.count(1)  # the sequence part of each snowflake id (see _snowflake)
        super().__init__(port=port, state_file=state_file)

    @property
    def posts(self) -> list[dict]:
        with self._lock:
            return [tweet for tweet in self.tweets if not tweet["deleted"]]

    def post_at(self, text: str, when: datetime, **fields) -> dict:
        """Puts a post on the timeline as if made at `when` (for reconciliation tests)."""
        with self._lock:
            tweet = self._new_tweet(text, when=when, **fields)
            tweet["created_at"] = _iso(when)
            self.save()
            return tweet

    def own_state(self) -> dict:
        return {"tweets": self.tweets, "media": self.media}

    def load_own(self, state: dict) -> None:
        self.tweets = state.get("tweets", [])
        self.media = state.get("media", {})
        known = [int(t["id"]) & _SEQUENCE for t in self.tweets] + [int(m) & _SEQUENCE for m in self.media]
        self._ids = itertools.count(max(known, default=0) + 1)

    def refusal(self, fault: Fault) -> Answer:
        if fault.kind == "rate_limit":
            return Answer(429, {"title": "Too Many Requests", "detail": "Too Many Requests",
                                "type": "about:blank", "status": 429},
                          {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0",
                           "x-rate-limit-reset": str(fault.reset)})
        if fault.kind == "duplicate":
            return _problem(403, "Forbidden", DUPLICATE)
        return _problem(fault.status, "Error", fault.detail)

    def authorize(self, request: Incoming) -> None:
        header = request.headers.get("authorization", "")
        if not header.startswith("OAuth ") or "oauth_signature=" not in header:
            raise _problem(401, "Unauthorized", "Unauthorized")
        if self.secrets is None:
            return
        params = oauth_signature.collect_parameters(
            uri_query=request.raw_query, headers={"Authorization": header}, exclude_oauth_signature=True
        )
        signed = dict(oauth_signature.collect_parameters(
            headers={"Authorization": header}, exclude_oauth_signature=False
        ))
        query = f"?{request.raw_query}" if request.raw_query else ""
        signature = SimpleNamespace(
            http_method=request.method,
            uri=f"http://{request.headers['host']}{request.path}{query}",
            params=params,
            signature=signed.get("oauth_signature", ""),
        )
        if not oauth_signature.verify_hmac_sha1(signature, *self.secrets):
            raise _problem(401, "Unauthorized", "Could not authenticate you.")

    def route(self, request: Incoming):
        return _route(self, request.method, request.path, request.query, request.body)

    def new_id(self, when: datetime | None = None) -> str:
        return _snowflake(when or datetime.now(timezone.utc), next(self._ids))

    def _new_tweet(self, text, *, reply_to=None, quote=None, media=(), when=None) -> dict:
        tweet_id = self.new_id(when)
        shown = _URL.sub(lambda match: _tco(match[0]), text)
        if media:
            shown += " " + _tco(tweet_id)  # X appends a link to the media
        tweet = {
            "id": tweet_id,
            "text": text,
            "shown_text": shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
            "author_id": USER_ID,
            "created_at": _iso(when or datetime.now(timezone.utc)),
            "in_reply_to": reply_to,
            "quote": quote,
            "media": list(media),
            "deleted": False,
            **_counts(tweet_id),
        }
        self.tweets.append(tweet)
        return tweet


# An id is a snowflake as X makes them: milliseconds since X's epoch, shifted left 22 bits, then a
# sequence (so an id says when its post was made, as accord's adapter reads it).
_EPOCH_MS = 1288834974657
_SEQUENCE = (1 << 22) - 1


def _snowflake(when: datetime, sequence: int) -> str:
    return str(((int(when.timestamp() * 1000) - _EPOCH_MS) << 22) | (sequence & _SEQUENCE))


def _counts(tweet_id: str) -> dict:
    """Counts that differ from post to post (a mix-up between posts shows), from the id alone."""
    seed = zlib.crc32(tweet_id.encode())
    likes, reposts, replies = seed % 97 + 3, seed // 97 % 31 + 1, seed // 3007 % 23 + 1
    quotes, bookmarks = seed // 69161 % 7, seed // 484127 % 11
    impressions = 1000 + seed % 9973
    return {"public_metrics": {"like_count": likes, "retweet_count": reposts, "reply_count": replies,
                               "quote_count": quotes, "bookmark_count": bookmarks,
                               "impression_count": impressions - 17},
            "non_public_metrics": {"impression_count": impressions, "url_link_clicks": seed // 7 % 41,
                                   "user_profile_clicks": seed // 13 % 19}}


def env(prefix: str) -> dict[str, str]:
    """Environment variables holding the accepted credentials for `credentials_env: prefix`."""
    values = (API_KEY, API_SECRET, ACCESS_TOKEN, ACCESS_TOKEN_SECRET)
    names = ("API_KEY", "API_SECRET", "ACCESS_TOKEN", "ACCESS_TOKEN_SECRET")
    return {f"{prefix}_{name}": value for name, value in zip(names, values, strict=True)}


def _tco(seed: str) -> str:
    return f"https://t.co/{zlib.crc32(seed.encode()):010d}"


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _problem(status: int, title: str, detail: str) -> Answer:
    return Answer(status, {"title": title, "detail": detail, "type": "about:blank", "status": status})


def _invalid(message: str) -> Answer:
    return Answer(400, {"title": "Invalid Request", "detail": message,
                         "errors": [{"message": message}]})


def _route(server: ImitationX, method: str, path: str, query: dict, body: dict):
    parts = path.strip("/").split("/")
    if method == "POST" and path == "/2/tweets":
        return 201, _create(server, body)
    if method == "DELETE" and parts[:2] == ["2", "tweets"] and len(parts) == 3:
        return 200, _delete(server, parts[2])
    if method == "GET" and path == "/2/tweets":
        return 200, _lookup(server, query)
    if method == "GET" and path == "/2/users/me":
        return 200, {"data": {"id": USER_ID, "name": "Accord Test", "username": server.handle}}
    if method == "GET" and parts[:2] == ["2", "users"] and parts[3:] == ["tweets"]:
        return 200, _timeline(server, parts[2], query)
    if method == "POST" and path == "/2/media/upload/initialize":
        return 200, _media_init(server, body)
    if method == "POST" and parts[:3] == ["2", "media", "upload"] and len(parts) == 5:
        return 200, _media_step(server, parts[3], parts[4], body)
    if method == "GET" and path == "/2/media/upload":
        return 200, _media_status(server, query)
    if method == "POST" and path == "/2/media/metadata":
        return 200, _media_metadata(server, body)
    raise _problem(404, "Not Found", f"No route for {method} {path}.")


def _create(server: ImitationX, body: dict) -> dict:
    text = body.get("text", "")
    reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id")
    quote = body.get("quote_tweet_id")
    media_ids = (body.get("media") or {}).get("media_ids", [])
    live = {tweet["id"]: tweet for tweet in server.posts}
    if not text and not media_ids:
        raise _invalid("A post needs text or media.")
    if len(text) > 280:
        raise _problem(403, "Forbidden", "Your Tweet text is too long.")
    for target in filter(None, (reply_to, quote)):
        if target not in live:
            raise _invalid(f"The post {target} you are referring to does not exist.")
    media = []
    for media_id in media_ids:
        item = server.media.get(media_id)
        if not item or item["state"] != "succeeded":
            raise _invalid(f"Media {media_id} is not ready.")
        media.append({"media_id": media_id, "media_type": item["media_type"],
                      "size": item["received"], "alt": item.get("alt")})
    recent = datetime.now(timezone.utc) - timedelta(days=1)
    if any(t["text"] == text and _parse_time(t["created_at"]) > recent for t in live.values()):
        raise _problem(403, "Forbidden", DUPLICATE)
    tweet = server._new_tweet(text, reply_to=reply_to, quote=quote, media=media)
    return {"data": {"id": tweet["id"], "text": tweet["shown_text"],
                     "edit_history_tweet_ids": [tweet["id"]]}}


def _delete(server: ImitationX, tweet_id: str) -> dict:
    for tweet in server.posts:
        if tweet["id"] == tweet_id:
            tweet["deleted"] = True
            return {"data": {"deleted": True}}
    raise _problem(404, "Not Found Error", f"Could not find tweet with id: [{tweet_id}].")


def _shown(tweet: dict, fields: set[str]) -> dict:
    shown = {"id": tweet["id"], "text": tweet["shown_text"],
             "edit_history_tweet_ids": [tweet["id"]]}
    references = [{"type": "replied_to", "id": tweet["in_reply_to"]}] if tweet["in_reply_to"] else []
    references += [{"type": "quoted", "id": tweet["quote"]}] if tweet["quote"] else []
    available = {
        "created_at": tweet["created_at"],
        "author_id": tweet["author_id"],
        "referenced_tweets": references or None,
        "public_metrics": tweet["public_metrics"],
        "non_public_metrics": tweet["non_public_metrics"],
        "organic_metrics": {**tweet["non_public_metrics"],
                            **{k: v for k, v in tweet["public_metrics"].items()
                               if k in ("like_count", "reply_count", "retweet_count")}},
    }
    shown.update({k: v for k, v in available.items() if k in fields and v is not None})
    return shown


def _fields(query: dict) -> set[str]:
    fields = set(filter(None, query.get("tweet.fields", "").split(",")))
    unknown = fields - set(_FIELDS) - set(_PRIVATE)
    if unknown:
        raise _invalid(f"Unknown tweet.fields: {', '.join(sorted(unknown))}.")
    return fields


def _lookup(server: ImitationX, query: dict) -> dict:
    ids = [i for i in query.get("ids", "").split(",") if i]
    if not 1 <= len(ids) <= 100:
        raise _invalid("The `ids` query parameter takes 1 to 100 ids.")
    fields = _fields(query)
    live = {tweet["id"]: tweet for tweet in server.posts}
    # As X: non-public metrics only for the owner's posts of the last 30 days, or the lookup fails
    month = datetime.now(timezone.utc) - timedelta(days=30)
    if fields & set(_PRIVATE) and (not server.private_metrics or any(
            _parse_time(live[i]["created_at"]) < month for i in ids if i in live)):
        raise _invalid("Field non_public_metrics is not available for these posts.")
    answer = {"data": [_shown(live[i], fields) for i in ids if i in live]}
    missing = [i for i in ids if i not in live]
    if missing:
        answer["errors"] = [{"value": i, "resource_id": i, "parameter": "ids",
                             "resource_type": "tweet", "title": "Not Found Error",
                             "detail": f"Could not find tweet with ids: [{i}]."} for i in missing]
    if not answer["data"]:
        del answer["data"]
    return answer


def _timeline(server: ImitationX, user_id: str, query: dict) -> dict:
    if user_id != USER_ID:
        raise _problem(404, "Not Found Error", f"Could not find user with id: [{user_id}].")
    fields = _fields(query)
    since = _parse_time(query["start_time"]) if "start_time" in query else None
    newest_first = [t for t in reversed(server.posts)
                    if since is None or _parse_time(t["created_at"]) >= since]
    size = max(5, min(int(query.get("max_results", 10)), 100))
    start = int(query.get("pagination_token", "0"))
    page = newest_first[start : start + size]
    meta = {"result_count": len(page)}
    if start + size < len(newest_first):
        meta["next_token"] = str(start + size)
    answer = {"meta": meta}
    if page:
        answer["data"] = [_shown(tweet, fields) for tweet in page]
    return answer


def _media_init(server: ImitationX, body: dict) -> dict:
    if not body.get("media_type") or not isinstance(body.get("total_bytes"), int):
        raise _invalid("initialize needs media_type and total_bytes.")
    media_id = server.new_id()
    server.media[media_id] = {"media_type": body["media_type"], "total": body["total_bytes"],
                              "category": body.get("media_category"), "received": 0,
                              "segments": [], "state": "uploading"}
    return {"data": {"id": media_id, "media_key": f"3_{media_id}", "expires_after_secs": 86400}}


def _media_step(server: ImitationX, media_id: str, step: str, body: dict) -> dict:
    item = server.media.get(media_id)
    if item is None:
        raise _invalid(f"Unknown media id {media_id}.")
    if step == "append":
        item["received"] += len(base64.b64decode(body["media"]))
        item["segments"].append(body["segment_index"])
        return {"data": {"expires_at": 0}}
    if step == "finalize":
        if item["received"] != item["total"]:
            raise _invalid(f"Received {item['received']} of {item['total']} bytes.")
        answer = {"id": media_id, "media_key": f"3_{media_id}", "size": item["total"]}
        if item["media_type"].startswith("video/"):
            item["state"] = "pending"  # video is processed; ready at the next status check
            answer["processing_info"] = {"state": "pending", "check_after_secs": 0}
        else:
            item["state"] = "succeeded"
        return {"data": answer}
    raise _problem(404, "Not Found", f"No media step {step}.")


def _media_status(server: ImitationX, query: dict) -> dict:
    item = server.media.get(query.get("media_id", ""))
    if item is None or query.get("command") != "STATUS":
        raise _invalid("STATUS needs a known media_id.")
    if item["state"] == "pending":
        item["state"] = "succeeded"
    info = {"state": item["state"], "progress_percent": 100}
    return {"data": {"id": query["media_id"], "processing_info": info}}


def _media_metadata(server: ImitationX, body: dict) -> dict:
    item = server.media.get(str(body.get("id")))
    alt = ((body.get("metadata") or {}).get("alt_text") or {}).get("text")
    if item is None or alt is None:
        raise _invalid("metadata needs a known id and alt_text.text.")
    if len(alt) > 1000:
        raise _invalid("Alt text is limited to 1000 characters.")
    item["alt"] = alt
    return {"data": {"id": body["id"], "associated_metadata": {"alt_text": {"text": alt}}}}


if __name__ == "__main__":
    ImitationX.main(__doc__.splitlines()[0])

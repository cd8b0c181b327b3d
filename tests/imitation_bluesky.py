"""An imitation of a Bluesky PDS (with the AppView's getPosts), over real HTTP on 127.0.0.1.

XRPC as the lexicons define it: com.atproto.server.createSession and refreshSession,
com.atproto.identity.resolveHandle, com.atproto.repo.uploadBlob, createRecord, getRecord and
deleteRecord, app.bsky.feed.getPosts. Like a PDS it checks the record against
app.bsky.feed.post (text within 300 graphemes and 3000 bytes, facets inside the text on UTF-8
byte offsets, a TID record key, reply and quote strong refs that exist with their CID, blobs
that were uploaded and fit), and a second record at a key that holds one fails: the PDS's
repository tree throws, which it answers as 500 InternalServerError.

In tests:
    with ImitationBluesky() as server:     # or the `bluesky_server` fixture
        server.fail("POST", "/xrpc/com.atproto.repo.createRecord", "drop")
        server.posts                          # live posts, oldest first: id (at:// URI), text...
        server.lookups                        # the URIs of each getPosts call
        server.sessions                       # how many times accord signed in
Faults as tests/imitation.py says; a rate limit answers with ratelimit-* headers.
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).parent))  # run as a script, it finds its neighbour

import regex  # noqa: E402
from imitation import Answer, Fault, Imitation, Incoming  # noqa: E402

HANDLE, DID = "brand.bsky.social", "did:plc:brandbrandbrandbrand0000"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
# Handles that resolve to an account (mentions); others do not.
KNOWN = {HANDLE: DID, "alice.example.com": "did:plc:alicealicealicealice0000",
         "jürgen.example.com": "did:plc:jurgenjurgenjurgenju0000"}
COLLECTION = "app.bsky.feed.post"
MAX_IMAGE = 2_000_000  # app.bsky.embed.images#image.image maxSize
_TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def env(prefix: str) -> dict[str, str]:
    """Environment variables holding the accepted credentials for `credentials_env: prefix`."""
    return {f"{prefix}_HANDLE": HANDLE, f"{prefix}_APP_PASSWORD": APP_PASSWORD}


class ImitationBluesky(Imitation):
    def __init__(self, **options):
        self.records: list[dict] = []  # every post made, deleted ones marked
        self.blobs: dict[str, dict] = {}
        self.sessions = 0  # createSession calls
        self.lookups: list[list[str]] = []  # the URIs of each getPosts call
        self._revs = itertools.count(1)
        super().__init__(**options)

    @property
    def posts(self) -> list[dict]:
        with self._lock:
            return [record for record in self.records if not record["deleted"]]

    def own_state(self) -> dict:
        return {"records": self.records, "blobs": self.blobs, "sessions": self.sessions}

    def load_own(self, state: dict) -> None:
        self.records, self.blobs = state.get("records", []), state.get("blobs", {})
        self.sessions = state.get("sessions", 0)

    def refusal(self, fault: Fault) -> Answer:
        if fault.kind == "status":
            names = {500: "InternalServerError", 502: "UpstreamFailure", 503: "NotEnoughResources"}
            return Answer(fault.status, {"error": names.get(fault.status, "InternalServerError"),
                                         "message": fault.detail})
        return Answer(429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                      {"ratelimit-limit": "5000", "ratelimit-remaining": "0",
                       "ratelimit-reset": str(fault.reset), "ratelimit-policy": "5000;w=3600"})

    def authorize(self, request: Incoming) -> None:
        """Writes want the access token; a refresh the refresh token; reads and sign-in none."""
        method = request.path.removeprefix("/xrpc/")
        if method == "com.atproto.server.refreshSession":
            self._authorised(request, "refresh")
        elif method.startswith("com.atproto.repo.") and method != "com.atproto.repo.getRecord":
            self._authorised(request, "access")

    def route(self, request: Incoming):
        method, verb = request.path.removeprefix("/xrpc/"), request.method
        if verb == "POST" and method == "com.atproto.server.createSession":
            return 200, self._create_session(request.body)
        if verb == "POST" and method == "com.atproto.server.refreshSession":
            return 200, self._session()
        if verb == "GET" and method == "com.atproto.identity.resolveHandle":
            handle = _one(request, "handle").lower()
            if handle not in KNOWN:
                raise _invalid("Unable to resolve handle")
            return 200, {"did": KNOWN[handle]}
        if verb == "GET" and method == "com.atproto.repo.getRecord":
            return 200, self._get_record(request)
        if verb == "GET" and method == "app.bsky.feed.getPosts":
            return 200, self._get_posts(request)
        if verb == "POST" and method == "com.atproto.repo.uploadBlob":
            return 200, self._upload(request)
        if verb == "POST" and method == "com.atproto.repo.createRecord":
            return 200, self._create(request.body)
        if verb == "POST" and method == "com.atproto.repo.deleteRecord":
            return 200, self._delete(request.body)
        raise Answer(501, {"error": "MethodNotImplemented", "message": f"Method Not Implemented: {method}"})

    # --- session -------------------------------------------------------------------------

    def _create_session(self, body: dict) -> dict:
        if body.get("identifier") not in (HANDLE, DID) or body.get("password") != APP_PASSWORD:
            raise Answer(401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"})
        self.sessions += 1
        return self._session()

    def _session(self) -> dict:
        return {"did": DID, "handle": HANDLE, "accessJwt": _jwt("access"), "refreshJwt": _jwt("refresh"),
                "active": True}

    def _authorised(self, request: Incoming, scope: str) -> None:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        except (IndexError, ValueError):
            raise Answer(401, {"error": "AuthenticationRequired", "message": "Authentication Required"}) from None
        if payload.get("scope") != scope or payload.get("exp", 0) < time.time():
            raise Answer(400, {"error": "ExpiredToken", "message": "Token has expired"})

    # --- records -------------------------------------------------------------------------

    def _upload(self, request: Incoming) -> dict:
        kind, size = request.headers.get("content-type", ""), len(request.raw)
        cid = _cid(request.raw, codec=0x55)
        self.blobs[cid] = {"mimeType": kind, "size": size}
        return {"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType": kind, "size": size}}

    def _create(self, body: dict) -> dict:
        if body.get("repo") not in (DID, HANDLE):
            raise Answer(401, {"error": "AuthRequiredError", "message": "Authentication Required"})
        if body.get("collection") != COLLECTION:
            raise _invalid(f"Unknown collection {body.get('collection')}")
        rkey = body.get("rkey")
        if rkey is None:
            raise _invalid("accord always gives a record key; the imitation takes no other")
        if not _TID.match(rkey):
            raise _invalid(f"Invalid record key: {rkey} is not a TID")
        record = body.get("record") or {}
        self._validate(record)
        uri = f"at://{DID}/{COLLECTION}/{rkey}"
        if any(r["id"] == uri and not r["deleted"] for r in self.records):
            # the repository tree refuses a second value at a key; the PDS does not say why
            raise Answer(500, {"error": "InternalServerError", "message": "Internal Server Error"})
        made = {"id": uri, "rkey": rkey, "cid": _cid(json.dumps(record, sort_keys=True).encode()),
                "text": record["text"], "record": record, "deleted": False,
                "indexedAt": _iso(datetime.now(timezone.utc)),
                "likeCount": 0, "repostCount": 0, "replyCount": 0, "quoteCount": 0}
        self.records = [r for r in self.records if r["id"] != uri] + [made]
        return {"uri": uri, "cid": made["cid"], "validationStatus": "valid",
                "commit": {"cid": _cid(uri.encode()), "rev": _rev(next(self._revs))}}

    def _validate(self, record: dict) -> None:
        if record.get("$type") != COLLECTION or "createdAt" not in record or "text" not in record:
            raise _invalid("Invalid app.bsky.feed.post record: $type, text and createdAt are required")
        text = record["text"]
        size = len(text.encode("utf-8"))
        if len(regex.findall(r"\X", text)) > 300 or size > 3000:
            raise _invalid("Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes")
        for facet in record.get("facets") or []:
            index = facet.get("index") or {}
            start, end = index.get("byteStart"), index.get("byteEnd")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size):
                raise _invalid(f"Invalid facet: byte range {start}..{end} is outside the text ({size} bytes)")
            for feature in facet.get("features") or []:
                if feature.get("$type") not in ("app.bsky.richtext.facet#link", "app.bsky.richtext.facet#mention",
                                                "app.bsky.richtext.facet#tag"):
                    raise _invalid(f"Invalid facet feature {feature.get('$type')}")
        langs = record.get("langs", [])
        if len(langs) > 3 or not all(isinstance(lang, str) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", lang)
                                     for lang in langs):
            raise _invalid(f"Invalid app.bsky.feed.post record: langs {langs!r} are not up to 3 language tags")
        reply = record.get("reply")
        if reply is not None:
            for which in ("root", "parent"):
                self._strong_ref(reply.get(which), f"reply.{which}")
        embed = record.get("embed")
        if embed is not None:
            self._embed(embed)

    def _embed(self, embed: dict) -> None:
        kind = embed.get("$type")
        if kind == "app.bsky.embed.images":
            images = embed.get("images") or []
            if not 1 <= len(images) <= 4:
                raise _invalid("Invalid embed: 1 to 4 images")
            for image in images:
                if "alt" not in image:
                    raise _invalid("Invalid embed: an image needs alt")
                self._blob(image.get("image"), MAX_IMAGE, "image/")
        elif kind == "app.bsky.embed.video":
            self._blob(embed.get("video"), 100_000_000, "video/mp4")
        elif kind == "app.bsky.embed.record":
            self._strong_ref(embed.get("record"), "embed.record")
        elif kind == "app.bsky.embed.recordWithMedia":
            self._embed(embed.get("record") or {})
            self._embed(embed.get("media") or {})
        else:
            raise _invalid(f"Invalid embed type {kind}")

    def _blob(self, blob: dict | None, limit: int, accept: str) -> None:
        cid = ((blob or {}).get("ref") or {}).get("$link")
        known = self.blobs.get(cid)
        if known is None:
            raise _invalid(f"Could not find blob: {cid}", "BlobNotFound")
        if known["size"] > limit:
            raise _invalid(f"This file is too large. It is {known['size']} bytes but the maximum size is {limit}.",
                           "BlobTooLarge")
        if not known["mimeType"].startswith(accept):
            raise _invalid(f"Wrong type of file. It is {known['mimeType']} but it must match {accept}.")

    def _strong_ref(self, ref: dict | None, where: str) -> None:
        live = {r["id"]: r for r in self.posts}
        if not ref or ref.get("uri") not in live or live[ref["uri"]]["cid"] != ref.get("cid"):
            raise _invalid(f"Invalid {where}: no post with that uri and cid")

    def _get_record(self, request: Incoming) -> dict:
        repo, collection, rkey = (_one(request, name) for name in ("repo", "collection", "rkey"))
        uri = f"at://{DID if repo in (DID, HANDLE) else repo}/{collection}/{rkey}"
        for record in self.posts:
            if record["id"] == uri:
                return {"uri": uri, "cid": record["cid"], "value": record["record"]}
        raise _invalid(f"Could not locate record: {uri}", "RecordNotFound")

    def _delete(self, body: dict) -> dict:
        uri = f"at://{DID}/{body.get('collection')}/{body.get('rkey')}"
        for record in self.posts:
            if record["id"] == uri:
                record["deleted"] = True
        return {"commit": {"cid": _cid(uri.encode() + b"-"), "rev": _rev(next(self._revs))}}

    def _get_posts(self, request: Incoming) -> dict:
        uris = parse_qs(request.raw_query).get("uris", [])  # the parameter repeats, once per URI
        self.lookups.append(uris)
        if not 1 <= len(uris) <= 25:
            raise _invalid("uris must not be longer than 25 elements" if uris else "Params must have the property \"uris\"")
        live = {r["id"]: r for r in self.posts}
        return {"posts": [{
            "uri": r["id"], "cid": r["cid"], "author": {"did": DID, "handle": HANDLE},
            "record": r["record"], "indexedAt": r["indexedAt"], "labels": [],
            "likeCount": r["likeCount"], "repostCount": r["repostCount"], "replyCount": r["replyCount"],
            "quoteCount": r["quoteCount"],
        } for uri in uris if (r := live.get(uri))]}


def _one(request: Incoming, name: str) -> str:
    value = request.query.get(name)
    if not value:
        raise _invalid(f'Params must have the property "{name}"')
    return value


def _invalid(message: str, error: str = "InvalidRequest") -> Answer:
    return Answer(400, {"error": error, "message": message})


def _jwt(scope: str) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    payload = {"scope": scope, "sub": DID, "iat": int(time.time()), "exp": int(time.time()) + 7200}
    return f"{part({'alg': 'ES256K', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJl"


def _cid(data: bytes, codec: int = 0x71) -> str:
    """A CIDv1 (dag-cbor or raw, sha-256) in base32, the shape a PDS gives."""
    digest = bytes([0x01, codec, 0x12, 0x20]) + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(digest).decode().lower().rstrip("=")


def _rev(n: int) -> str:
    return "3l" + format(n, "011d")


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


if __name__ == "__main__":
    ImitationBluesky.main(__doc__.splitlines()[0])

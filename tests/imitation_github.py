"""An imitation of GitHub's REST API, over real HTTP on 127.0.0.1, for what accord asks of it.

Shapes follow docs.github.com/en/rest: pulls (get, list reviews, commits, files), commits (get,
with its files; list the pull requests associated with one), teams (get team membership for a user: 200 with state, 404 when not a member),
commit statuses (create), issue comments (list, create, update) and issues (list, create,
update). Lists are paged as GitHub pages them (per_page, default 30, at most 100; a Link header
with rel="next" and rel="last" as absolute URLs). A token that may only read gets 403
"Resource not accessible by integration" on every write, as a fork's pull request does.

In tests:
    with ImitationGitHub(token="t") as gh:
        gh.pull(7, author="carol", head=sha, base=sha0, commits=[(sha, "carol", ["content/a.yaml"])])
        gh.review(7, "bob", "APPROVED", sha)
        gh.member("testorg/brand", "bob")
        gh.merged(7, sha_on_main)                        # #7 merged, and sha_on_main came with it
        gh.limit("GET", "/repos/o/r/pulls/7/reviews", retry_after=1)   # secondary rate limit, once
        gh.statuses, gh.comments, gh.issues, gh.requests
"""
from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

OWNER, REPO = "testorg", "content"
SECONDARY = ("You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
             "If you reach out to GitHub Support for help, please include the request ID.")


@dataclass
class Limit:
    method: str
    path: str
    retry_after: int | None
    times: int = 1
    status: int = 403


class ImitationGitHub:
    def __init__(self, token: str = "imitation-token", may_write: bool = True):
        self.token = token
        self.may_write = may_write
        self.pulls: dict[int, dict] = {}
        self.commits: dict[str, dict] = {}
        self.reviews: dict[int, list[dict]] = {}
        self.merged_with: dict[str, list[int]] = {}  # commit sha -> the pull requests it belongs to
        self.teams: dict[str, dict[str, str]] = {}  # "org/slug" -> login -> state (active, pending)
        self.statuses: list[dict] = []
        self.comments: dict[int, list[dict]] = {}
        self.issues: dict[int, dict] = {}
        self.requests: list[tuple[str, str]] = []
        self.on_request = None  # called with (method, path) as each request arrives, for tests to look on
        self.limits: list[Limit] = []
        self._ids = itertools.count(1001)
        self._numbers = itertools.count(100)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- the state tests set up ----------------------------------------------------------------

    def pull(self, number: int, author: str, head: str, base: str,
             commits: list[tuple[str, str | None, list[str]]]) -> None:
        """A pull request; `commits` oldest first as (sha, author login, files it touched)."""
        files = sorted({f for _, _, fs in commits for f in fs})
        self.pulls[number] = {"number": number, "state": "open", "user": {"login": author, "type": "User"},
                              "html_url": f"https://github.com/{OWNER}/{REPO}/pull/{number}", "merged_at": None,
                              "head": {"sha": head, "ref": "proposal"}, "base": {"sha": base, "ref": "main"},
                              "files": files, "commit_shas": [c[0] for c in commits]}
        for sha, login, fs in commits:
            self.commits[sha] = {"sha": sha, "author": {"login": login} if login else None,
                                 "commit": {"message": "a change", "author": {"name": login or "someone"}},
                                 "files": [{"filename": f, "status": "modified"} for f in fs]}
        self.reviews.setdefault(number, [])

    def review(self, number: int, login: str, state: str, commit: str) -> None:
        self.reviews[number].append({"id": next(self._ids), "user": {"login": login}, "state": state,
                                     "commit_id": commit, "body": "", "submitted_at": "2026-11-23T10:00:00Z",
                                     "author_association": "MEMBER"})

    def merged(self, number: int, *shas: str, at: str = "2026-11-23T11:00:00Z") -> None:
        """Pull request `number` merged at `at`; `shas` (commits on the base branch) came with it."""
        pr = self.pulls[number]
        pr.update(state="closed", merged_at=at, merge_commit_sha=shas[-1] if shas else None)
        for sha in shas:
            self.merged_with.setdefault(sha, []).append(number)

    def member(self, team: str, login: str, state: str = "active") -> None:
        self.teams.setdefault(team, {})[login] = state

    def limit(self, method: str, path: str, retry_after: int | None = 1, times: int = 1, status: int = 403) -> None:
        self.limits.append(Limit(method, path, retry_after, times, status))

    def requested(self, method: str, prefix: str) -> list[str]:
        return [p for m, p in self.requests if m == method and p.startswith(prefix)]

    # --- serving -----------------------------------------------------------------------------

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ImitationGitHub:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> ImitationGitHub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class _Answer(Exception):
    def __init__(self, status: int, body, headers: dict | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


def _not_found():
    return _Answer(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})


def _handler(gh: ImitationGitHub):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self._serve("GET")

        def do_POST(self):
            self._serve("POST")

        def do_PATCH(self):
            self._serve("PATCH")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null") if length else None
            try:
                with gh._lock:
                    gh.requests.append((method, parts.path))
                    if gh.on_request is not None:
                        gh.on_request(method, parts.path)
                    self._auth()
                    self._limited(method, parts.path)
                    status, answer, headers = _route(gh, method, parts.path, parse_qs(parts.query), body, self)
            except _Answer as a:
                status, answer, headers = a.status, a.body, a.headers
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-RateLimit-Limit", "5000")
            self.send_header("X-RateLimit-Remaining", "4999")
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _auth(self) -> None:
            given = self.headers.get("Authorization", "")
            if given not in (f"Bearer {gh.token}", f"token {gh.token}"):
                raise _Answer(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})

        def _limited(self, method: str, path: str) -> None:
            for lim in gh.limits:
                if lim.times and lim.method == method and lim.path == path:
                    lim.times -= 1
                    headers = {"Retry-After": str(lim.retry_after)} if lim.retry_after is not None else {}
                    raise _Answer(lim.status, {"message": SECONDARY,
                                               "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"},
                                  headers)

    return Handler


def _paged(items: list, query: dict, handler, path: str):
    per_page = min(int(query.get("per_page", ["30"])[0]), 100)
    page = int(query.get("page", ["1"])[0])
    last = max(1, -(-len(items) // per_page))
    links = []
    host = f"http://{handler.server.server_address[0]}:{handler.server.server_address[1]}"
    rest = {k: v[0] for k, v in query.items() if k not in ("page",)}
    if page < last:
        links.append(f'<{host}{path}?{urlencode({**rest, "page": page + 1})}>; rel="next"')
        links.append(f'<{host}{path}?{urlencode({**rest, "page": last})}>; rel="last"')
    if page > 1:
        links.append(f'<{host}{path}?{urlencode({**rest, "page": 1})}>; rel="first"')
    return 200, items[(page - 1) * per_page:page * per_page], {"Link": ", ".join(links)} if links else {}


def _write(gh: ImitationGitHub) -> None:
    if not gh.may_write:
        raise _Answer(403, {"message": "Resource not accessible by integration",
                            "documentation_url": "https://docs.github.com/rest"})


def _route(gh: ImitationGitHub, method: str, path: str, query: dict, body, handler):
    repo = f"/repos/{OWNER}/{REPO}"
    m = re.fullmatch(rf"{repo}/pulls/(\d+)(/reviews|/commits|/files)?", path)
    if m and method == "GET":
        pr = gh.pulls.get(int(m[1]))
        if pr is None:
            raise _not_found()
        if m[2] is None:
            return 200, {k: v for k, v in pr.items() if k not in ("files", "commit_shas")}, {}
        if m[2] == "/reviews":
            return _paged(gh.reviews[pr["number"]], query, handler, path)
        if m[2] == "/commits":
            return _paged([{k: v for k, v in gh.commits[s].items() if k != "files"} for s in pr["commit_shas"]],
                          query, handler, path)
        return _paged([{"filename": f, "status": "modified", "additions": 1, "deletions": 0, "changes": 1}
                       for f in pr["files"]], query, handler, path)
    m = re.fullmatch(rf"{repo}/commits/([0-9a-f]{{7,40}})/pulls", path)
    if m and method == "GET":  # a commit GitHub has not seen is 422; one in no pull request, []
        if m[1] not in gh.commits and m[1] not in gh.merged_with:
            raise _Answer(422, {"message": f"No commit found for SHA: {m[1]}",
                                "documentation_url": "https://docs.github.com/rest"})
        found = [{k: v for k, v in gh.pulls[n].items() if k not in ("files", "commit_shas")}
                 for n in gh.merged_with.get(m[1], [])]
        return _paged(found, query, handler, path)
    m = re.fullmatch(rf"{repo}/commits/([0-9a-f]{{7,40}})", path)
    if m and method == "GET":
        if m[1] not in gh.commits:
            raise _not_found()
        return 200, gh.commits[m[1]], {}
    m = re.fullmatch(r"/orgs/([^/]+)/teams/([^/]+)/memberships/([^/]+)", path)
    if m and method == "GET":
        state = gh.teams.get(f"{m[1]}/{m[2]}", {}).get(m[3])
        if state is None:
            raise _not_found()
        return 200, {"url": f"https://api.github.com/teams/1/memberships/{m[3]}", "role": "member", "state": state}, {}
    m = re.fullmatch(rf"{repo}/statuses/([0-9a-f]{{40}})", path)
    if m and method == "POST":
        _write(gh)
        if body.get("state") not in ("error", "failure", "pending", "success"):
            raise _Answer(422, {"message": "Validation Failed"})
        status = {"id": next(gh._ids), "sha": m[1], **body}
        gh.statuses.append(status)
        return 201, status, {}
    m = re.fullmatch(rf"{repo}/issues/(\d+)/comments", path)
    if m:
        found = gh.comments.setdefault(int(m[1]), [])
        if method == "GET":
            return _paged(found, query, handler, path)
        _write(gh)
        comment = {"id": next(gh._ids), "body": body["body"], "user": {"login": "github-actions[bot]"}}
        found.append(comment)
        return 201, comment, {}
    m = re.fullmatch(rf"{repo}/issues/comments/(\d+)", path)
    if m and method == "PATCH":
        _write(gh)
        comment = next((c for cs in gh.comments.values() for c in cs if c["id"] == int(m[1])), None)
        if comment is None:
            raise _not_found()
        comment["body"] = body["body"]
        return 200, comment, {}
    if path == f"{repo}/issues":
        if method == "GET":
            state = query.get("state", ["open"])[0]
            labels = set(query.get("labels", [""])[0].split(",")) - {""}
            found = [i for _, i in sorted(gh.issues.items())
                     if (state == "all" or i["state"] == state) and labels <= {lab["name"] for lab in i["labels"]}]
            return _paged(found, query, handler, path)
        _write(gh)
        number = next(gh._numbers)
        issue = {"number": number, "title": body["title"], "body": body.get("body", ""), "state": "open",
                 "labels": [{"name": n} for n in body.get("labels", [])], "user": {"login": "github-actions[bot]"}}
        gh.issues[number] = issue
        return 201, issue, {}
    m = re.fullmatch(rf"{repo}/issues/(\d+)", path)
    if m and method == "PATCH":
        _write(gh)
        issue = gh.issues.get(int(m[1]))
        if issue is None:
            raise _not_found()
        for key in ("title", "body", "state"):
            if key in body:
                issue[key] = body[key]
        if "labels" in body:
            issue["labels"] = [{"name": n} for n in body["labels"]]
        return 200, issue, {}
    raise _not_found()

"""GitHub's REST API, as far as accord asks it: pull requests, reviews, team membership, commit
statuses, comments and issues. The token comes from GITHUB_TOKEN and the base from
GITHUB_API_URL (GitHub Enterprise), both as Actions sets them.

Every list is read to its last page (the Link header's rel="next"); a rate limit (403 or 429
with Retry-After, or no requests left until X-RateLimit-Reset) is waited out a bounded number of
times, never for long: a job that would wait longer fails with a sentence instead.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass

import requests

API = "https://api.github.com"
ATTEMPTS = 4  # a request is tried at most this many times over rate limits and 5xx
LONGEST_WAIT = 60.0  # seconds: a limit that lifts later than this is reported, not waited for
TIMEOUT = 30.0


class GitHubError(Exception):
    """GitHub could not be asked, or refused: a sentence (never the token)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Repo:
    owner: str
    name: str

    @classmethod
    def parse(cls, text: str) -> Repo:
        owner, _, name = text.strip().partition("/")
        if not owner or not name or "/" in name:
            raise GitHubError(f"'{text}' is not a repository: write owner/name")
        return cls(owner, name)

    @property
    def path(self) -> str:
        return f"/repos/{self.owner}/{self.name}"


class GitHub:
    def __init__(self, token: str | None = None, api_url: str | None = None, sleep=time.sleep,
                 timeout: float = TIMEOUT):
        self.token = token if token is not None else os.environ.get("GITHUB_TOKEN", "")
        self.api = (api_url or os.environ.get("GITHUB_API_URL") or API).rstrip("/")
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/vnd.github+json",
                                     "X-GitHub-Api-Version": "2022-11-28",
                                     "User-Agent": "accord"})
        if self.token:
            self.session.headers["Authorization"] = f"Bearer {self.token}"
        self._sleep = sleep
        self._timeout = timeout

    @classmethod
    def from_environment(cls) -> GitHub:
        if not os.environ.get("GITHUB_TOKEN"):
            raise GitHubError("GITHUB_TOKEN is not set: accord reads the pull request with it "
                              "(in a workflow: env: GITHUB_TOKEN: ${{ github.token }})")
        return cls()

    # --- requests ---------------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        url = path if path.startswith(("http://", "https://")) else f"{self.api}{path}"
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = self.session.request(method, url, timeout=self._timeout, **kwargs)
            except requests.RequestException as exc:
                if attempt == ATTEMPTS:
                    raise GitHubError(f"cannot reach {self.api}: {self._redact(str(exc))}") from None
                self._sleep(min(2.0 ** attempt, LONGEST_WAIT))
                continue
            wait = self._wait(response)
            if wait is None:
                if response.status_code >= 500 and attempt < ATTEMPTS:
                    self._sleep(min(2.0 ** attempt, LONGEST_WAIT))
                    continue
                return response
            if wait > LONGEST_WAIT or attempt == ATTEMPTS:
                raise GitHubError(f"GitHub's rate limit holds {method} {path} back for {wait:.0f} s more; "
                                  f"run again later", response.status_code)
            self._sleep(wait)
        raise AssertionError("unreachable")

    def _wait(self, response: requests.Response) -> float | None:
        """Seconds to wait before asking again when the response is a rate limit; else None."""
        if response.status_code not in (403, 429):
            return None
        after = response.headers.get("Retry-After")
        if after is not None:
            try:
                return max(float(after), 0.0)
            except ValueError:
                return LONGEST_WAIT
        if response.headers.get("X-RateLimit-Remaining") == "0":
            reset = response.headers.get("X-RateLimit-Reset", "")
            return max(float(reset) - time.time(), 0.0) + 1 if reset.isdigit() else LONGEST_WAIT
        if response.status_code == 429 or "secondary rate limit" in response.text.lower():
            return LONGEST_WAIT / 4  # GitHub: wait at least a minute when it does not say; bounded here
        return None  # a plain 403: not allowed

    def _redact(self, text: str) -> str:
        return text.replace(self.token, "***") if self.token else text

    def _ok(self, response: requests.Response, what: str) -> requests.Response:
        if response.status_code >= 400:
            try:
                message = response.json().get("message", "")
            except ValueError:
                message = response.text[:200]
            raise GitHubError(f"{what}: GitHub answered {response.status_code} {self._redact(message)}".rstrip(),
                              response.status_code)
        return response

    def get(self, path: str, what: str, **params):
        return self._ok(self.request("GET", path, params=params or None), what).json()

    def pages(self, path: str, what: str, **params) -> list:
        """Every item of a list, following the Link header's rel="next" to the last page."""
        out: list = []
        url, query = path, {"per_page": 100, **params}
        while url:
            response = self._ok(self.request("GET", url, params=query), what)
            out.extend(response.json())
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries the query
        return out

    def send(self, method: str, path: str, what: str, body: dict) -> dict:
        return self._ok(self.request(method, path, json=body), what).json()

    # --- what accord asks -------------------------------------------------------------------

    def member(self, team: str, login: str) -> bool:
        """Whether `login` is an active member of `team` (org/slug): 404 is no."""
        org, _, slug = team.partition("/")
        response = self.request("GET", f"/orgs/{org}/teams/{slug}/memberships/{login}")
        if response.status_code == 404:
            return False
        self._ok(response, f"team @{team}'s membership of @{login}")
        return response.json().get("state") == "active"

    def pull_request(self, repo: Repo, number: int):
        """The pull request as the approvals judge it: author, head, reviews in the order given,
        commits oldest first with the files each touched, and the files it changes."""
        from .approvals import Commit, PullRequest

        pr = self.get(f"{repo.path}/pulls/{number}", f"pull request #{number} of {repo.owner}/{repo.name}")
        reviews = self.reviews(repo, number)
        commits = []
        for c in self.pages(f"{repo.path}/pulls/{number}/commits", f"the commits of #{number}"):
            detail = self.get(f"{repo.path}/commits/{c['sha']}", f"commit {c['sha'][:7]}")
            commits.append(Commit(c["sha"], (c.get("author") or {}).get("login"),
                                  frozenset(f["filename"] for f in detail.get("files") or [])))
        files = [f["filename"] for f in self.pages(f"{repo.path}/pulls/{number}/files", f"the files of #{number}")]
        return PullRequest(number, pr["user"]["login"], pr["head"]["sha"], reviews, commits,
                           base=pr["base"]["sha"], files=sorted(files))

    def pulls_of_commit(self, repo: Repo, sha: str) -> list[dict]:
        """The pull requests a commit belongs to (merged ones: those that merged it)."""
        return self.pages(f"{repo.path}/commits/{sha}/pulls", f"the pull requests of commit {sha[:7]}")

    def reviews(self, repo: Repo, number: int):
        """Pull request `number`'s reviews in the order given (approvals.Review)."""
        from .approvals import Review

        return [Review(r["user"]["login"], r["state"], r.get("commit_id") or "")
                for r in self.pages(f"{repo.path}/pulls/{number}/reviews", f"the reviews of #{number}")
                if r.get("user")]

    def status(self, repo: Repo, sha: str, state: str, description: str, context: str, url: str | None) -> None:
        body = {"state": state, "description": description[:140], "context": context}
        if url:
            body["target_url"] = url
        self.send("POST", f"{repo.path}/statuses/{sha}", f"the {context} status", body)

    def upsert_comment(self, repo: Repo, number: int, marker: str, body: str) -> str:
        """Pull request (or issue) `number`'s one comment starting with `marker`: edited in place
        when there is one, else made. Returns 'created', 'updated' or 'unchanged'."""
        path = f"{repo.path}/issues/{number}/comments"
        mine = [c for c in self.pages(path, f"the comments of #{number}") if (c.get("body") or "").startswith(marker)]
        if not mine:
            self.send("POST", path, f"a comment on #{number}", {"body": body})
            return "created"
        if mine[0].get("body") == body:
            return "unchanged"
        self.send("PATCH", f"{repo.path}/issues/comments/{mine[0]['id']}", f"the comment on #{number}", {"body": body})
        return "updated"

    def issues(self, repo: Repo, label: str) -> list[dict]:
        """Every issue (open or closed, not pull requests) with `label`."""
        found = self.pages(f"{repo.path}/issues", f"the issues labelled {label}", labels=label, state="all")
        return [i for i in found if "pull_request" not in i]

    def open_issue(self, repo: Repo, title: str, body: str, labels: list[str]) -> dict:
        return self.send("POST", f"{repo.path}/issues", "a new issue", {"title": title, "body": body, "labels": labels})

    def edit_issue(self, repo: Repo, number: int, **fields) -> dict:
        return self.send("PATCH", f"{repo.path}/issues/{number}", f"issue #{number}", fields)

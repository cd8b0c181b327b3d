"""The audit trail of a publish: the commit a post went out from, the workflow run that sent it
and, when GitHub can be asked, the pull request that merged the post and who approved it, so
"who proposed, who approved, who published" is one lookup in the ledger.

GitHub is asked only after the run's claims are pushed, briefly, and never makes a publish fail:
without a token, a repository name or the network, the record names the commit only.
"""
from __future__ import annotations

import time
from typing import Mapping

from . import revisions
from .approvals import latest_reviews
from .github import GitHub, GitHubError, Repo
from .model import Post

TIMEOUT = 5.0  # seconds a request to GitHub may take: the posts of the run wait for it
LONGEST_PAUSE = 1.0  # a rate limit is not waited out for an audit trail


def trails(root, posts: list[Post], env: Mapping[str, str], notices: list[str]) -> dict[str, dict]:
    """Each post's trail by post id (a post no commit has yet gets none). What kept GitHub from
    answering goes to `notices`, once."""
    commits = revisions.last_commits(root, sorted({p.doc.rel for p in posts}))
    run_url = _run_url(env)
    pulls: dict[str, dict | None] = {}
    gh, repo = _github(env)
    out = {}
    for post in posts:
        sha = commits.get(post.doc.rel)
        if sha is None:
            continue
        trail: dict = {"commit": sha}
        if run_url:
            trail["run_url"] = run_url
        if gh is not None and sha not in pulls:
            try:
                pulls[sha] = _pull_request(gh, repo, sha)
            except GitHubError as exc:
                notices.append(f"the publish records name the commit only: asking GitHub which pull request "
                               f"merged it failed ({exc})")
                gh = None
        if pulls.get(sha):
            trail["pull_request"] = pulls[sha]
        out[post.id] = trail
    return out


def _github(env: Mapping[str, str]) -> tuple[GitHub | None, Repo | None]:
    token, name = env.get("GITHUB_TOKEN"), env.get("GITHUB_REPOSITORY")
    if not token or not name:
        return None, None
    try:
        repo = Repo.parse(name)
    except GitHubError:
        return None, None
    return GitHub(token, env.get("GITHUB_API_URL"), sleep=lambda s: time.sleep(min(s, LONGEST_PAUSE)),
                  timeout=TIMEOUT), repo


def _pull_request(gh: GitHub, repo: Repo, sha: str) -> dict | None:
    """The merged pull request that brought commit `sha` in: its number, link, author, when it
    merged and whose standing review approved it (the author never approves their own)."""
    merged = [p for p in gh.pulls_of_commit(repo, sha) if p.get("merged_at")]
    if not merged:
        return None
    pr = merged[0]
    author = (pr.get("user") or {}).get("login")
    approved = sorted(login for login, r in latest_reviews(gh.reviews(repo, pr["number"])).items()
                      if r.state == "APPROVED" and login != author)
    return {"number": pr["number"], "url": pr.get("html_url"), "proposed_by": author,
            "merged_at": pr.get("merged_at"), "approved_by": approved}


def _run_url(env: Mapping[str, str]) -> str | None:
    """The workflow run's page, as Actions names it (GITHUB_SERVER_URL, _REPOSITORY, _RUN_ID)."""
    if env.get("GITHUB_RUN_ID") and env.get("GITHUB_REPOSITORY"):
        server = (env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")
        return f"{server}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
    return None

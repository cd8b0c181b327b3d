from __future__ import annotations

import os

import click

from .. import approvals
from ..change import ChangeError
from ..state import State
from ..views import approvals as view
from ..views import as_json, write
from .common import fail, open_org, root_option

CONTEXT = "accord/approvals"


@click.command("approvals")
@click.option("--base", default=None, metavar="REV",
              help="Compare with this revision (default with --pr: the pull request's base).")
@click.option("--pr", "number", type=click.IntRange(min=1), default=None, metavar="N",
              help="Read pull request N's reviews from GitHub and fail until its approvals are met.")
@click.option("--repo", default=None, metavar="OWNER/NAME",
              help="The pull request's repository (default: $GITHUB_REPOSITORY).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@root_option
def command(base, number, repo, fmt, root):
    """What the change needs approved under policies/approvals.yaml: for each changed file the
    rules that cover it and why, and whose approvals they ask for. Offline, from git, with
    --base; with --pr, what the pull request's reviews meet, as a commit status too when the
    token may write one.

    Exit 0: listed, or all met. 1: approvals missing. 2: usage, configuration or GitHub error."""
    if base is None and number is None:
        fail("give --base REV (what a change needs) or --pr N (what a pull request's reviews meet)")
    state = State(open_org(root))
    if number is None:
        need = _needs(state, base)
        _render(view.data(state.org, need), fmt)
        raise SystemExit(0)
    from ..github import GitHub, GitHubError, Repo

    try:
        where = Repo.parse(repo or os.environ.get("GITHUB_REPOSITORY") or "")
    except GitHubError:
        fail(f"--repo OWNER/NAME: which repository pull request #{number} is in (or set GITHUB_REPOSITORY)")
    try:
        gh = GitHub.from_environment()
        pr = gh.pull_request(where, number)
        need = _needs(state, base or pr.base)
        _same_files(need, pr)
        teams = {**state.change(base or pr.base).before.teams, **state.org.teams}
        verdicts = approvals.judge(need, pr, lambda t, login: t in teams and gh.member(teams[t].github_team, login))
        result = view.data(state.org, need, verdicts, pr)
        _status(gh, where, pr, result)
    except GitHubError as exc:
        fail(str(exc))
    _render(result, fmt)
    raise SystemExit(0 if result["met"] else 1)


def _needs(state: State, base: str) -> approvals.Needs:
    try:
        return approvals.needs(state.org, state.change(base))
    except ChangeError as exc:
        fail(str(exc))


def _same_files(need: approvals.Needs, pr: approvals.PullRequest) -> None:
    """The checkout must be the pull request's: judged are the files it changes."""
    here = sorted(f.path for f in need.change.files)
    if here != pr.files:
        odd = sorted(set(here) ^ set(pr.files))
        fail(f"this checkout's change since {need.change.base} is not pull request #{pr.number}'s "
             f"({odd[0]}{f' and {len(odd) - 1} more' if len(odd) > 1 else ''} differ): check out its head "
             f"or merge commit with fetch-depth: 0")


def _status(gh, where, pr: approvals.PullRequest, result: dict) -> None:
    """The verdict as the commit status branch protection can require, when the token may write."""
    from ..github import GitHubError

    missing = [r for r in result["requirements"] if not r["met"]]
    description = ("all approvals met" if not missing else
                   "needs " + "; ".join(view.asks(r) for r in missing))
    run = os.environ.get("GITHUB_RUN_ID")
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    url = f"{server}/{where.owner}/{where.name}/actions/runs/{run}" if run else None
    try:
        gh.status(where, pr.head, "success" if not missing else "failure", description, CONTEXT, url)
    except GitHubError as exc:
        if exc.status not in (403, 404):
            raise
        click.echo(f"accord: the {CONTEXT} status is not set: the token may not write statuses "
                   f"(a pull request from a fork); the job's own result stands for it", err=True)


def _render(result: dict, fmt: str) -> None:
    write({"json": as_json, "md": view.markdown, "text": view.text}[fmt](result), None)

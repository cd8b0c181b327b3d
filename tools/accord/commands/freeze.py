"""`accord freeze` and `accord unfreeze`: stop and restart publishing for everything, a team or
an account, by editing policies/freeze.yaml (absent: nothing frozen)."""
from __future__ import annotations

import os

import click
import git
import yaml

from ..findings import did_you_mean
from ..gitsync import PushFailed, SyncError, catch_up, commit_people, person
from ..model import Org
from .common import clock, fail, now_option, open_org, root_option

FILE = "policies/freeze.yaml"
HEADER = """\
# yaml-language-server: $schema=../schemas/freeze.schema.json
# Crisis freeze. While a scope is listed here the publisher posts nothing to it.
# Edit with `accord freeze --reason ... [--account A | --team T]` and `accord unfreeze`.
"""


def _scope_options(f):
    f = click.option("--team", default=None, metavar="TEAM", help="Only this team's posts and accounts.")(f)
    return click.option("--account", default=None, metavar="ID", help="Only this account.")(f)


def _push_option(f):
    return click.option("--no-push", is_flag=True,
                        help=f"Write and stage {FILE}; do not commit or push it.")(f)


@click.command("freeze")
@click.option("--reason", required=True, help="Why; the publisher's report repeats it.")
@_scope_options
@_push_option
@root_option
@now_option
def command(reason, account, team, no_push, root, now):
    """Stop publishing: everything, or one --team or --account. Commits the freeze in your name
    and pushes it to the default branch (--no-push: only stage it); the next publisher run posts
    nothing there. Freezing a frozen scope again keeps the first reason and time and adds yours."""
    org = _latest(root, no_push)
    scope = _scope(org, account, team)
    reason = reason.strip()
    if not reason:
        fail("--reason must say why publishing stops")
    entries = _entries(org)
    mine = {"reason": reason, "since": clock(now).isoformat(timespec="seconds"), **_by(org)}
    first = next((e for e in entries if _key(e) == scope), None)
    if first is None:
        entries.append({**mine, **dict([scope] if scope else [])})
        said = f"froze {_name(scope)}{_who(mine)}: {reason}"
    else:  # the first reason and time stand: that is when publishing stopped, and why
        first["also"] = [*first.get("also", []), mine]
        said = (f"{_name(scope)} was frozen already{_who(first)}: {first['reason']}; "
                f"added{_who(mine)}: {reason}")
    _write(org, entries)
    _commit(org, f"accord freeze {_name(scope)}: {reason}", said, no_push)


@click.command("unfreeze")
@_scope_options
@_push_option
@root_option
def unfreeze(account, team, no_push, root):
    """Lift a freeze: the whole-organisation one, or the one on --team or --account. Commits it in
    your name and pushes it to the default branch (--no-push: only stage it)."""
    org = _latest(root, no_push)
    scope = _scope(org, account, team, must_exist=False)
    entries = _entries(org)
    lifted = next((e for e in entries if _key(e) == scope), None)
    if lifted is None:
        frozen = ", ".join(_name(_key(e)) for e in entries) or "nothing"
        fail(f"{_name(scope)} is not frozen (frozen: {frozen})", 1)
    left = [e for e in entries if e is not lifted]
    _write(org, left)
    rest = f"; still frozen: {', '.join(_name(_key(e)) for e in left)}" if left else ""
    _commit(org, f"accord unfreeze {_name(scope)}", f"unfroze {_name(scope)} (frozen{_who(lifted)}: "
            f"{lifted['reason']}){rest}", no_push)


def _latest(root, no_push: bool) -> Org:
    """The org as the origin's default branch has it now: a freeze is made to the latest one."""
    org = open_org(root)
    if no_push:
        return org
    try:
        catch_up(org.root, org.settings.default_branch)
    except SyncError as exc:  # in a crisis the change is still made here; pushing it says the rest
        click.echo(f"accord: note: {exc}; working from this checkout as it is", err=True)
        return org
    return open_org(org.root)


def _commit(org: Org, message: str, said: str, no_push: bool) -> None:
    try:
        done = commit_people(org.root, [FILE], message, org.settings.default_branch, push=not no_push,
                             env=os.environ)
    except SyncError as exc:
        click.echo(f"{FILE}: {said}")
        fail(str(exc), 1)
    except PushFailed as exc:
        click.echo(f"{FILE}: {said}; committed here")
        fail(f"not pushed, so the publisher does not know yet: {exc}", 1)
    click.echo(f"{FILE}: {said}; {done}")


def _by(org: Org) -> dict:
    """Who is freezing: the GitHub user in a workflow, else git's user here (when git knows)."""
    if os.environ.get("GITHUB_ACTOR"):
        return {"by": os.environ["GITHUB_ACTOR"]}
    try:
        who = person(git.Repo(org.root, search_parent_directories=True), os.environ)
    except (SyncError, git.InvalidGitRepositoryError, git.NoSuchPathError):
        return {}
    return {"by": f"{who.name} <{who.email}>"}


def _who(entry: dict) -> str:
    return f" since {entry['since']}" + (f" by {entry['by']}" if entry.get("by") else "")


def _scope(org: Org, account, team, must_exist: bool = True):
    if account and team:
        fail("use --account or --team, not both")
    if account:
        if must_exist and account not in org.accounts:
            hint = did_you_mean(account, org.accounts)
            fail(f"--account: no account '{account}' in content/*/accounts/" + (f"; {hint}" if hint else ""))
        return ("account", account)
    if team:
        if must_exist and team not in org.teams:
            hint = did_you_mean(team, org.teams)
            fail(f"--team: no team '{team}' in content/" + (f"; {hint}" if hint else ""))
        return ("team", team)
    return None


def _key(entry: dict):
    for k in ("account", "team"):
        if k in entry:
            return (k, entry[k])
    return None


def _name(scope) -> str:
    return f"{scope[0]} {scope[1]}" if scope else "everything"


def _entries(org: Org) -> list[dict]:
    path = org.root / FILE
    if not path.exists():
        return []
    if "freeze" not in org.policies:
        fail(f"{FILE} is not valid; run `accord check {FILE}` and fix it first")
    return [dict(e) for e in org.policy("freeze").get("freezes") or []]


def _write(org: Org, entries: list[dict]) -> None:
    path = org.root / FILE
    if not entries:
        path.unlink(missing_ok=True)
        return
    order = {None: 0, "team": 1, "account": 2}
    entries = sorted(entries, key=lambda e: (order[(_key(e) or (None,))[0]], (_key(e) or ("", ""))[1]))
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump({"freezes": entries}, sort_keys=True, allow_unicode=True, default_flow_style=False)
    path.write_text(HEADER + body, "utf-8")

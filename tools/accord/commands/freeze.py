"""`accord freeze` and `accord unfreeze`: stop and restart publishing for everything, a team or
an account, by editing policies/freeze.yaml (absent: nothing frozen)."""
from __future__ import annotations

import os

import click
import yaml

from ..findings import did_you_mean
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


@click.command("freeze")
@click.option("--reason", required=True, help="Why; the publisher's report repeats it.")
@_scope_options
@root_option
@now_option
def command(reason, account, team, root, now):
    """Stop publishing: everything, or one --team or --account. Commit and push the change."""
    org = open_org(root)
    scope = _scope(org, account, team)
    reason = reason.strip()
    if not reason:
        fail("--reason must say why publishing stops")
    entries = [e for e in _entries(org) if _key(e) != scope]
    entry = {"reason": reason, "since": clock(now).isoformat(timespec="seconds"), **dict([scope] if scope else [])}
    if os.environ.get("GITHUB_ACTOR"):
        entry["by"] = os.environ["GITHUB_ACTOR"]
    _write(org, entries + [entry])
    click.echo(f"{FILE}: froze {_name(scope)}: {reason}\nCommit and push it to the default branch; "
               f"the next publisher run posts nothing there.")


@click.command("unfreeze")
@_scope_options
@root_option
def unfreeze(account, team, root):
    """Lift a freeze: the whole-organisation one, or the one on --team or --account."""
    org = open_org(root)
    scope = _scope(org, account, team, must_exist=False)
    entries = _entries(org)
    left = [e for e in entries if _key(e) != scope]
    if len(left) == len(entries):
        frozen = ", ".join(_name(_key(e)) for e in entries) or "nothing"
        fail(f"{_name(scope)} is not frozen (frozen: {frozen})", 1)
    _write(org, left)
    rest = f"; still frozen: {', '.join(_name(_key(e)) for e in left)}" if left else ""
    click.echo(f"{FILE}: unfroze {_name(scope)}{rest}\nCommit and push it to the default branch.")


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
    return list(org.policy("freeze").get("freezes") or [])


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

"""`accord status`: what is due next, scheduled, blocked, failed, unknown, missed and recently
published; exit 1 while anything needs a person (so it can gate a workflow)."""
from __future__ import annotations

import click

from .. import ledger, preflight, views
from ..findings import did_you_mean
from ..state import State
from ..views import status as view
from .common import clock, fail, now_option, open_org, root_option


@click.command("status")
@click.option("--account", "accounts", multiple=True, metavar="ID", help="Only this account (repeatable).")
@click.option("--team", default=None, metavar="TEAM", help="Only this team's posts and accounts.")
@click.option("--campaign", default=None, metavar="TEAM/CAMPAIGN", help="Only this campaign's posts.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@root_option
@now_option
def command(accounts, team, campaign, fmt, root, now):
    """Where every target stands, and what needs a person.

    Exit 0: nothing needs a person. 1: something failed, is unknown, was missed, is blocked by the
    check, or a file does not load. 2: usage or configuration error."""
    org = open_org(root)
    for value, known, what in [*((a, org.accounts, "--account") for a in accounts),
                               (team, org.teams, "--team"), (campaign, org.campaigns, "--campaign")]:
        if value is not None and value not in known:
            hint = did_you_mean(value, known)
            fail(f"{what}: no '{value}' here" + (f"; {hint}" if hint else ""))
    at = clock(now)
    found = preflight.run(org, at)
    try:
        state = State(org, at, blocked=found.blocked, records=ledger.read(org.root, org.settings))
    except ledger.LedgerError as exc:
        fail(str(exc))
    problems = [f"{f.file} does not load: line {f.line}: {f.rule} {f.message}" for f in found.unloaded]
    data = view.status(state, view.Scope(tuple(accounts), team, campaign), problems)
    click.echo(views.as_json(data) if fmt == "json" else view.text(data), nl=fmt != "json")
    raise SystemExit(1 if data["needs_a_person"] else 0)

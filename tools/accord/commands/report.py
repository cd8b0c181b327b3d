"""accord report: campaign objectives against results (see accord/views/report.py)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..findings import did_you_mean
from .common import clock, fail, now_option, open_org, root_option


@click.command("report")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html", "json"]), default="text", show_default=True)
@click.option("-o", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE instead of standard output.")
@click.option("--campaign", default=None, metavar="ID", help="Only this campaign (team/folder).")
@click.option("--team", default=None, metavar="ID", help="Only this team's campaigns and posts.")
@click.option("--from", "start", default=None, metavar="YYYY-MM-DD", help="Only posts and figures from this day.")
@click.option("--to", "end", default=None, metavar="YYYY-MM-DD", help="Only posts and figures up to this day.")
@now_option
@root_option
def command(fmt, output, campaign, team, start, end, now, root):
    """Each campaign's objective against its results; teams, platforms and accounts; how much
    moved the business; how fresh the metrics are."""
    from .. import ledger, metrics
    from ..state import State
    from ..views import as_json, report, write

    org = open_org(root)
    if campaign is not None and campaign not in org.campaigns:
        hint = did_you_mean(campaign, org.campaigns)
        fail(f"--campaign: no campaign '{campaign}' (a campaign is team/folder)" + (f"; {hint}" if hint else ""))
    if team is not None and team not in org.teams:
        hint = did_you_mean(team, org.teams)
        fail(f"--team: no team '{team}'" + (f"; {hint}" if hint else ""))
    filters = report.Filters(campaign, team, _day("--from", start), _day("--to", end))
    try:
        data = report.data(State(org, clock(now)), filters)
    except (ledger.LedgerError, metrics.MetricsError) as exc:
        fail(str(exc))
    render = {"text": report.text, "md": report.markdown, "html": report.html, "json": as_json}[fmt]
    write(render(data), output)


def _day(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' is not a date; write YYYY-MM-DD")

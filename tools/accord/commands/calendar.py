from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click

from .. import ledger, times
from .common import checked_state, clock, fail, now_option, open_org, root_option


@click.command("calendar")
@click.option("--team", default=None, help="Only posts by this team or to its accounts.")
@click.option("--account", default=None, help="Only this account.")
@click.option("--campaign", default=None, metavar="TEAM/CAMPAIGN", help="Only this campaign.")
@click.option("--platform", default=None, help="Only accounts on this network.")
@click.option("--from", "start", default=None, metavar="DATE", help="First day (default: today).")
@click.option("--to", "end", default=None, metavar="DATE", help="Last day (default: 14 days after the first).")
@click.option("--tz", default=None, metavar="ZONE", help="Show times in this IANA zone (default: accord.yaml's).")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json", "ics"]), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@now_option
@root_option
def command(team, account, campaign, platform, start, end, tz, fmt, output, now, root):
    """Every team's targets on one calendar, in local time, with their status."""
    from ..views import calendar, write

    org = open_org(root)
    zone = tz or org.settings.timezone
    try:
        times.zone(zone)
    except times.TimeError as exc:
        fail(f"--tz: {exc}")
    selection = calendar.Selection(team, account, campaign, platform)
    wrong = calendar.unknown_names(org, selection)
    if wrong:
        fail(wrong)
    now = clock(now)
    window = calendar.Window.default(now, zone)
    first, last = window.start, window.end
    for flag, value in (("--from", start), ("--to", end)):
        if value is None:
            continue
        try:
            given = times.day_or_instant(value, zone, end=flag == "--to")
        except times.TimeError as exc:
            fail(f"{flag}: {exc}")
        if flag == "--from":
            first = given
            last = calendar.Window.days(first.date(), first.date() + timedelta(days=calendar.DEFAULT_DAYS), zone).end
        else:
            last = given
    if last < first:
        fail(f"--to {end} is before --from {start or first.date()}: the window holds no day")
    state, unloaded = checked_state(org, now)
    for sentence in unloaded:
        click.echo(f"accord: {sentence}", err=True)
    try:
        data = calendar.calendar(state, selection, calendar.Window(first, last, zone))
    except ledger.LedgerError as exc:
        fail(str(exc))
    write(calendar.RENDERERS[fmt](data), output)

from __future__ import annotations

import json
import os
import re

import click

from .. import ledger, preflight, publisher, times
from ..findings import did_you_mean
from ..gitsync import Sync, SyncError
from .common import clock, fail, open_org, root_option


@click.command("publish")
@click.option("--dry-run", is_flag=True, help="Plan and report; post nothing, write nothing, on any branch.")
@click.option("--now", "now", default=None, metavar="TIME",
              help="With --dry-run: plan as of this time, e.g. 2026-03-03T09:00:00+00:00.")
@click.option("--look-ahead", metavar="DURATION", default=None,
              help="Wait inside the run for targets due within this span (default: accord.yaml "
                   "publisher.look_ahead); 0 waits for nothing.")
@click.option("--account", "accounts", multiple=True, metavar="ID",
              help="Publish only to this account (repeatable).")
@click.option("--shard", metavar="I/N", default=None,
              help="Take only this share of the targets (1/3, 2/3, 3/3), for a job matrix.")
@click.option("--no-push", is_flag=True, help="Commit ledger changes locally; do not push them.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@root_option
def command(dry_run, now, look_ahead, accounts, shard, no_push, fmt, root):
    """Post what is due, once, and record it in the ledger (state/ledger/).

    Exit 0: all fine. 1: a target failed, is unknown, was missed or is blocked by the check, a file
    does not load, or a ledger change was not pushed. 2: configuration error."""
    if now and not dry_run:
        fail("--now works with --dry-run only: a real run posts at the real time and records it")
    org = open_org(root)
    for a in accounts:
        if a not in org.accounts:
            hint = did_you_mean(a, org.accounts)
            fail(f"--account: no account '{a}' in content/*/accounts/" + (f"; {hint}" if hint else ""))
    options = publisher.Options(look_ahead=_look_ahead(look_ahead, org.settings.look_ahead),
                                accounts=tuple(accounts), shard=_shard(shard), dry_run=dry_run)
    fixed = now or os.environ.get(TEST_CLOCK)
    the_clock = publisher.Clock(clock(fixed) if fixed else None)
    sync = Sync(org.root, org.settings, push=not no_push, dry_run=dry_run)
    try:
        sync.prepare()
    except SyncError as exc:
        fail(str(exc))
    org = open_org(org.root)  # what the fast-forward brought in
    _freeze_readable(org)
    found = preflight.run(org, the_clock.now())
    if found.unloaded and not org.accounts:  # nothing can be planned at all
        fail("no account loads, so nothing can be planned: " + "; ".join(
            f"{f.file} line {f.line}: {f.message}" for f in found.unloaded))
    try:
        report = publisher.Publisher(org, sync, the_clock, options, os.environ, found).publish()
    except ledger.LedgerError as exc:
        fail(str(exc))
    click.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True) if fmt == "json" else publisher.text(report))
    publisher.step_summary(report, os.environ)
    raise SystemExit(report.exit_code)


# A test hook, not a user's flag: the publisher's clock reads this fixed time (ISO 8601) in a real
# run, so tests can publish at a time of their choosing. --now does the same for --dry-run only.
TEST_CLOCK = "ACCORD_TEST_NOW"


def _freeze_readable(org) -> None:
    """A freeze that cannot be read, or names what does not exist, may be one meant to be in
    force: nothing is published until it is mended (fail closed, not open)."""
    bad = next((f for f in org.findings if f.level == "error" and f.file.startswith("policies/freeze.")), None)
    if bad is not None:
        fail(f"{bad.file} line {bad.line}: {bad.message}; nothing is published until the freeze is mended "
             f"(`accord check {bad.file}`)")


def _look_ahead(value, default):
    if value is None:
        return default
    if value.strip() == "0":
        return times.duration("0s")
    try:
        return times.duration(value.strip())
    except times.TimeError as exc:
        fail(f"--look-ahead: {exc}")


def _shard(value):
    if value is None:
        return None
    m = re.fullmatch(r"([0-9]+)/([0-9]+)", value.strip())
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        fail(f"--shard: '{value}' is not a shard; write I/N with 1 <= I <= N, e.g. 2/3")
    return int(m.group(1)), int(m.group(2))

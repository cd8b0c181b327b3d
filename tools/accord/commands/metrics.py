"""accord metrics: the counts of what went out (see accord/pull.py)."""
from __future__ import annotations

import json
import os
import sys

import click

from ..findings import did_you_mean
from ..gitsync import PushFailed, Sync, SyncError
from .common import clock, fail, now_option, open_org, root_option
from .publish import _shard


@click.group("metrics")
def command():
    """Metrics of published posts, kept in state/metrics/."""


@command.command("pull")
@click.option("--days", type=click.IntRange(min=1), default=None, metavar="N",
              help="Read targets published in the last N days (default: accord.yaml metrics.days, 30).")
@click.option("--account", "accounts", multiple=True, metavar="ID", help="Only this account (repeatable).")
@click.option("--shard", metavar="I/N", default=None, help="Take only this share of the targets, for a job matrix.")
@now_option
@click.option("--no-push", is_flag=True, help="Commit the metrics locally; do not push them.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@root_option
def pull(days, accounts, shard, now, no_push, fmt, root):
    """Read each published target's counts from its network and commit them.

    Exit 0: all fine. 1: an account could not be read, or the commit could not be pushed.
    2: configuration error."""
    from .. import ledger, metrics, pull as pulling

    org = open_org(root)
    for a in accounts:
        if a not in org.accounts:
            hint = did_you_mean(a, org.accounts)
            fail(f"--account: no account '{a}' in content/*/accounts/" + (f"; {hint}" if hint else ""))
    options = pulling.Options(days or org.settings.metrics_days, tuple(accounts), _shard(shard))
    sync = Sync(org.root, org.settings, push=not no_push)
    try:
        sync.prepare()
    except SyncError as exc:
        # (the sync speaks of the publisher, whose guard this is; the pull has no --dry-run)
        fail(str(exc).replace("accord publish runs", "accord metrics pull runs", 1).split(" Use --dry-run")[0])
    org = open_org(org.root)  # what the fast-forward brought in
    puller = pulling.Puller(org, sync, clock(now), options, os.environ)
    try:
        targets = pulling.due(puller.state, options)
        total = puller.ids(targets)
        # a bar on a terminal only: a log (Actions, a pipe) gets the summary alone
        with click.progressbar(length=total, label="reading metrics", file=sys.stderr,
                               hidden=not sys.stderr.isatty() or total == 0) as bar:
            puller.progress = bar.update
            report = puller.pull(targets)
    except (ledger.LedgerError, metrics.MetricsError) as exc:
        fail(str(exc))
    except PushFailed as exc:
        report = puller.report
        report.notices.append(f"the metrics could not be pushed: {exc}")
        code = 1
    else:
        code = report.exit_code
    click.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True, default=str) if fmt == "json"
               else pulling.text(report))
    pulling.step_summary(report, os.environ)
    raise SystemExit(code)

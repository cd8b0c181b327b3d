"""The `accord` command: one module per verb in accord/commands, imported only when used so
that a pre-commit run pays for nothing it does not call."""
from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from . import __version__

COMMANDS = {
    "check": "Check content and policies; exit 1 on errors.",
    "codeowners": "Write .github/CODEOWNERS from teams and accounts (--check: verify).",
    "explain": "List the rules, or explain one.",
    "freeze": "Stop publishing everywhere, or to a team or account (policies/freeze.yaml).",
    "init": "Create a new content repository.",
    "metrics": "Pull metrics of published posts into state/metrics/ (metrics pull).",
    "publish": "Post what is due, once, and record it in the ledger.",
    "report": "Campaign objectives against results; teams, platforms, accounts; freshness.",
    "unfreeze": "Lift a freeze.",
}


class _Lazy(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        return import_module(f"accord.commands.{name}").command

    def format_commands(self, ctx, formatter):
        formatter.write_heading("Commands")
        with formatter.indentation():
            formatter.write_dl([(n, COMMANDS[n]) for n in sorted(COMMANDS)])


@click.group(cls=_Lazy, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accord")
def cli():
    """accord: social media campaigns and posts as code, checked in review, published once."""


_at_once = False


def end_at_once() -> None:
    """Called by a command whose process has nothing left to clean up but memory (no temporary
    files, threads or child processes): `main` then ends the process once its output is
    written, without freeing what it built object by object. A full check of 10k posts would
    spend 0.1-0.3 s freeing its model."""
    global _at_once
    _at_once = True


def main():
    global _at_once
    _at_once = False  # a command of this run says so, none before it in this process
    try:
        cli(prog_name="accord")
    except SystemExit as exc:
        if not _at_once or not (exc.code is None or isinstance(exc.code, int)):
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed pipe: the interpreter ends as it always does
            raise exc from None
        os._exit(exc.code or 0)

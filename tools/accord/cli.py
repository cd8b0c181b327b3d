"""The `accord` command: one module per verb in accord/commands, imported only when used so
that a pre-commit run pays for nothing it does not call."""
from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from . import __version__

COMMANDS = {
    "approvals": "What a change needs approved (--base REV), or what a pull request's reviews meet (--pr N).",
    "calendar": "Every team's posts on one calendar (table, markdown, JSON, ICS).",
    "check": "Check content and policies; exit 1 on errors.",
    "codeowners": "Write .github/CODEOWNERS from teams and accounts (--check: verify).",
    "comment": "Put accord's markdown (the preview) on a pull request as one comment, edited in place.",
    "explain": "List the rules, or explain one.",
    "freeze": "Stop publishing everywhere, or to a team or account (policies/freeze.yaml).",
    "init": "Create a new content repository.",
    "metrics": "Pull metrics of published posts into state/metrics/ (metrics pull).",
    "notify": "Keep one GitHub issue per target that needs a person (--github), closed once done.",
    "preview": "What a change since a revision adds, edits or moves, as each network shows it (markdown, JSON).",
    "publish": "Post what is due, once, and record it in the ledger.",
    "report": "Campaign objectives against results; teams, platforms, accounts; freshness.",
    "resolve": "Record a person's answer for an unknown target (--posted URL | --not-posted).",
    "site": "Build the planning hub: a static site of calendars, campaigns, teams and accounts.",
    "status": "Where every target stands; exit 1 while anything needs a person.",
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

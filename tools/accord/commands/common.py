"""What several commands share: finding the repository and reading the clock."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from .. import revisions, times
from ..layout import ConfigError, find_root
from ..model import Org, load


def root_option(f):
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="The content repository (default: the nearest folder with accord.yaml).")(f)


def now_option(f):
    return click.option("--now", "now", default=None, metavar="TIME",
                        help="A fixed clock, e.g. 2026-03-03T09:00:00+00:00 (default: the real time).")(f)


def fail(message: str, code: int = 2):
    click.echo(f"accord: {message}", err=True)
    raise SystemExit(code)


def repository(root: Path | None) -> Path:
    """The content repository's root: --root, else the nearest folder with accord.yaml."""
    try:
        return find_root((root or Path.cwd()).resolve())
    except ConfigError as exc:
        fail(str(exc))


def open_org(root: Path | None, use_cache: bool = True, focus: list[str] | None = None, seen=None,
             save_later: bool = False, helper: tuple[str, str] | None = None, needed=None) -> Org:
    try:
        return load(repository(root), use_cache=use_cache, focus=focus, seen=seen, save_later=save_later,
                    helper=helper, needed=needed)
    except ConfigError as exc:
        fail(str(exc))


def checked_state(org: Org, now: datetime):
    """A State that knows what the check blocks (the publisher's preflight), and a sentence per
    file that does not load: its posts are in no view, and a view says so."""
    from ..preflight import run
    from ..state import State

    found = run(org, now)
    return State(org, now, blocked=found.blocked), [
        f"{f.file} does not load, so its posts are left out: line {f.line}: {f.message}" for f in found.unloaded]


def clock(now: str | None) -> datetime:
    if now is None:
        return datetime.now(timezone.utc)
    try:
        return times.instant(now, "UTC", "--now")
    except times.TimeError as exc:
        fail(f"--now: {exc}")


def require_revision(root: Path, rev: str) -> None:
    """Exit 2 with a sentence when `rev` is not a commit git can read (e.g. a shallow clone)."""
    if not revisions.is_commit(root, rev):
        fail(f"--base {rev}: no such commit in this repository; fetch it first "
             f"(actions/checkout with fetch-depth: 0)")

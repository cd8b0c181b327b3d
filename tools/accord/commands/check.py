from __future__ import annotations

import os
from pathlib import Path

import click

from .. import cli, reporters, rules
from ..findings import CheckResult
from ..layout import narrowed
from ..check.results import ResultCache
from .common import clock, fail, now_option, open_org, repository, require_revision, root_option


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(reporters.REPORTERS)), default="text",
              show_default=True)
@click.option("--base", default=None, metavar="REV",
              help="Compare with this revision: rules about new or changed posts use it.")
@click.option("--no-cache", is_flag=True,
              help="Parse every file afresh and leave .accord-cache/ alone.")
@root_option
@now_option
def command(paths, fmt, base, no_cache, root, now):
    """Check content and policies. With PATHS (as pre-commit passes them), report only findings
    in those posts; the whole repository is still read, since collisions and ownership span
    files. A changed team, account, campaign or policy can break any post, so naming one of
    those reports the whole repository.

    Exit 0: no errors. 1: errors. 2: usage or configuration error."""
    cli.end_at_once()
    missing = [p for p in paths if not p.exists()]
    if missing:  # (pre-commit passes only files that are there)
        fail(f"{missing[0]}: no such file" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    root = repository(root)
    if base is not None:
        require_revision(root, base)
    wanted = [_rel(root, p) for p in paths]
    at = clock(now)
    last = None if no_cache else ResultCache(root, base)
    recalled = last.recall(at.timestamp()) if last else None
    if recalled is not None:  # nothing the last full check read has changed
        found, files_checked = recalled
        only = narrowed(root, last.files, wanted)
    else:
        from ..check import narrow  # (a replay needs none of the families it asks)

        org = open_org(root, use_cache=not no_cache, focus=wanted, seen=last.seen() if last else None,
                       save_later=True, helper=rules.WORK, needed=narrow.needed)
        ctx = rules.Context(now=at, base=base, only=org.focus)
        earlier = last.earlier(org) if last and org.focus is None else None
        # Work of this process while a forked child may still run rule families: writing the
        # parse cache, unless it waits for the sketches duplicates makes (see model.read_all),
        # and working out what the results cache keeps besides the findings.
        save, prepare = org.unsaved, (lambda: last.prepare(org)) if last and org.focus is None else None
        waits = org.sketches is not None
        found, by_family = rules.run(org, ctx, earlier, meanwhile=_both(prepare, None if waits else save),
                                     then=save if waits else None)
        if last and org.focus is None:
            last.remember(org, ctx, found, by_family)
        only, files_checked = org.focus, len(org.files)
    if only is not None:
        found = [f for f in found if f.file in only]
    result = CheckResult(sorted(set(found)), files_checked=files_checked)
    click.echo(reporters.REPORTERS[fmt](result, rules.catalogue))
    raise SystemExit(1 if result.has_errors else 0)


def _both(*work):
    """One callable doing each of these that is not None; None when none is."""
    todo = [w for w in work if w is not None]
    if not todo:
        return None

    def run() -> None:
        for w in todo:
            w()
    return run


def _rel(root: Path, p: Path) -> str:
    p = p if p.is_absolute() else Path.cwd() / p
    # the path as named, '..' taken away by its text: a file that is a link is named as the link
    for named in (Path(os.path.abspath(p)), p.resolve()):
        try:
            return named.relative_to(root).as_posix()
        except ValueError:
            continue
    return p.as_posix()

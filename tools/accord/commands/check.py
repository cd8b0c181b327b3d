from __future__ import annotations

from pathlib import Path

import click

from .. import reporters, rules
from ..findings import CheckResult
from ..model import classify
from .common import clock, now_option, open_org, require_revision, root_option


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
    org = open_org(root, use_cache=not no_cache)
    if base is not None:
        require_revision(org.root, base)
    only = _narrowed(org, [_rel(org.root, p) for p in paths])
    found = rules.run(org, rules.Context(now=clock(now), base=base, only=only))
    if only is not None:
        found = [f for f in found if f.file in only]
    result = CheckResult(sorted(set(found)), files_checked=len(org.files))
    click.echo(reporters.REPORTERS[fmt](result, rules.catalogue()))
    raise SystemExit(1 if result.has_errors else 0)


def _narrowed(org, wanted: list[str]) -> frozenset[str] | None:
    """The files to report on, or None for the whole repository."""
    if not wanted or "." in wanted or any(classify(w) not in ("post", None) for w in wanted):
        return None
    prefixes = tuple(w.rstrip("/") + "/" for w in wanted)
    return frozenset(w for w in wanted if w in org.files or not (org.root / w).is_dir()) | {
        f for f in org.files if f.startswith(prefixes)}


def _rel(root: Path, p: Path) -> str:
    p = p if p.is_absolute() else Path.cwd() / p
    try:
        return p.resolve().relative_to(root).as_posix()
    except ValueError:
        return p.as_posix()

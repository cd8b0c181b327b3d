from __future__ import annotations

from pathlib import Path

import click

from .. import approvals, rules
from ..change import ChangeError
from ..state import State
from ..views import approvals as approvals_view
from ..views import as_json, capped, write
from ..views import preview as view
from .common import clock, fail, now_option, open_org, root_option


@click.command("preview")
@click.option("--base", required=True, metavar="REV", help="Compare with this revision (the pull request's base).")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE (e.g. $GITHUB_STEP_SUMMARY) instead of standard output.")
@root_option
@now_option
def command(base, fmt, output, root, now):
    """What the change since REV adds, edits, cancels, retracts, reschedules or removes: each
    changed post per target with its final text and length, the local time, what else goes out
    on that account that day, the check's findings on it and the approvals it needs. Markdown
    fits a step summary or a pull request comment (cut at GitHub's 1 MiB with a note)."""
    at = clock(now)
    org = open_org(root)
    state = State(org, at)
    try:
        change = state.change(base)
    except ChangeError as exc:
        fail(str(exc))
    # The findings come the way `accord check --base` makes them, on the same model.
    found, _ = rules.run(org, rules.Context(now=at, base=base))
    changed = {f.path for f in change.files}
    need = approvals.needs(org, change)
    result = view.data(state, change, sorted(f for f in set(found) if f.file in changed),
                       approvals_view.data(org, need))
    write(as_json(result) if fmt == "json" else capped(view.markdown(result)), output)

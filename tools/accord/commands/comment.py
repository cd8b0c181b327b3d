from __future__ import annotations

import os
import re
from pathlib import Path

import click

from ..views import capped
from .common import fail

# A comment accord made starts with a hidden line naming what it is (the preview's: see
# views/preview.py): that line finds it again.
_MARKER = re.compile(r"<!-- accord:[a-z-]+ -->")


@click.command("comment")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pr", "number", type=click.IntRange(min=1), required=True, metavar="N")
@click.option("--repo", default=None, metavar="OWNER/NAME", help="Default: $GITHUB_REPOSITORY.")
def command(file, number, repo):
    """Put FILE (markdown accord wrote, e.g. `accord preview -o FILE`) on pull request N as
    accord's one comment of its kind there: edited in place, never posted twice. Needs no
    checkout. When the token may not write comments it goes to the step summary instead.

    Exit 0: commented (or summarised). 2: usage or GitHub error."""
    from ..github import GitHub, GitHubError, Repo

    text = file.read_text("utf-8")
    marker = text.split("\n", 1)[0].strip()
    if not _MARKER.fullmatch(marker):
        fail(f"{file}: the first line is not accord's hidden marker (<!-- accord:... -->): "
             f"write it with accord preview -o FILE")
    try:
        where = Repo.parse(repo or os.environ.get("GITHUB_REPOSITORY") or "")
        done = GitHub.from_environment().upsert_comment(where, number, marker, capped(text))
    except GitHubError as exc:
        if exc.status not in (403, 404) or not os.environ.get("GITHUB_STEP_SUMMARY"):
            fail(str(exc))
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(capped(text))
        click.echo(f"accord: the token may not comment on #{number} (a pull request from a fork): "
                   f"the preview is in the step summary", err=True)
        return
    click.echo(f"{done} the comment on #{number}")

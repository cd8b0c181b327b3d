"""Views: each module is a function from a State (state.py) to plain data, and renderers of that
data (terminal text, markdown, JSON, ICS, HTML). HTML comes from Jinja2 templates kept as files
in accord/templates/views/, autoescaped: post text is user content. A view never parses YAML,
reads the ledger or asks git itself.
"""
from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import click

# GitHub caps a job summary (and a comment body) at 1 MiB; stay under it with room for a note.
SUMMARY_LIMIT = 1024 * 1024 - 4096


@lru_cache(maxsize=None)
def environment():
    import jinja2  # only views need it, never the check

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("accord", "templates/views"),
        autoescape=True,  # every template: post text, names and reasons are people's input
        undefined=jinja2.StrictUndefined,  # a misspelt field is an error in the tests, not a blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["local"] = local_time
    return env


def html(template: str, **data) -> str:
    """A page from templates/views/<template>, self-contained (inline CSS, no request to any host)."""
    return environment().get_template(template).render(**data)


def local_time(when: datetime | None, zone: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """`when` in `zone`, with the zone's abbreviation (CET, BST), or 'on merge' when it has none."""
    if when is None:
        return "on merge"
    return when.astimezone(ZoneInfo(zone)).strftime(fmt + " %Z")


def capped(markdown: str, limit: int = SUMMARY_LIMIT) -> str:
    """Markdown that fits a job summary or a comment: cut at a line, with a note saying so."""
    data = markdown.encode("utf-8")
    if len(data) <= limit:
        return markdown
    cut = data[:limit].decode("utf-8", "ignore").rsplit("\n", 1)[0]
    return cut + f"\n\n_… cut here: the whole text is {len(data):,} bytes, over GitHub's 1 MiB limit._\n"


def as_json(data) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=_plain) + "\n"


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not plain data")


def write(text: str, output: Path | None) -> None:
    """To -o FILE, else to standard output. A file is written whole, then moved into place, so a
    reader never sees half of it; what is not a plain file (/dev/null, /dev/stdout, a pipe) is
    written as it is, never replaced by one (accord runs as root in CI)."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    if output.exists() and not output.is_file():
        with open(output, "w", encoding="utf-8") as stream:
            stream.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(output)

from __future__ import annotations

from pathlib import Path

import click

from .. import ledger
from .common import clock, fail, now_option, open_org, root_option


@click.command("site")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to build the site in (new, empty, or built by accord before).")
@now_option
@root_option
def command(output, now, root):
    """Build the planning hub as a static site for GitHub Pages (it also works from the file
    system): month and week calendars with filters, a page per campaign, team and account."""
    from ..state import State
    from ..views import site

    org = open_org(root)
    try:
        pages = site.build(State(org, clock(now)), output)
    except (ledger.LedgerError, site.SiteError) as exc:
        fail(str(exc))
    click.echo(f"Wrote {pages} pages to {output}; open {output / 'index.html'}.")

from __future__ import annotations

from pathlib import Path

import click

from .. import ledger, metrics
from .common import checked_state, clock, fail, now_option, open_org, root_option


@click.command("site")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to build the site in (new, empty, or built by accord before).")
@now_option
@root_option
def command(output, now, root):
    """Build the planning hub as a static site for GitHub Pages (it also works from the file
    system): month and week calendars with filters, a page per campaign, team and account."""
    from ..views import site

    org = open_org(root)
    state, unloaded = checked_state(org, clock(now))
    for sentence in unloaded:
        click.echo(f"accord: {sentence}", err=True)
    try:
        pages = site.build(state, output, unloaded)
    except (ledger.LedgerError, metrics.MetricsError, site.SiteError) as exc:
        fail(str(exc))
    click.echo(f"Wrote {pages} pages to {output}; open {output / 'index.html'}.")

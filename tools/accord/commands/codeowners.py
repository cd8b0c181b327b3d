from __future__ import annotations

import click

from ..rules.ownership import CODEOWNERS, codeowners, codeowners_diff, read_codeowners
from .common import fail, open_org, root_option


@click.command("codeowners")
@click.option("--check", "check_only", is_flag=True,
              help=f"Change nothing; exit 1 with a diff when {CODEOWNERS} is out of sync.")
@root_option
def command(check_only, root):
    """Write .github/CODEOWNERS from teams and accounts: team folders to the team, account files to
    the owning team, accord.yaml and policies/ to the teams approvals name.

    Exit 0: written (or in sync with --check). 1: out of sync (--check). 2: configuration error."""
    from ..files import Refused

    org = open_org(root)
    path = org.root / CODEOWNERS
    try:
        found = read_codeowners(org.root)
    except Refused as exc:
        fail(f"{CODEOWNERS}: {exc.message}")
    current = found or ""
    if check_only:
        diff = codeowners_diff(org, current)
        if not diff:
            click.echo(f"{CODEOWNERS} is in sync")
            return
        what = "is out of sync with teams and accounts" if found is not None else "is missing"
        click.echo("\n".join(diff))
        click.echo(f"{CODEOWNERS} {what}; run `accord codeowners` and commit it")
        raise SystemExit(1)
    wanted = codeowners(org)
    if current == wanted:
        click.echo(f"{CODEOWNERS} is up to date")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(wanted, encoding="utf-8")
    click.echo(f"wrote {CODEOWNERS}")

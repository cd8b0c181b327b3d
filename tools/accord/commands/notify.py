from __future__ import annotations

import os

import click

from ..ledger import LedgerError
from ..state import NEEDS_A_PERSON
from ..views import issues
from .common import checked_state, clock, fail, open_org, root_option


@click.command("notify")
@click.option("--github", "on_github", is_flag=True, required=True,
              help="Keep one GitHub issue per target that needs a person.")
@click.option("--repo", default=None, metavar="OWNER/NAME", help="Default: $GITHUB_REPOSITORY.")
@root_option
def command(on_github, repo, root):
    """Tell the owning teams about every target that needs a person (failed, unknown, missed,
    blocked): one issue per target, labelled accord, mentioning the teams' GitHub teams, with the
    command that settles it; updated in place while it stays stuck, reopened should it be stuck
    again, closed once the ledger says it is done. Never two issues for one target.

    Exit 0: issues in step with the ledger. 2: configuration or GitHub error."""
    from ..github import GitHub, GitHubError, Repo

    org = open_org(root)
    state, _ = checked_state(org, clock(None))  # blocked targets need a person too
    try:
        wanted = {i.key: i for i in issues.stuck(state, NEEDS_A_PERSON)}
    except LedgerError as exc:
        fail(str(exc))
    try:
        where = Repo.parse(repo or os.environ.get("GITHUB_REPOSITORY") or "")
        gh = GitHub.from_environment()
        existing: dict[str, dict] = {}
        for found in sorted(gh.issues(where, issues.LABEL), key=lambda i: i["number"]):
            key = issues.key_of(found.get("body") or "")
            if key is not None:
                existing.setdefault(key, found)  # the oldest, should there ever be two
        done = {"opened": 0, "updated": 0, "reopened": 0, "closed": 0}
        for key, issue in sorted(wanted.items()):
            have = existing.get(key)
            if have is None:
                made = gh.open_issue(where, issue.title, issue.body, [issues.LABEL])
                click.echo(f"opened #{made['number']}: {issue.title}")
                done["opened"] += 1
            elif have["state"] != "open" or have.get("body") != issue.body or have.get("title") != issue.title:
                how = "reopened" if have["state"] != "open" else "updated"
                gh.edit_issue(where, have["number"], title=issue.title, body=issue.body, state="open")
                click.echo(f"{how} #{have['number']}: {issue.title}")
                done[how] += 1
        for key, have in sorted(existing.items()):
            if key not in wanted and have["state"] == "open":
                standing = next((s for s in state.targets() if s.key == key), None)
                now = f"now {standing.status}" if standing else "no longer planned"
                gh.edit_issue(where, have["number"], state="closed", state_reason="completed",
                              body=f"{have.get('body') or ''}\n**Done**: the ledger says this target is {now}.\n")
                click.echo(f"closed #{have['number']}: {key} is {now}")
                done["closed"] += 1
    except GitHubError as exc:
        fail(str(exc))
    click.echo(", ".join(f"{n} {what}" for what, n in done.items()) + f" ({len(wanted)} need a person)")

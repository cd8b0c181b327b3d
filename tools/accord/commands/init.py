from __future__ import annotations

import re
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from string import Template

import click

from .. import __version__, platforms, schemas, times
from .common import fail

NETWORKS = ("x", "mastodon", "bluesky", "linkedin")  # the networks --with adds an account on


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--org", "org_name", default="Example Org", show_default=True, help="The organisation's name.")
@click.option("--github-org", default=None, help="GitHub organisation (default: from --org).")
@click.option("--owner", default="your-github-user", show_default=True,
              help="GitHub user who owns the first campaign.")
@click.option("--timezone", "tz", default="Europe/London", show_default=True, help="IANA zone of the org.")
@click.option("--with", "networks", multiple=True, type=click.Choice(NETWORKS),
              help="Also an account on this network (repeatable): its file, credentials_env and api_base to fill in.")
@click.option("--github", "github_repo", default=None, metavar="OWNER/NAME",
              help="The repository on GitHub: print the one-time set-up it needs.")
@click.option("--tool-source", default=None, metavar="REQUIREMENT",
              help="Where the workflows install accord from: a pip requirement, e.g. "
                   "'accord @ git+https://github.com/OWNER/accord@TAG' (recorded in accord.yaml).")
@click.option("--force", is_flag=True, help="Write into a folder that has files already (they are left "
              "alone, and only the files written are committed); files of the same name are overwritten.")
def command(directory: Path, org_name: str, github_org: str | None, owner: str, tz: str,
            networks: tuple[str, ...], github_repo: str | None, tool_source: str | None, force: bool):
    """Create a new content repository in DIRECTORY: settings, one team with an outbox account,
    a campaign with a SMART objective, a first post, the schemas, a pre-commit config and the
    GitHub workflows. It passes `accord check` and `accord publish` posts to the outbox at once."""
    try:
        times.zone(tz)
    except times.TimeError as exc:
        fail(f"--timezone: {exc}")
    if (directory / "accord.yaml").exists():
        fail(f"{directory / 'accord.yaml'} already exists; accord init only creates new repositories")
    there = sorted(p.name for p in directory.iterdir() if p.name != ".git") if directory.is_dir() else []
    if there and not force:
        fail(f"{directory} is not empty ({', '.join(there[:3])}{' ...' if len(there) > 3 else ''}); "
             f"accord init writes a new repository: give an empty or new folder, or --force")
    if github_repo is not None and not _REPO.fullmatch(github_repo):
        fail(f"--github {github_repo}: write the repository as OWNER/NAME")
    source = tool_source or _installed_from()
    if source is not None and not _REQUIREMENT.fullmatch(source):
        fail(f"--tool-source {source}: write a pip requirement (a release or a git URL pinned to a tag "
             f"or commit), without quotes, '$' or backticks")
    default_org = github_repo.split("/")[0].lower() if github_repo else None
    slug = github_org or default_org or re.sub(r"[^a-z0-9-]+", "-", org_name.lower()).strip("-") or "example"
    today = date.today()
    values = {"version": __version__, "tool_source": source or f"accord=={__version__}",
              "org": org_name, "github_org": slug, "owner": owner, "timezone": tz,
              "start": today.isoformat(), "end": (today + timedelta(days=90)).isoformat(),
              "deadline": (today + timedelta(days=120)).isoformat()}
    templates = resources.files("accord").joinpath("templates")
    accounts = {network: templates.joinpath("accounts", f"{network}.yaml") for network in dict.fromkeys(networks)}
    for network, template in accounts.items():
        if not template.is_file():
            fail(f"--with {network}: accord init has no account template for {network} yet")
    written = _copy(templates.joinpath("init"), directory, values)
    for network, template in accounts.items():
        written.append(_account(network, template, directory, values))
    for name in schemas.names():
        target = directory / "schemas" / f"{name}.schema.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(resources.files("accord").joinpath("schemas", target.name).read_text("utf-8"), "utf-8")
        written.append(target)
    written.append(_codeowners(directory))
    _git_init(directory, written)
    click.echo(f"Created {len(written)} files in {directory}.")
    for network in accounts:
        click.echo(f"{network}: fill in content/social/accounts/social-{network}.yaml and set "
                   f"{_credentials(network)} for the publisher.")
    click.echo(f"Next: cd {directory} && accord check && accord publish --no-push "
               f"(the repository has no origin yet; once it has one, accord publish pushes its records)")
    if source is None:
        click.echo(f"\nThe workflows install accord=={__version__}, which is not on the package index yet: "
                   f"set tool.source in accord.yaml and the install lines in .github/workflows/ to a git URL "
                   f"pinned to a tag or commit, or run accord init again with --tool-source.")
    if github_repo is not None:
        click.echo(_SET_UP.format(repo=github_repo, team=f"{slug}/social"))


_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+")
_REQUIREMENT = re.compile(r"[A-Za-z0-9_.+\-@:/=~#%?\[\], ]+")


def _installed_from() -> str | None:
    """The accord running, as a requirement, when pip installed it from a git URL (PEP 610's
    direct_url.json): the workflows then install the same commit."""
    import json
    from importlib import metadata

    try:
        found = json.loads(metadata.distribution("accord").read_text("direct_url.json") or "null")
    except (metadata.PackageNotFoundError, ValueError):
        return None
    vcs = (found or {}).get("vcs_info") or {}
    if vcs.get("vcs") != "git" or not found.get("url", "").startswith("https://") or not vcs.get("commit_id"):
        return None
    return f"accord @ git+{found['url']}@{vcs['commit_id']}"


_SET_UP = """
One-time set-up of {repo} on GitHub:
1. Push: git remote add origin https://github.com/{repo}.git && git push -u origin main
2. Secrets (Settings > Secrets and variables > Actions): one per credential of each account on a
   network, named by its credentials_env prefix (X: PREFIX_API_KEY, PREFIX_API_SECRET,
   PREFIX_ACCESS_TOKEN, PREFIX_ACCESS_TOKEN_SECRET); the outbox account needs none. Only
   publish.yml reads them.
3. Teams: create @{team} (and a team per content/<team>/team.yaml github_team) with read access,
   so that code review, CODEOWNERS and accord approvals can name them.
4. Branch protection for main (Settings > Branches): require a pull request with one approval
   and review from code owners; require the status checks `check` and `approvals` (the
   approvals job fails until policies/approvals.yaml is met; with a token that may write it
   also sets the status accord/approvals); do not allow bypassing.
5. Actions (Settings > Actions > General): default workflow permissions read-only; each
   workflow asks for what it needs (publish.yml: contents write; preview-comment.yml: comments).
6. Pages, if you publish the planning site: Settings > Pages > Source: GitHub Actions.
On a pull request from a fork the check runs with a read-only token and no secrets; the preview
is in its step summary and preview-comment.yml, which never runs the fork's code, comments it;
the approvals job's own result stands for the accord/approvals status.
"""


def _account(network: str, template, directory: Path, values: dict) -> Path:
    """One account file of the team social on `network`, credentials_env SOCIAL_<NETWORK>."""
    prefix = f"SOCIAL_{network.upper()}"
    target = directory / "content" / "social" / "accounts" / f"social-{network}.yaml"
    text = Template(template.read_text("utf-8")).safe_substitute(
        values, prefix=prefix, credentials=_credentials(network))
    target.write_text(text, "utf-8")
    return target


def _credentials(network: str) -> str:
    names = [f"SOCIAL_{network.upper()}_{name}" for name in platforms.module(network).CREDENTIALS]
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]


def _copy(src, dest: Path, values: dict) -> list[Path]:
    out = []
    for entry in sorted(src.iterdir(), key=lambda e: e.name):
        # Packaging drops dotfiles, so the template spells them dot-<name>.
        target = dest / ("." + entry.name[4:] if entry.name.startswith("dot-") else entry.name)
        if entry.is_dir():
            out += _copy(entry, target, values)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Template(entry.read_text("utf-8")).safe_substitute(values), "utf-8")
        out.append(target)
    return out


def _codeowners(directory: Path) -> Path:
    """.github/CODEOWNERS as `accord codeowners` writes it, so review rules hold from the start."""
    from ..model import load
    from ..rules.ownership import CODEOWNERS, codeowners

    path = directory / CODEOWNERS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(codeowners(load(directory, use_cache=False)), "utf-8")
    return path


def _git_init(directory: Path, written: list[Path]) -> None:
    """A new repository with a first commit of the files written (only those), so the publisher
    finds its default branch."""
    import git

    try:
        git.Repo(directory, search_parent_directories=False)
        return
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        pass
    repo = git.Repo.init(directory, initial_branch="main")
    repo.git.add("--", *(str(p.relative_to(directory)) for p in written))
    reader = repo.config_reader()
    env = {}
    if not reader.has_option("user", "name"):
        env.update(GIT_AUTHOR_NAME="accord init", GIT_COMMITTER_NAME="accord init")
    if not reader.has_option("user", "email"):
        env.update(GIT_AUTHOR_EMAIL="accord@localhost", GIT_COMMITTER_EMAIL="accord@localhost")
    with repo.git.custom_environment(**env):
        repo.git.commit(m="Start an accord content repository")

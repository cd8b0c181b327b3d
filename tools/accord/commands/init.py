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
def command(directory: Path, org_name: str, github_org: str | None, owner: str, tz: str,
            networks: tuple[str, ...]):
    """Create a new content repository in DIRECTORY: settings, one team with an outbox account,
    a campaign with a SMART objective, a first post, the schemas and a pre-commit config.
    It passes `accord check` and `accord publish` posts to the outbox at once."""
    try:
        times.zone(tz)
    except times.TimeError as exc:
        fail(f"--timezone: {exc}")
    if (directory / "accord.yaml").exists():
        fail(f"{directory / 'accord.yaml'} already exists; accord init only creates new repositories")
    slug = github_org or re.sub(r"[^a-z0-9-]+", "-", org_name.lower()).strip("-") or "example"
    today = date.today()
    values = {"version": __version__, "org": org_name, "github_org": slug, "owner": owner, "timezone": tz,
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
    _git_init(directory)
    click.echo(f"Created {len(written)} files in {directory}.")
    for network in accounts:
        click.echo(f"{network}: fill in content/social/accounts/social-{network}.yaml and set "
                   f"{_credentials(network)} for the publisher.")
    click.echo(f"Next: cd {directory} && accord check && accord publish")


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


def _git_init(directory: Path) -> None:
    """A new repository with a first commit, so the publisher finds its default branch."""
    import git

    try:
        git.Repo(directory, search_parent_directories=False)
        return
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        pass
    repo = git.Repo.init(directory, initial_branch="main")
    repo.git.add(A=True)
    reader = repo.config_reader()
    env = {}
    if not reader.has_option("user", "name"):
        env.update(GIT_AUTHOR_NAME="accord init", GIT_COMMITTER_NAME="accord init")
    if not reader.has_option("user", "email"):
        env.update(GIT_AUTHOR_EMAIL="accord@localhost", GIT_COMMITTER_EMAIL="accord@localhost")
    with repo.git.custom_environment(**env):
        repo.git.commit(m="Start an accord content repository")

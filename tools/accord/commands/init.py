from __future__ import annotations

import re
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from string import Template

import click

from .. import __version__, schemas, times
from .common import fail


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--org", "org_name", default="Example Org", show_default=True, help="The organisation's name.")
@click.option("--github-org", default=None, help="GitHub organisation (default: from --org).")
@click.option("--owner", default="your-github-user", show_default=True,
              help="GitHub user who owns the first campaign.")
@click.option("--timezone", "tz", default="Europe/London", show_default=True, help="IANA zone of the org.")
@click.option("--force", is_flag=True, help="Write into a folder that has files already (they are left "
              "alone, and only the files written are committed); files of the same name are overwritten.")
def command(directory: Path, org_name: str, github_org: str | None, owner: str, tz: str, force: bool):
    """Create a new content repository in DIRECTORY: settings, one team with an outbox account,
    a campaign with a SMART objective, a first post, the schemas and a pre-commit config.
    It passes `accord check` and `accord publish` posts to the outbox at once."""
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
    slug = github_org or re.sub(r"[^a-z0-9-]+", "-", org_name.lower()).strip("-") or "example"
    today = date.today()
    values = {"version": __version__, "org": org_name, "github_org": slug, "owner": owner, "timezone": tz,
              "start": today.isoformat(), "end": (today + timedelta(days=90)).isoformat(),
              "deadline": (today + timedelta(days=120)).isoformat()}
    template = resources.files("accord").joinpath("templates", "init")
    written = _copy(template, directory, values)
    for name in schemas.names():
        target = directory / "schemas" / f"{name}.schema.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(resources.files("accord").joinpath("schemas", target.name).read_text("utf-8"), "utf-8")
        written.append(target)
    written.append(_codeowners(directory))
    _git_init(directory, written)
    click.echo(f"Created {len(written)} files in {directory}.")
    click.echo(f"Next: cd {directory} && accord check && accord publish")


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

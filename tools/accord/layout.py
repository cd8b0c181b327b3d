"""The repository's layout: where its root is, what each file is from where it stands, the files
accord reads, and the ids a file's path gives (a post's, an account's)."""
from __future__ import annotations

import os
from pathlib import Path

from .files import leads_outside, refusal

POLICIES = ("voice", "schedule", "approvals", "freeze")
TOPS = ("content", "policies")  # the folders whose YAML files accord reads


class ConfigError(Exception):
    """The repository cannot be used at all (no accord.yaml, unreadable settings): exit 2."""


def find_root(start: Path) -> Path:
    for d in (start, *start.parents):
        if (d / "accord.yaml").is_file():
            return d
    raise ConfigError(f"no accord.yaml in {start} or any folder above it; "
                      f"run 'accord init DIR' to create a content repository")


def classify(rel: str) -> str | None:
    """The schema a file follows, from where it stands; None for a file accord does not know."""
    parts = rel.split("/")
    if rel == "accord.yaml":
        return "accord"
    if parts[0] == "policies" and len(parts) == 2:
        return parts[1].rsplit(".", 1)[0] if parts[1].rsplit(".", 1)[0] in POLICIES else None
    if parts[0] != "content" or len(parts) < 3:
        return None
    if len(parts) == 3:
        return "team" if parts[2] in ("team.yaml", "team.yml") else None
    if parts[2] == "accounts":
        return "account" if len(parts) == 4 else None
    if "media" in parts[3:-1]:
        return None
    if len(parts) == 4 and parts[3] in ("campaign.yaml", "campaign.yml"):
        return "campaign"
    return "post"


def discover(root: Path) -> list[str]:
    """Relative paths of every YAML file accord reads, and of every link under content/ and
    policies/ that leads outside the repository (a finding, never read), sorted."""
    out = []
    if (root / "accord.yaml").is_file():
        out.append("accord.yaml")

    def walk(path: str, rel: str) -> None:  # os.walk's rules, without its bookkeeping per folder
        try:
            entries = list(os.scandir(path))
        except OSError:
            return
        for e in entries:
            if e.is_symlink() and leads_outside(root, f"{rel}/{e.name}"):
                out.append(f"{rel}/{e.name}")  # whatever it names: a finding at the link (see model._load)
                continue
            try:
                folder = e.is_dir()
            except OSError:
                folder = False
            if not folder:
                if e.name.endswith((".yaml", ".yml")):
                    out.append(f"{rel}/{e.name}")
            elif not e.name.startswith(".") and not e.is_symlink():
                walk(e.path, f"{rel}/{e.name}")

    for top in TOPS:
        if refusal(root, top) is None:  # a link leading out is not walked (load says so)
            walk(os.path.join(root, top), top)
    return sorted(out)


def post_id(rel: str) -> str:
    return rel[len("content/"):].rsplit(".", 1)[0]


def account_id(rel: str) -> str:
    """An account's id: its file's name (content/<team>/accounts/<id>.yaml)."""
    return rel.rsplit("/", 1)[1].rsplit(".", 1)[0]


def narrowed(root: Path, files: list[str], wanted: list[str]) -> frozenset[str] | None:
    """The post files named by `wanted` (relative paths of files or folders), or None when the
    whole repository is wanted: nothing named, the root, or a shared file, named or in a folder
    named (a team, account, campaign or policy can break any post)."""
    if not wanted or "." in wanted:
        return None
    prefixes = tuple(w.rstrip("/") + "/" for w in wanted)
    named = frozenset(w for w in wanted if w in files or not (root / w).is_dir()) | {
        f for f in files if f.startswith(prefixes)}
    return None if any(classify(f) not in ("post", None) for f in named) else named

"""The ledger: what the publisher did, one small machine-written JSON file per post.

state/ledger/<post-id>.json holds the post's fingerprint when it first went out and, per
account, the target's status, platform ids, times, the run that acted and the last error.
Files are written with sorted keys and a trailing newline so diffs stay small.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

STATUSES = ("claimed", "published", "failed", "unknown", "missed", "retracted")
DONE = ("published", "failed", "unknown", "missed", "retracted")  # a run never acts on these again


class LedgerError(ValueError):
    """A ledger file cannot be read; the message names it."""

    def __init__(self, message: str, path=None):
        super().__init__(message)
        self.path = path


@dataclass
class Entry:
    """One target (post to one account)."""

    status: str
    platform: str | None = None
    id: str | None = None  # the first part's platform id: what a reply or metrics refer to
    url: str | None = None
    parts: list[dict] = field(default_factory=list)  # {"id", "url", "at"} per part posted
    claimed_at: str | None = None
    published_at: str | None = None
    lateness_s: int | None = None
    retracted_at: str | None = None
    run: str | None = None
    attempts: int = 0
    error: str | None = None

    def claimed_since(self) -> datetime | None:
        return datetime.fromisoformat(self.claimed_at) if self.claimed_at else None


@dataclass
class Record:
    """One post's file."""

    post: str
    fingerprint: str | None = None
    targets: dict[str, Entry] = field(default_factory=dict)  # by account id

    def to_json(self) -> str:
        data = {"post": self.post, "fingerprint": self.fingerprint,
                "targets": {a: _compact(asdict(e)) for a, e in self.targets.items()}}
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Record:
        data = json.loads(text)
        known = set(Entry.__dataclass_fields__)
        targets = {a: Entry(**{k: v for k, v in e.items() if k in known})
                   for a, e in (data.get("targets") or {}).items()}
        return cls(data["post"], data.get("fingerprint"), targets)


def _compact(entry: dict) -> dict:
    """Unset fields are left out; status, attempts and parts always appear."""
    return {k: v for k, v in entry.items() if v is not None}


def folder(base: Path, state_path: str) -> Path:
    return base / state_path / "ledger"


def file_of(ledger: Path, post_id: str) -> Path:
    return ledger / f"{post_id}.json"


def load(ledger: Path, post_id: str) -> Record | None:
    path = file_of(ledger, post_id)
    try:
        return _parse(path.read_text("utf-8"), path)
    except FileNotFoundError:
        return None


def _parse(text: str, where) -> Record:
    try:
        return Record.from_json(text)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LedgerError(f"{where} is not a ledger record ({type(exc).__name__}: {exc}); it is "
                          f"machine-written: restore it from git history", where) from None


def save(ledger: Path, record: Record) -> Path:
    """Write atomically: a run killed mid-write leaves the old file, never half a file."""
    path = file_of(ledger, record.post)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(record.to_json(), "utf-8")
    os.replace(tmp, path)
    return path


def read_folder(ledger: Path) -> dict[str, Record]:
    out = {}
    if ledger.is_dir():
        for path in sorted(ledger.rglob("*.json")):
            rec = _parse(path.read_text("utf-8"), path)
            out[rec.post] = rec
    return out


def read(root: Path, settings) -> dict[str, Record]:
    """Every post's record, by post id. With a state branch (accord.yaml `state.branch`) the
    records are read from that branch (origin's copy when fetched, else the local one)."""
    if not settings.state_branch:
        return read_folder(folder(root, settings.state_path))
    import git

    try:
        repo = git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return {}
    prefix = f"{settings.state_path}/ledger/"
    for ref in (f"origin/{settings.state_branch}", settings.state_branch):
        try:
            names = repo.git.ls_tree("-r", "--name-only", ref, "--", prefix).splitlines()
        except git.GitCommandError:
            continue
        out = {}
        for name in sorted(n for n in names if n.endswith(".json")):
            rec = _parse(repo.git.show(f"{ref}:{name}"), f"{ref}:{name}")
            out[rec.post] = rec
        return out
    return {}

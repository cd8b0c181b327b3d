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
DONE = ("published", "failed", "unknown", "missed", "retracted")  # a run never acts on these again...
RETRIED = ("failed", "missed")  # ...but these are due again once their post changes (see `holds`)


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
    fingerprint: str | None = None  # of the post when a failed or missed outcome was recorded
    resolved: dict | None = None  # a person's answer (`accord resolve`): by, at, answer, reason, url
    audit: dict | None = None  # where a published post came from (audit.py): commit, run_url, pull_request

    def holds(self, fingerprint: str) -> bool:
        """Whether this outcome still stands for the post as it is now: a failed or missed target
        is due again once its post changed (a fix, a new time) since it was recorded."""
        return not (self.status in RETRIED and self.fingerprint is not None and self.fingerprint != fingerprint)

    def claimed_since(self) -> datetime | None:
        return datetime.fromisoformat(self.claimed_at) if self.claimed_at else None

    def check(self) -> None:
        """Raise ValueError (a sentence) unless every field has the type and form the publisher
        relies on."""
        if self.status not in STATUSES:
            raise ValueError(f"status '{self.status}' is not one of {', '.join(STATUSES)}")
        for name in ("platform", "id", "url", "run", "error", "fingerprint"):
            if not isinstance(getattr(self, name), str | None):
                raise ValueError(f"{name} is not a text")
        for name in ("claimed_at", "published_at", "retracted_at"):
            value = getattr(self, name)
            if value is None:
                continue
            try:
                aware = isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
            except ValueError:
                aware = False
            if not aware:
                raise ValueError(f"{name} '{value}' is not a time with an offset")
        if type(self.attempts) is not int or not (self.lateness_s is None or type(self.lateness_s) is int):
            raise ValueError("attempts and lateness_s are whole numbers")
        if not isinstance(self.parts, list) or not all(
                isinstance(p, dict) and isinstance(p.get("id"), str) and "url" in p and isinstance(p["url"], str | None)
                for p in self.parts):
            raise ValueError("parts is not a list of posted parts, each with its platform id and url")
        for name in ("resolved", "audit"):
            if not (getattr(self, name) is None or isinstance(getattr(self, name), dict)):
                raise ValueError(f"{name} is not a mapping")


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
        if not isinstance(data, dict) or not isinstance(data.get("post"), str):
            raise ValueError("it is not a mapping with the post's id")
        if not isinstance(data.get("fingerprint"), str | None) or not isinstance(data.get("targets") or {}, dict):
            raise ValueError("fingerprint is not a text, or targets not a mapping")
        known = set(Entry.__dataclass_fields__)
        targets = {}
        for account, e in (data.get("targets") or {}).items():
            if not isinstance(e, dict) or "status" not in e:
                raise ValueError(f"the entry of {account} is not a mapping with a status")
            targets[account] = entry = Entry(**{k: v for k, v in e.items() if k in known})
            try:
                entry.check()
            except ValueError as exc:
                raise ValueError(f"the entry of {account}: {exc}") from None
        return cls(data["post"], data.get("fingerprint"), targets)


class Unresolvable(ValueError):
    """A person's answer that does not fit the target's record; the message says why."""


def resolve(record: Record, account: str, *, url: str | None, by: str, at: str, reason: str,
            fingerprint: str) -> Record:
    """The record with a person's answer for one `unknown` target (`accord resolve`): posted at
    `url` (published), or not posted (`url` None: failed, so it is due again once its post
    changes). The check accepts a change of the ledger that is exactly this (`is_resolution`)."""
    entry = record.targets.get(account)
    if entry is None or entry.status != "unknown":
        now = f"is {entry.status}" if entry else "has no record"
        raise Unresolvable(f"{record.post}@{account} {now}; only an unknown outcome is resolved by a person")
    if url is None and entry.parts:
        raise Unresolvable(f"part 1 of {record.post} went out on {account} ({entry.parts[0].get('url')}): it "
                           f"was posted; resolve it with --posted")
    answer = {"by": by, "at": at, "answer": "posted" if url else "not posted", "reason": reason}
    new = Entry(**{**asdict(entry), "resolved": {**answer, **({"url": url} if url else {})}})
    if url is None:
        new.status, new.fingerprint = "failed", fingerprint
        new.error = f"not posted, says {by}: {reason} (due again once the post changes)"
    else:
        posted_id = url.rstrip("/").rsplit("/", 1)[-1]
        new.status, new.error = "published", None
        new.parts = new.parts or [{"id": posted_id, "url": url, "at": entry.claimed_at or at}]
        new.id, new.url = new.parts[0]["id"], new.parts[0]["url"]
        new.published_at = new.published_at or entry.claimed_at or at
    out = Record(record.post, record.fingerprint, {**record.targets, account: new})
    if url is not None and out.fingerprint is None:
        out.fingerprint = fingerprint
    return out


def is_resolution(old: Record, new: Record, fingerprint: str | None) -> bool:
    """Whether `new` is `old` with people's answers (`resolve`) and nothing else changed."""
    if fingerprint is None or old.post != new.post or set(old.targets) != set(new.targets):
        return False
    out = old
    for account, entry in sorted(new.targets.items()):
        if entry == old.targets[account]:
            continue
        r = entry.resolved or {}
        if not (isinstance(r.get("by"), str) and r["by"] and isinstance(r.get("reason"), str) and r["reason"].strip()
                and isinstance(r.get("at"), str)):
            return False
        try:
            out = resolve(out, account, url=r.get("url") if r.get("answer") == "posted" else None, by=r["by"],
                          at=r["at"], reason=r["reason"], fingerprint=fingerprint)
        except Unresolvable:
            return False
    return out.to_json() == new.to_json()


def _compact(entry: dict) -> dict:
    """Unset fields are left out; status, attempts and parts always appear."""
    return {k: v for k, v in entry.items() if v is not None}


def folder(base: Path, state_path: str) -> Path:
    return base / state_path / "ledger"


def file_of(ledger: Path, post_id: str) -> Path:
    return ledger / f"{post_id}.json"


def load(ledger: Path, post_id: str, base: Path) -> Record | None:
    """The post's record in the ledger folder of the repository (or worktree) `base`."""
    path = file_of(ledger, post_id)
    try:
        return _parse(_text(path, base), path, post_id)
    except FileNotFoundError:
        return None


def _text(path: Path, base: Path) -> str:
    """A record's text, read as accord reads every file (see files.read_bytes): never through a
    link that leads out of `base`, never a pipe or device, never more than LEDGER_LIMIT."""
    from .files import LEDGER_LIMIT, Refused, read_bytes

    try:
        return read_bytes(base, os.path.relpath(path, base), LEDGER_LIMIT).decode("utf-8")
    except FileNotFoundError:
        raise
    except Refused as exc:
        raise LedgerError(f"{path}: {exc.message}; it is machine-written: restore it from git history",
                          path) from None
    except (OSError, UnicodeDecodeError) as exc:  # a folder, a dangling link, bytes that are not text
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise LedgerError(f"{path} cannot be read as a ledger record ({reason}); it is machine-written: "
                          f"restore it from git history", path) from None


def _parse(text: str, where, post_id: str | None = None) -> Record:
    try:
        record = Record.from_json(text)
    except json.JSONDecodeError as exc:
        problem = f"not JSON at line {exc.lineno}, column {exc.colno}"  # (json's own words vary)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        problem = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
    else:
        if post_id is None or record.post == post_id:
            return record
        problem = f"it records post {record.post}, not {post_id}"
    raise LedgerError(f"{where} is not a ledger record: {problem}; it is machine-written: restore it "
                      f"from git history", where)


def save(ledger: Path, record: Record) -> Path:
    """Write atomically: a run killed mid-write leaves the old file, never half a file."""
    path = file_of(ledger, record.post)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(record.to_json(), "utf-8")
    os.replace(tmp, path)
    return path


def read_folder(ledger: Path, base: Path) -> dict[str, Record]:
    """Every record in the ledger folder of the repository (or worktree) `base`."""
    from .files import OUTSIDE, leads_outside

    out = {}
    if leads_outside(base, os.path.relpath(ledger, base)) and os.path.lexists(ledger):
        raise LedgerError(f"{ledger}: {OUTSIDE[1]}", ledger)
    if ledger.exists() and not ledger.is_dir():
        raise LedgerError(f"{ledger} is a file; the ledger is a folder of records: restore it from git history",
                          ledger)
    if ledger.is_dir():
        for path in sorted(ledger.rglob("*.json")):
            try:
                text = _text(path, base)
            except FileNotFoundError:  # a dangling link
                raise LedgerError(f"{path} is a link to nothing; restore the record from git history", path) from None
            rec = _parse(text, path, path.relative_to(ledger).as_posix()[: -len(".json")])
            out[rec.post] = rec
    return out


def read(root: Path, settings) -> dict[str, Record]:
    """Every post's record, by post id. With a state branch (accord.yaml `state.branch`) the
    records are read from that branch (origin's copy when fetched, else the local one)."""
    if not settings.state_branch:
        return read_folder(folder(root, settings.state_path), root)
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
            rec = _parse(repo.git.show(f"{ref}:{name}"), f"{ref}:{name}", name[len(prefix):-len(".json")])
            out[rec.post] = rec
        return out
    return {}

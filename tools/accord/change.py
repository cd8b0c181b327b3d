"""What a change adds, edits, cancels, retracts, reschedules or removes compared with a base
revision: the part of the read side that the preview and the approvals start from.

The org as it was at the base is loaded from git (the settings, teams, accounts and policies,
and the changed files with their campaigns), through the same model as the org of today, so that
an old time is read in the same zone rules as a new one.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import revisions
from .layout import ConfigError, account_id, classify, post_id
from .model import Org, load

ADDED, EDITED, REMOVED = "added", "edited", "removed"
CANCELLED, RETRACTED, RESCHEDULED = "cancelled", "retracted", "rescheduled"
# The keys of a post that say when it goes out: a change of these alone is a rescheduling.
WHEN = frozenset({"publish_at", "on_merge"})


class ChangeError(Exception):
    """The base cannot be compared with (no such commit, not a git repository): a sentence."""


@dataclass(frozen=True)
class Move:
    """One account of a changed post: when it went out at the base, and when it goes now.
    None: on merge (or, with `was`/`now` False, the account was not a target then or is not now)."""

    account: str
    before: datetime | None
    after: datetime | None
    was: bool = True  # a target at the base
    now: bool = True  # a target now

    @property
    def moved(self) -> bool:
        return self.was and self.now and self.before != self.after


@dataclass
class FileChange:
    """One changed file, and what it is to accord."""

    path: str
    kind: str  # what the file holds: post, team, account, campaign, a policy's name, accord, file
    id: str | None  # the post, team, account or campaign id; None for other files
    how: str  # added, edited, removed; for a post also cancelled, retracted or rescheduled
    fields: tuple[str, ...] = ()  # the top-level keys that differ, sorted
    before: object | None = None  # the model object at the base (Post, Team, Account, Campaign)
    after: object | None = None  # and now
    moves: tuple[Move, ...] = ()  # for a post: each account's time, then and now

    @property
    def current(self):
        """The object as it stands now, else as it was (a removed file)."""
        return self.after if self.after is not None else self.before


@dataclass
class Change:
    base: str  # as given
    since: str  # the commit compared with: where this checkout forked from the base
    files: list[FileChange]
    before: Org = field(repr=False)  # the org at `since`, as far as the change needs it

    @property
    def posts(self) -> list[FileChange]:
        return [f for f in self.files if f.kind == "post"]

    def of(self, path: str) -> FileChange | None:
        return next((f for f in self.files if f.path == path), None)


def compare(org: Org, base: str) -> Change:
    """The change of the checkout at `org.root` compared with `base`. Raises ChangeError."""
    root = org.root
    if not revisions.is_commit(root, base):
        raise ChangeError(f"--base {base}: no such commit in this repository; fetch it first "
                          f"(actions/checkout with fetch-depth: 0)")
    try:
        since = revisions.fork_point(root, base)
        changed = revisions.changed_since(root, since)
        before = _org_at(org, since, [c.path for c in changed])
    except (revisions.GitError, IndexError) as exc:
        raise ChangeError(f"cannot compare with --base {base}: {exc}") from None
    return Change(base, since, [_describe(org, before, c) for c in changed], before)


def _org_at(org: Org, rev: str, changed: list[str]) -> Org:
    """The org at `rev`: what every changed file is read against (settings, teams, accounts,
    policies), the changed files and the campaigns of changed posts; nothing else."""
    shared = [p for p in revisions.tracked_at(org.root, rev, "accord.yaml", "content", "policies")
              if classify(p) not in (None, "post", "campaign")]
    campaigns = {f"{'/'.join(p.split('/')[:3])}/{name}" for p in changed if classify(p) == "post"
                 for name in ("campaign.yaml", "campaign.yml")}
    wanted = sorted({*shared, *campaigns, *(p for p in changed if classify(p) is not None)})
    blobs = revisions.files_at(org.root, rev, wanted)
    with tempfile.TemporaryDirectory(prefix="accord-base-") as tmp:
        for rel, data in blobs.items():
            path = Path(tmp, rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if "accord.yaml" not in blobs:  # the org is new in this change: nothing was there before
            return Org(Path(tmp), org.settings)
        try:
            before = load(Path(tmp), use_cache=False)
        except ConfigError:
            return Org(Path(tmp), org.settings)
    return before


def _describe(org: Org, before: Org, c: revisions.ChangedFile) -> FileChange:
    kind = classify(c.path)
    if kind is None:
        return FileChange(c.path, "file", None, c.how)
    old, new = _object(before, kind, c.path), _object(org, kind, c.path)
    old_doc, new_doc = before.docs.get(c.path), org.docs.get(c.path)
    old_data = old_doc.data if old_doc is not None and isinstance(old_doc.data, dict) else {}
    new_data = new_doc.data if new_doc is not None and isinstance(new_doc.data, dict) else {}
    fields = tuple(sorted(k for k in {*old_data, *new_data} if old_data.get(k) != new_data.get(k)))
    ident = _id(kind, c.path)
    if kind != "post":
        return FileChange(c.path, kind, ident, c.how, fields, old, new)
    moves = _moves(old, new)
    how = c.how
    if how == EDITED:
        status = new.status if new is not None else None
        was = old.status if old is not None else None
        if status in (CANCELLED, RETRACTED) and status != was:
            how = status
        elif fields and set(fields) <= WHEN:
            how = RESCHEDULED
    return FileChange(c.path, kind, ident, how, fields, old, new, moves)


def _id(kind: str, rel: str) -> str | None:
    if kind == "post":
        return post_id(rel)
    if kind == "account":
        return account_id(rel)
    if kind == "team":
        return rel.split("/")[1]
    if kind == "campaign":
        return "/".join(rel.split("/")[1:3])
    return None


def _object(org: Org, kind: str, rel: str):
    ident = _id(kind, rel)
    found = {"post": org.posts, "account": org.accounts, "team": org.teams, "campaign": org.campaigns}.get(kind)
    if found is None:
        return None
    made = found.get(ident)
    return made if made is not None and made.doc.rel == rel else None


def _moves(old, new) -> tuple[Move, ...]:
    then = {t.account.id: t.publish_at for t in old.targets} if old is not None else {}
    now = {t.account.id: t.publish_at for t in new.targets} if new is not None else {}
    return tuple(Move(a, then.get(a), now.get(a), a in then, a in now) for a in sorted({*then, *now}))


def short(commit: str) -> str:
    return commit[:7] if len(commit) == 40 and all(ch in "0123456789abcdef" for ch in commit) else commit


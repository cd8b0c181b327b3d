"""Published posts are immutable: what went out stays as the ledger recorded it.

The publisher keeps, per post, the fingerprint of what it published (state/ledger/<post>.json).
Editing, moving or deleting a published post would make the repository lie about what is on
the networks; `status: retracted` is the way to take a post down.
"""
from __future__ import annotations

import os

from pathlib import Path

from .. import ledger
from ..findings import Finding, Rule
from ..model import Org
from ..revisions import GitError, files_at, fork_point, git_paths
from . import Ledger, Reach, Reads

READS = frozenset({Reads.FILES, Reads.GIT, Reads.LEDGER})
REACH = Reach.FILE
WANTED_ONLY = True

RULES = [
    Rule("published.edited", "error",
         "A post the ledger records as published keeps the text, accounts and time it went out with.",
         "To take a published post down, set `status: retracted`; the publisher deletes it."),
    Rule("published.moved", "error",
         "A published post stays at its path: its id is its path, and the ledger is keyed by it."),
    Rule("published.ledger", "error", "The ledger (state/ledger/*.json) can be read."),
    Rule("published.deleted", "error",
         "A published post's file stays in the repository until it is retracted.",
         "Restore the file and set `status: retracted` to take the post down."),
    Rule("published.ledger-written", "error",
         "Only the publisher writes the ledger: a change (against --base, else the last commit) adds, "
         "edits or deletes no record, but for a person's answer for an unknown target as `accord resolve` "
         "writes it. A post whose record is deleted would be published again.",
         "Restore the record from git: git checkout <base> -- state/ledger/<post>.json."),
]


def records(org: Org, ctx) -> dict[str, ledger.Record]:
    """Ledger records by post id, read once per check and shared with the schedule family.
    An unreadable ledger counts as empty here; check() reports it."""
    if ctx.ledger is None:
        try:
            ctx.ledger = Ledger(ledger.read(org.root, org.settings))
        except (ValueError, KeyError, TypeError) as exc:
            ctx.ledger = Ledger({}, exc)
    return ctx.ledger.records


def check(org: Org, ctx) -> list[Finding]:
    out: list[Finding] = _written_by_hand(org, ctx)
    found = records(org, ctx)
    folder = f"{org.settings.state_path}/ledger"
    if (exc := ctx.ledger.error) is not None:
        where = getattr(exc, "path", None)
        try:
            # (the link's own path: a record that is a link is named as the link)
            rel = Path(os.path.abspath(where)).relative_to(org.root).as_posix() if where else folder
        except ValueError:  # a ledger on the state branch lives in its own worktree
            rel = folder
        out.append(Finding(rel, 1, 1, "error", "published.ledger", f"cannot read the ledger: {exc}"))
    files = unrecorded = None  # built only when a published post's file is gone
    for pid, record in sorted(found.items()):
        accounts = sorted(a for a, t in record.targets.items() if t.status == "published")
        if not accounts:
            continue
        where = ", ".join(f"{a} {record.targets[a].url}" if record.targets[a].url else a for a in accounts)
        post = org.posts.get(pid)
        if post is not None:
            if post.status != "retracted" and post.fingerprint() != record.fingerprint:
                line, col = post.doc.pos(())
                out.append(Finding(
                    post.doc.rel, line, col, "error", "published.edited",
                    f"this post was published ({where}) and its text, accounts or time changed "
                    f"since; the networks still show what went out",
                    "undo the edit, or set status: retracted to take it down and write a new post"))
            continue
        if files is None:
            files = set(org.files)
            # A moved post is a file the ledger does not know, carrying a published fingerprint.
            unrecorded = {}
            for other, p in org.posts.items():
                if other not in found:
                    unrecorded.setdefault(p.fingerprint(), other)
        if f"content/{pid}.yaml" in files or f"content/{pid}.yml" in files:
            continue  # the file is there but unusable: its own findings say why
        rel = f"{folder}/{pid}.json"
        line = _line_of(org, rel)
        moved_to = unrecorded.get(record.fingerprint)
        if moved_to:
            out.append(Finding(
                rel, line, 1, "error", "published.moved",
                f"published post content/{pid}.yaml ({where}) was moved to content/{moved_to}.yaml; "
                f"a post's id is its path, so the ledger would lose track of it",
                f"move it back to content/{pid}.yaml"))
        else:
            out.append(Finding(
                rel, line, 1, "error", "published.deleted",
                f"published post content/{pid}.yaml ({where}) was deleted; it is still on the networks",
                f"restore content/{pid}.yaml and set status: retracted to take it down"))
    return out


def _line_of(org: Org, rel: str) -> int:
    """The line of the record's "post" key: where a reader of the ledger file looks."""
    try:
        text = (org.root / rel).read_text(encoding="utf-8")
    except OSError:
        return 1
    for n, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith('"post"'):
            return n
    return 1


_DONE = {"A": "added", "M": "edited", "D": "deleted", "T": "changed"}


def _written_by_hand(org: Org, ctx) -> list[Finding]:
    """Ledger records the change adds, edits or deletes: against where it forked from --base (so
    that the publisher's own commits on the base since are not the change's), else against the
    last commit. Nothing outside git, nor with the ledger on a state branch, nor in a narrowed run
    (which reports on posts only)."""
    if org.settings.state_branch or ctx.only is not None:
        return []
    folder = f"{org.settings.state_path}/ledger"
    try:
        since = fork_point(org.root, ctx.base) if ctx.base else "HEAD"
        changed, untracked = git_paths(org.root, ("diff", "-z", "--name-status", "--no-renames", "--relative", since, "--", folder),
                                       ("ls-files", "-z", "--others", "--exclude-standard", "--", folder))
    except (GitError, IndexError):
        return []
    found = [(path, _DONE.get(status[:1], "changed")) for status, path in zip(changed[0::2], changed[1::2], strict=False)
             if not (status[:1] == "M" and _resolved(org, since, path))]
    found += [(path, "added") for path in untracked]
    return [Finding(path, 1, 1, "error", "published.ledger-written",
                    f"this change {done} a ledger record; only the publisher writes the ledger"
                    + (", and a post whose record is gone would be published again" if done == "deleted" else ""),
                    f"git checkout {ctx.base or 'HEAD'} -- {path}" if done != "added" else f"remove {path}")
            for path, done in sorted(found) if path.endswith(".json")]


def _resolved(org: Org, since: str, path: str) -> bool:
    """Whether the change of this record is people's answers for unknown targets (`accord
    resolve`) and nothing else: the one hand change the ledger takes."""
    if not path.endswith(".json"):
        return False
    folder = f"{org.settings.state_path}/ledger/"
    pid = path[len(folder):-len(".json")] if path.startswith(folder) else None
    post = org.posts.get(pid) if pid else None
    try:
        before = files_at(org.root, since, [path]).get(path)
        old = ledger.Record.from_json(before.decode("utf-8")) if before is not None else None
        new = ledger.Record.from_json((org.root / path).read_text("utf-8"))
    except (GitError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return old is not None and ledger.is_resolution(old, new, post.fingerprint() if post else None)

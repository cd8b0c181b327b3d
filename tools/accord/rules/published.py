"""Published posts are immutable: what went out stays as the ledger recorded it.

The publisher keeps, per post, the fingerprint of what it published (state/ledger/<post>.json).
Editing, moving or deleting a published post would make the repository lie about what is on
the networks; `status: retracted` is the way to take a post down.
"""
from __future__ import annotations

import json
import os

from ..findings import Finding, Rule
from ..model import Org

RULES = [
    Rule("published.edited", "error",
         "A post the ledger records as published keeps the text, accounts and time it went out with.",
         "To take a published post down, set `status: retracted`; the publisher deletes it."),
    Rule("published.moved", "error",
         "A published post stays at its path: its id is its path, and the ledger is keyed by it."),
    Rule("published.deleted", "error",
         "A published post's file stays in the repository until it is retracted.",
         "Restore the file and set `status: retracted` to take the post down."),
]


def ledger(org: Org, ctx) -> dict[str, tuple[str, dict]]:
    """Ledger records by post id: (path of the record relative to the root, its data).
    Read once per check and shared with the schedule family."""
    cache = ctx.extra.get("ledger")
    if cache is not None:
        return cache
    base = org.root / org.settings.state_path / "ledger"
    records: dict[str, tuple[str, dict]] = {}
    for dirpath, _, filenames in os.walk(base):
        for name in filenames:
            if not name.endswith(".json"):
                continue
            path = os.path.join(dirpath, name)
            try:
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
            except (OSError, ValueError):
                continue  # a broken record is the ledger module's to report, not this rule's
            if isinstance(data, dict) and isinstance(data.get("post"), str):
                rel = os.path.relpath(path, org.root).replace(os.sep, "/")
                records[data["post"]] = (rel, data)
    ctx.extra["ledger"] = records
    return records


def published_targets(record: dict) -> list[str]:
    targets = record.get("targets") or {}
    return sorted(a for a, t in targets.items() if isinstance(t, dict) and t.get("status") == "published")


def check(org: Org, ctx) -> list[Finding]:
    out: list[Finding] = []
    records = ledger(org, ctx)
    # A moved post is a new file carrying the published fingerprint that the ledger does not know.
    unrecorded = {}
    for pid, post in org.posts.items():
        if pid not in records:
            unrecorded.setdefault(post.fingerprint(), pid)
    files = None
    for pid, (rel, record) in sorted(records.items()):
        accounts = published_targets(record)
        if not accounts:
            continue
        where = ", ".join(_where(a, record["targets"][a]) for a in accounts)
        post = org.posts.get(pid)
        if post is not None:
            if post.status != "retracted" and post.fingerprint() != record.get("fingerprint"):
                line, col = post.doc.pos(())
                out.append(Finding(
                    post.doc.rel, line, col, "error", "published.edited",
                    f"this post was published ({where}) and its text, accounts or time changed "
                    f"since; the networks still show what went out",
                    "undo the edit, or set status: retracted to take it down and write a new post"))
            continue
        if files is None:
            files = set(org.files)
        if f"content/{pid}.yaml" in files or f"content/{pid}.yml" in files:
            continue  # the file is there but unusable: its own findings say why
        line = _line_of(org, rel)
        moved_to = unrecorded.get(record.get("fingerprint"))
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


def _where(account: str, target: dict) -> str:
    return f"{account} {target['url']}" if target.get("url") else account


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

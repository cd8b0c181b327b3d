"""The publisher's preflight: `accord check` run first (the same rules, replayed from the
results cache when nothing changed), so that what the check refuses is not sent.

A post with errors is held back (`blocked`, with its findings) and stays due; a content file the
model could not build (broken YAML, a misspelled key, a duplicate key) is named, since its
targets are not in the plan at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .findings import Finding
from .layout import classify
from .model import Org

# The files the plan and the preflight are built from (a broken freeze stops the run before this).
KINDS = ("team", "account", "campaign", "post", "voice", "schedule", "approvals")


@dataclass
class Preflight:
    blocked: dict[str, list[Finding]] = field(default_factory=dict)  # post id -> errors in its file
    unloaded: list[Finding] = field(default_factory=list)  # per such file not built, its first error


def run(org: Org, now: datetime) -> Preflight:
    from . import rules
    from .check.results import ResultCache

    last = ResultCache(org.root, None)
    recalled = last.recall(now.timestamp())
    if recalled is not None:
        found = recalled[0]
    else:
        ctx = rules.Context(now=now)
        found, by_family = rules.run(org, ctx, last.earlier(org))
        last.remember(org, ctx, found, by_family)
    return of(org, found)


def of(org: Org, found: list[Finding]) -> Preflight:
    errors: dict[str, list[Finding]] = {}
    for f in sorted(found):
        if f.level == "error":
            errors.setdefault(f.file, []).append(f)
    built = {o.doc.rel for things in (org.teams, org.accounts, org.campaigns, org.posts) for o in things.values()}
    built.update(doc.rel for doc in org.policies.values())
    out = Preflight()
    for post in org.posts.values():
        if post.doc.rel in errors:
            out.blocked[post.id] = errors[post.doc.rel]
    for rel, errs in sorted(errors.items()):
        if rel not in built and classify(rel) in KINDS:
            out.unloaded.append(errs[0])
    return out


"""Rule families: each module takes the model and yields findings.

A family module has `RULES` (what `accord explain` lists) and `check(org, ctx)`. Adding a
family is adding its module name to FAMILIES.
"""
from __future__ import annotations

import gc
import math
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from types import ModuleType

from ..findings import Finding, Rule
from ..model import Org

FAMILIES = ("schema", "schedule", "ownership", "embargo", "objectives", "translations", "published",
            "platform", "voice", "duplicates", "secrets")


@dataclass
class Context:
    now: datetime
    base: str | None = None  # the revision a change is compared with (None: no comparison)
    # The files whose findings are wanted (None: all). A family may skip work for other files;
    # cross-file families still read everything but only compare pairs that touch these.
    only: frozenset[str] | None = None
    extra: dict = field(default_factory=dict)
    # How long these findings hold as the clock moves (the result cache reuses them only that
    # long): the nearest instants before and after `now` at which a family's answer may change,
    # as timestamps, and whether some finding's text reads the clock itself ("in 20 minutes").
    holds_after: float = -math.inf
    holds_before: float = math.inf
    reads_clock: bool = False

    def wants(self, rel: str) -> bool:
        return self.only is None or rel in self.only

    def turns_at(self, *instants: datetime | float) -> None:
        """A finding may appear, vanish or change when the clock passes any of these instants."""
        now = self.now.timestamp()
        for at in instants:
            at = at if isinstance(at, float | int) else at.timestamp()
            if at > now:
                self.holds_before = min(self.holds_before, at)
            else:
                self.holds_after = max(self.holds_after, at)


def families() -> list[ModuleType]:
    return [import_module(f"{__name__}.{name}") for name in FAMILIES]


def catalogue() -> dict[str, Rule]:
    return {r.id: r for fam in families() for r in fam.RULES}


def run(org: Org, ctx: Context) -> list[Finding]:
    # The families build large indexes of small objects with no cycles among them: the cyclic
    # collector would only walk them again and again (most of duplicates' time at 100k).
    enabled = gc.isenabled()
    gc.disable()
    try:
        found: list[Finding] = []
        for fam in families():
            found.extend(fam.check(org, ctx))
        return _suppress(org, found)
    finally:
        if enabled:
            gc.enable()


def _suppress(org: Org, found: list[Finding]) -> list[Finding]:
    """Drop findings silenced by an `allow` in the same file; an allow that silences
    nothing is itself a finding, so stale suppressions do not pile up."""
    holders = [(o.doc, o.allow) for o in (*org.posts.values(), *org.campaigns.values()) if o.allow]
    if not holders:
        return found
    allowed = {(doc.rel, a["rule"]): (doc, i) for doc, allow in holders for i, a in enumerate(allow)}
    used = set()
    kept = []
    for f in found:
        key = (f.file, f.rule)
        if key in allowed and not f.rule.startswith(("yaml.", "schema.")):  # broken files stay loud
            used.add(key)
            continue
        kept.append(f)
    for key, (doc, i) in sorted(allowed.items()):
        if key not in used:
            line, col = doc.pos(("allow", i, "rule"))
            kept.append(Finding(doc.rel, line, col, "warning", "allow.unused",
                                f"allow of '{key[1]}' silences nothing here; remove it"))
    return kept

"""Rule families: each module takes the model and yields findings.

A family module has `RULES` (what `accord explain` lists) and `check(org, ctx)`. Adding a
family is adding its module name to FAMILIES.
"""
from __future__ import annotations

import gc
import marshal
import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from importlib import import_module
from types import ModuleType

from .. import forked
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
    return [family(name) for name in FAMILIES]


def family(name: str) -> ModuleType:
    return import_module(f"{__name__}.{name}")


def catalogue() -> dict[str, Rule]:
    return {r.id: r for fam in families() for r in fam.RULES}


# Families whose findings on a file depend on that file and the shared files only (settings,
# teams, accounts, campaigns, policies, media), never on other posts, git or the clock: the
# results cache keeps their findings per file, and a re-check runs them on changed files only.
PER_FILE = ("platform", "voice", "secrets")


@dataclass
class Earlier:
    """What the results cache kept of the PER_FILE families: their findings (by family) on every
    file but `fresh`, the files changed since."""

    fresh: frozenset[str]
    kept: dict[str, list[Finding]]


def run(org: Org, ctx: Context, earlier: Earlier | None = None,
        meanwhile: Callable[[], None] | None = None) -> tuple[list[Finding], dict[str, list[Finding]]]:
    """Every family's findings, suppressions applied; and, by family, the findings before them.
    `meanwhile`: other work of this process (writing the parse cache), done once its own
    families are, while a forked child may still run the others."""
    # The families build large indexes of small objects with no cycles among them: the cyclic
    # collector would only walk them again and again (most of duplicates' time at 100k).
    enabled = gc.isenabled()
    gc.disable()
    try:
        # each process imports the families it runs (their modules compile patterns as they load)
        fork = ctx.only is None and forked.worth_it(len(org.posts))  # a narrowed run is quick already
        child = _Child(org, ctx, earlier, APART) if fork else None
        try:
            found = {n: _check(n, org, ctx, earlier) for n in FAMILIES if child is None or n not in APART}
            if meanwhile is not None:
                meanwhile()
        except BaseException:
            if child is not None:
                child.stop()
            raise
        if child is not None:
            found.update(child.join(org, ctx, earlier))
        return _suppress(org, [finding for n in FAMILIES for finding in found[n]]), found
    finally:
        if enabled:
            gc.enable()


def _check(name: str, org: Org, ctx: Context, earlier: Earlier | None) -> list[Finding]:
    if earlier is None or name not in PER_FILE:
        return family(name).check(org, ctx)
    fresh = earlier.fresh if ctx.only is None else earlier.fresh & ctx.only
    return family(name).check(org, replace(ctx, only=fresh)) + [f for f in earlier.kept[name] if ctx.wants(f.file)]


# A full check of a large org runs these families in a forked child on the machine's other core
# while this process runs the rest: at 10k posts duplicates takes about as long (0.55 s) as all the
# others together, now that voice and platform are quicker (secrets ran beside it until then). They
# read the model, `now` and `only`, move only the clock fields of ctx, and share nothing through
# ctx.extra, so what comes back is their findings and those fields.
APART = ("duplicates",)

_FIELDS = tuple(f.name for f in fields(Finding))


class _Child:
    """Some families run in a forked copy of this process; their findings and clock fields come
    back marshalled. Should the child fail in any way, its families run here, so a failure looks
    as it does in one process."""

    def __init__(self, org: Org, ctx: Context, earlier: Earlier | None, names: tuple[str, ...]):
        self.names = names

        def work() -> bytes:
            found = [[tuple(getattr(x, f) for f in _FIELDS) for x in _check(n, org, ctx, earlier)] for n in names]
            return marshal.dumps((found, ctx.holds_after, ctx.holds_before, ctx.reads_clock))

        self.fork = forked.Forked(work)

    def join(self, org: Org, ctx: Context, earlier: Earlier | None) -> dict[str, list[Finding]]:
        data = self.fork.result()
        if data is None:
            return {n: _check(n, org, ctx, earlier) for n in self.names}
        found, after, before, reads_clock = marshal.loads(data)
        ctx.holds_after = max(ctx.holds_after, after)
        ctx.holds_before = min(ctx.holds_before, before)
        ctx.reads_clock = ctx.reads_clock or reads_clock
        return {n: [Finding(*x) for x in xs] for n, xs in zip(self.names, found, strict=True)}

    def stop(self) -> None:
        self.fork.stop()


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

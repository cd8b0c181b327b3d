"""Rule families: each module takes the model and yields findings.

A family module is a `Family` (below): its rules, what it reads, how far a finding of it reaches
across posts, and `check(org, ctx)`. Adding a family is adding its module name to FAMILIES; the
results cache (what it keeps per file, whether it replays at all) and the narrowing of a
pre-commit run (which posts a named post is checked against) follow from its declarations.
"""
from __future__ import annotations

import gc
import marshal
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from enum import Enum
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Protocol

from ..check import forked
from ..findings import Finding, Rule
from ..model import Org

if TYPE_CHECKING:
    from ..ledger import Record

FAMILIES = ("schema", "schedule", "ownership", "embargo", "objectives", "translations", "published",
            "platform", "voice", "duplicates", "secrets", "business")


class Reads(Enum):
    """What a family's findings come from."""

    FILES = "files"  # the repository's YAML files and the media posts name
    GIT = "git"  # commits: what a change adds or edits
    LEDGER = "ledger"  # the publisher's records
    METRICS = "metrics"  # the business metrics CSVs
    CLOCK = "clock"  # the current time
    NETWORK = "network"  # anything asked of a server: never replayed from the results cache


class Reach(Enum):
    """How far a finding on a post reaches across posts: what else a run reporting on a few named
    posts must build for them (see check/narrow.py)."""

    FILE = "file"  # the post itself and the shared files (settings, teams, accounts, campaigns, policies)
    ACCOUNT_WINDOW = "account window"  # the posts on its accounts within their minimum gap (schedule.gap_days)
    DUPLICATES_WINDOW = "duplicates window"  # posts of any account within the duplicates window (duplicates.window)
    TRANSLATIONS = "translations"  # the post it translates, and so on
    ALL = "all"  # any post: a narrowed run builds every post


class Family(Protocol):
    """A rule family module. `WANTED_ONLY`: its check looks only at the files `ctx.wants` (else it
    reports on everything and the run keeps the findings wanted)."""

    RULES: list[Rule]
    READS: frozenset[Reads]
    REACH: Reach
    WANTED_ONLY: bool

    def check(self, org: Org, ctx: Context) -> list[Finding]: ...


@dataclass
class Ledger:
    """The ledger as a check read it: once, by the first family that asks (see published.records).
    An unreadable ledger counts as empty; `error` says why, for the published family to report."""

    records: dict[str, Record]
    error: Exception | None = None


@dataclass
class Context:
    now: datetime
    base: str | None = None  # the revision a change is compared with (None: no comparison)
    # The files whose findings are wanted (None: all). A family may skip work for other files;
    # cross-file families still read everything but only compare pairs that touch these.
    only: frozenset[str] | None = None
    # How long these findings hold as the clock moves (the result cache reuses them only that
    # long): the nearest instants before and after `now` at which a family's answer may change,
    # as timestamps, and whether some finding's text reads the clock itself ("in 20 minutes").
    holds_after: float = -math.inf
    holds_before: float = math.inf
    reads_clock: bool = False
    # What several families read, read once a run by the first that asks.
    ledger: Ledger | None = None
    changed: set[str] | None = None  # the post files a change adds or edits (see schedule)

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


def families() -> list[Family]:
    return [family(name) for name in FAMILIES]


def family(name: str) -> Family:
    return import_module(f"{__name__}.{name}")


def catalogue() -> dict[str, Rule]:
    return {r.id: r for fam in families() for r in fam.RULES}


def kept_per_file(fam: Family) -> bool:
    """Whether the results cache keeps a family's findings per file and a re-check runs it on
    changed files only: a finding on a file depends on that file and the shared files alone,
    never on other posts, git, the ledger, the metrics, the clock or the network."""
    return fam.REACH is Reach.FILE and fam.READS == {Reads.FILES} and fam.WANTED_ONLY


def replayable() -> bool:
    """Whether a whole run's findings may be replayed while no file it read changed: not when a
    family reads the network (what a server says moves without a file moving)."""
    return all(Reads.NETWORK not in fam.READS for fam in families())


@cache
def per_file() -> tuple[str, ...]:
    """The families kept per file (see kept_per_file)."""
    return tuple(name for name in FAMILIES if kept_per_file(family(name)))


@dataclass
class Earlier:
    """What the results cache kept of the families kept per file: their findings (by family) on every
    file but `fresh`, the files changed since."""

    fresh: frozenset[str]
    kept: dict[str, list[Finding]]


def run(org: Org, ctx: Context, earlier: Earlier | None = None, meanwhile: Callable[[], None] | None = None,
        then: Callable[[], None] | None = None) -> tuple[list[Finding], dict[str, list[Finding]]]:
    """Every family's findings, suppressions applied; and, by family, the findings before them.
    `meanwhile`: other work of this process, done once its own families are, while a forked
    child may still run the others; `then`: work that waits for the child's (writing the parse
    cache, when the duplicates sweep sketches the posts for it: see model.read_all)."""
    # The families build large indexes of small objects with no cycles among them: the cyclic
    # collector would only walk them again and again (most of duplicates' time at 100k).
    enabled = gc.isenabled()
    gc.disable()
    try:
        # each process imports the families it runs (their modules compile patterns as they load)
        # (a narrowed run is quick already; loading's child, when there is one, is there already)
        fork = ctx.only is None and (org.helper is not None or forked.worth_it(len(org.posts)))
        child = _Sweeps(org, ctx, swept(), earlier) if fork else None
        # the posts loading's child checks the SPLIT_BY_POST families on (see model.model_of_parsed)
        split = org.split_posts if child is not None and earlier is None else None
        try:
            found = {n: _check(n, org, _without(split, org, ctx) if split and n in SPLIT_BY_POST else ctx, earlier)
                     for n in FAMILIES if child is None or n not in swept()}
            if meanwhile is not None:
                meanwhile()
        except BaseException:
            if child is not None:
                child.stop()
            raise
        if child is not None:
            there = child.here()
            if split is not None:
                # Its findings on the posts built here (x.yml beside x.yaml: the child may have
                # built the one this process reports as not read), and on policies once.
                built = {post.doc.rel for post in org.posts.values()}
                for name, rows in zip(SPLIT_BY_POST, there or [None] * len(SPLIT_BY_POST), strict=True):
                    mine = set(found[name])
                    found[name] += ([f for f in (Finding(*row) for row in rows) if f not in mine and (f.file in built or f.file not in split)]
                                    if rows is not None else family(name).check(org, replace(ctx, only=split)))
            child.sketch(org)
        if then is not None:  # (while the child may still be sweeping)
            then()
        if child is not None:
            found.update(child.join(org))
        return _history(org, ctx, _suppress(org, [finding for n in FAMILIES for finding in found[n]])), found
    finally:
        if org.helper is not None:  # loading's child, when no sweep took it
            org.helper.close()
        if enabled:
            gc.enable()


# The per-file families the child that parsed every other file runs on its own posts, once it has
# built their model while this process builds the whole one (see model.model_of_parsed): a finding of
# theirs on a post depends on the post and the shared files only, so the posts can be shared out.
# At 10k posts that is 0.18 s of this process's 0.35 s for them. (A choice of speed among the
# families kept per file, not a property of the family: voice is the one worth shipping posts for.)
SPLIT_BY_POST = ("voice",)
WORK = (__name__, "on_parsed_posts")  # what load(helper=...) has that child do


def on_parsed_posts(org: Org) -> list[list[tuple]]:
    """In loading's child: the SPLIT_BY_POST families' findings on the posts of its model (see WORK)."""
    ctx = Context(now=datetime.now(timezone.utc), only=frozenset(p.doc.rel for p in org.posts.values()))
    return [[f.row() for f in family(name).check(org, ctx)] for name in SPLIT_BY_POST]


def _without(posts: frozenset[str], org: Org, ctx: Context) -> Context:
    """ctx narrowed to every file but these."""
    return replace(ctx, only=frozenset(org.files) - posts)


def _check(name: str, org: Org, ctx: Context, earlier: Earlier | None) -> list[Finding]:
    return family(name).check(org, _fresh(name, ctx, earlier)) + _kept(name, ctx, earlier)


def _fresh(name: str, ctx: Context, earlier: Earlier | None) -> Context:
    """What a family looks at: with the results cache's findings, a family kept per file looks only at
    the files changed since (it moves the same clock fields: ctx's are shared)."""
    if earlier is None or name not in per_file():
        return ctx
    return replace(ctx, only=earlier.fresh if ctx.only is None else earlier.fresh & ctx.only)


def _kept(name: str, ctx: Context, earlier: Earlier | None) -> list[Finding]:
    """The results cache's findings of a family kept per file on the files not changed since."""
    if earlier is None or name not in per_file():
        return []
    return [f for f in earlier.kept[name] if ctx.wants(f.file)]


# A full check of a large org has a forked child on the machine's other core do the heavy part of
# the families that can be swept while this process runs the rest: at 10k posts duplicates' sweep
# (0.4 s) and the secrets scan (0.07 s) take about as long as all the others together. Such a
# family has, besides `check`, `job(org, ctx)`: the arguments of its `sweep`, plain data
# (marshal's), made here; `sweep(*job)`, which the child runs, yields plain data twice: what it
# made for the parse cache (the posts' sketches, by post id, or None: see model.read_all), then
# its result; and `found(org, result)`, the findings, made here. Only `job` reads ctx (and may
# move its clock fields).
@cache
def swept() -> tuple[str, ...]:
    """The families that have a sweep."""
    return tuple(name for name in FAMILIES if hasattr(family(name), "sweep"))


def sweeps(jobs: list[tuple]) -> Iterator:
    """Each (family, job) swept, as a child sends it: first the sketches they made for the parse
    cache, then what each gives."""
    runs = [family(name).sweep(*job) for name, job in jobs]
    sketches: dict = {}
    for run in runs:
        sketches.update(next(run) or {})
    yield sketches
    yield [next(run) for run in runs]


class _Sweeps:
    """The swept families' sweeps, in the child that parsed half the files when loading kept it
    (org.helper; their jobs are made here and sent), else in a child forked now (which makes
    the jobs itself, from its copy of the model, and sends back how they moved ctx's clock
    fields). Should the child fail in any way, the sweeps run here, so a failure looks as it does
    in one process."""

    def __init__(self, org: Org, ctx: Context, names: tuple[str, ...], earlier: Earlier | None):
        self.org, self.ctx, self.names, self.earlier = org, ctx, names, earlier
        self.helper = self.fork = None
        self.swept: list | None = None  # what each family's sweep gave
        if org.helper is not None and org.helper.ask(__name__, "sweeps", self._jobs(), last=True):
            self.helper = org.helper
        else:
            self.fork = forked.Forked(self._forked)
        self.handed = org.split_posts is not None and self.helper is not None  # see model.model_of_parsed

    def _jobs(self) -> list[tuple]:
        return [(name, family(name).job(self.org, _fresh(name, self.ctx, self.earlier))) for name in self.names]

    def _forked(self) -> bytes:
        """The work of a child forked now."""
        sketches, swept = sweeps(self._jobs())
        ctx = self.ctx
        return marshal.dumps((sketches, swept, ctx.holds_after, ctx.holds_before, ctx.reads_clock))

    def here(self) -> list | None:
        """What loading's child found with the SPLIT_BY_POST families on its posts, None if it was not
        asked or failed (it answers that before the sweeps)."""
        return self.helper.answer() if self.handed else None

    def sketch(self, org: Org) -> None:
        """Keep the sketches the sweeps made (the child sends them before the rest)."""
        sketches = None
        if self.helper is not None:
            sketches = self.helper.answer()
        elif (sent := self.fork.result()) is not None:
            sketches, self.swept, after, before, reads_clock = marshal.loads(sent)
            self.ctx.holds_after = max(self.ctx.holds_after, after)
            self.ctx.holds_before = min(self.ctx.holds_before, before)
            self.ctx.reads_clock = self.ctx.reads_clock or reads_clock
        if sketches is None:  # the child failed
            sketches, self.swept = sweeps(self._jobs())
        org.keep_sketches(sketches)

    def join(self, org: Org) -> dict[str, list[Finding]]:
        if self.swept is None and self.helper is not None:
            self.swept = self.helper.answer()
            self.helper.close()
        if self.swept is None:  # the child failed after the sketches
            _, self.swept = sweeps(self._jobs())
        return {name: family(name).found(org, result) + _kept(name, self.ctx, self.earlier)
                for name, result in zip(self.names, self.swept, strict=True)}

    def stop(self) -> None:
        (self.helper or self.fork).stop()


# What can still matter about a post every target of which went out (published or retracted):
# that it stays as it went out, that it leaks no secret, that it loads. Scheduling and the like
# it can no longer meet nor fail, and its findings would keep CI red for ever.
STILL_MATTERS = ("published.", "secrets.", "yaml.", "schema.")


def _history(org: Org, ctx: Context, found: list[Finding]) -> list[Finding]:
    from .published import records

    ledger = records(org, ctx)
    done = set()
    for pid, record in ledger.items():
        post = org.posts.get(pid)
        if post is not None and post.targets and all(
                (e := record.targets.get(t.account.id)) is not None and e.status in ("published", "retracted")
                for t in post.targets):
            done.add(post.doc.rel)
    if not done:
        return found
    return [f for f in found if f.file not in done or f.rule.startswith(STILL_MATTERS)]


def _suppress(org: Org, found: list[Finding]) -> list[Finding]:
    """Drop findings silenced by an `allow` in the same file; an allow that silences
    nothing is itself a finding, so stale suppressions do not pile up."""
    holders = [(o.doc, o.allow) for o in (*org.posts.values(), *org.campaigns.values()) if o.allow]
    if not holders:
        return found
    allowed = {(doc.rel, a["rule"]): (doc, i) for doc, allow in holders for i, a in enumerate(allow)}
    refused = {r.id for r in family("platform").RULES if r.refused}  # an allow cannot make it go out
    used = set()
    kept = []
    for f in found:
        key = (f.file, f.rule)
        if key in allowed and not f.rule.startswith(("yaml.", "schema.")) and f.rule not in refused:  # broken files stay loud
            used.add(key)
            continue
        kept.append(f)
    for key, (doc, i) in sorted(allowed.items()):
        if key not in used:
            line, col = doc.pos(("allow", i, "rule"))
            kept.append(Finding(doc.rel, line, col, "warning", "allow.unused",
                                f"allow of '{key[1]}' silences nothing here; remove it"))
    return kept

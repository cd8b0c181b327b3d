"""The read side: the org as the model loaded it, what the machine recorded about it (the ledger,
the metrics), the business figures exported into it, the freeze in force, what a change touches
compared with a base revision and the content's git history, each read once and only when first
asked for.

The publisher, `accord status` and every view (report, calendar, site, preview) read a State;
none of them reads the ledger or the freeze policy itself. A view is a function from a State to
plain data, then a renderer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from typing import TYPE_CHECKING

from . import ledger, metrics
from .findings import Finding
from .ledger import Entry, Record
from .metrics import PostMetrics
from .model import Org, Target

if TYPE_CHECKING:
    from .change import Change
    from .revisions import FileHistory

# What a target is, as a person planning or reviewing sees it.
DRAFT, READY, ON_MERGE, CLAIMED, PUBLISHED = "draft", "ready", "on_merge", "claimed", "published"
MISSED, FAILED, UNKNOWN = "missed", "failed", "unknown"
CANCELLED, RETRACTED, FROZEN, EMBARGOED = "cancelled", "retracted", "frozen", "embargoed"
BLOCKED = "blocked"  # the check finds errors in the post: not sent until it is fixed
STATUSES = (DRAFT, READY, ON_MERGE, CLAIMED, PUBLISHED, MISSED, FAILED, UNKNOWN, CANCELLED, RETRACTED,
            FROZEN, EMBARGOED, BLOCKED)
NEEDS_A_PERSON = (FAILED, UNKNOWN, MISSED, BLOCKED)


@dataclass(frozen=True)
class Freeze:
    """One entry of policies/freeze.yaml: while it is listed, nothing in its scope is published."""

    reason: str
    since: str
    account: str | None = None
    team: str | None = None
    by: str | None = None

    @property
    def scope(self) -> str:
        if self.account:
            return f"account {self.account}"
        return f"team {self.team}" if self.team else "everything"

    def covers(self, target: Target) -> bool:
        if self.account is not None and self.account != target.account.id:
            return False
        return self.team is None or self.team in (target.post.team, target.account.team)

    def describe(self) -> str:
        return f"frozen ({self.scope}) since {self.since}: {self.reason}"


@dataclass(frozen=True)
class TargetState:
    """One target as the plan and the ledger say it stands."""

    target: Target
    status: str  # one of STATUSES
    when: datetime | None  # when it goes (or went) out: publish_at, else the time it was published
    detail: str = ""  # why: the freeze, the embargo, the ledger's error
    url: str | None = None  # on the network, once published
    entry: Entry | None = None

    @property
    def key(self) -> str:
        return self.target.key


class State:
    """`blocked`: the check's errors by post id (the publisher's preflight), when it ran one.
    `records`: the ledger as the caller already holds it (the publisher's own checkout of it),
    else read when first asked for."""

    def __init__(self, org: Org, now: datetime | None = None, *, blocked: dict[str, list[Finding]] | None = None,
                 records: dict[str, Record] | None = None):
        self.org = org
        self.now = now or datetime.now(timezone.utc)
        self.blocked = blocked or {}
        if records is not None:
            self.__dict__["records"] = records
        self._changes: dict[str, Change] = {}

    def change(self, base: str) -> Change:
        """What the checkout changes compared with `base` (see change.py), worked out once.
        Raises change.ChangeError, a sentence, when git cannot compare with it."""
        if base not in self._changes:
            from .change import compare  # git and a second load: only the preview and approvals pay

            self._changes[base] = compare(self.org, base)
        return self._changes[base]

    @cached_property
    def records(self) -> dict[str, Record]:
        """Ledger records by post id (from the state branch when accord.yaml names one).
        Raises ledger.LedgerError, a sentence naming the file, when a record cannot be read."""
        return ledger.read(self.org.root, self.org.settings)

    @cached_property
    def history(self) -> dict[str, FileHistory]:
        """How many commits changed each file under content/ and when the newest did (HEAD's
        history, by repository-relative path): what a calendar feed's revisions are made of."""
        from . import revisions

        return revisions.history(self.org.root, "content")

    @cached_property
    def metrics(self) -> dict[str, PostMetrics]:
        """What the last metrics pulls read, by post id (state/metrics/). Raises
        metrics.MetricsError, a sentence naming the file, when one cannot be read."""
        return metrics.read(self.org.root, self.org.settings)

    def metrics_of(self, target: Target) -> metrics.TargetMetrics | None:
        record = self.metrics.get(target.post.id)
        return record.targets.get(target.account.id) if record else None

    @cached_property
    def business(self):
        """The business metrics CSVs' rows that read (business.Row; `accord check` reports the
        others), each with where it lands (business.Attribution), in file and line order."""
        from . import business

        rows, _ = business.read(self.org.root, self.org.settings.business_dir)
        attribute = business.Attributor(self.org)
        return [(row, attribute(row)) for row in rows]

    @cached_property
    def freezes(self) -> list[Freeze]:
        """The freezes in force. A freeze file that does not load is reported by the check (and
        stops the publisher); here every entry still counts, read or not: a freeze fails closed."""
        entries = self.org.policy("freeze").get("freezes") or []
        return [Freeze(str(e.get("reason") or "no reason given"), str(e.get("since", "?")), e.get("account"),
                       e.get("team"), e.get("by"))
                for e in entries if isinstance(e, dict)]

    def frozen(self, target: Target) -> Freeze | None:
        return next((f for f in self.freezes if f.covers(target)), None)

    def entry(self, target: Target) -> Entry | None:
        """The target's ledger entry; None also for a failed or missed one whose post changed
        since (it is due again)."""
        record = self.records.get(target.post.id)
        entry = record.targets.get(target.account.id) if record else None
        return entry if entry is None or entry.holds(target.post.fingerprint()) else None

    def of(self, target: Target) -> TargetState:
        post, entry = target.post, self.entry(target)
        when = target.publish_at
        if entry is not None and entry.status != "claimed":
            if entry.published_at and (when is None or entry.status in (PUBLISHED, RETRACTED)):
                when = datetime.fromisoformat(entry.published_at)
            if entry.status == PUBLISHED and post.status == RETRACTED:
                return TargetState(target, RETRACTED, when, "to be deleted from the network by the next "
                                   "publisher run", entry.url, entry)
            return TargetState(target, entry.status, when, entry.error or "", entry.url, entry)
        if post.status in (DRAFT, CANCELLED, RETRACTED):
            return TargetState(target, post.status, when, entry=entry)
        if entry is not None:
            return TargetState(target, CLAIMED, when, f"claimed by run {entry.run}", entry=entry)
        if post.id in self.blocked:
            return TargetState(target, BLOCKED, when, "; ".join(
                f"{f.file}:{f.line}: {f.rule} {f.message}" for f in self.blocked[post.id]))
        freeze = self.frozen(target)
        if freeze is not None:
            return TargetState(target, FROZEN, when, freeze.describe())
        embargo = post.embargo
        if embargo is not None and embargo > (when or self.now):
            return TargetState(target, EMBARGOED, when, f"embargoed until {embargo.isoformat()}")
        return TargetState(target, ON_MERGE if when is None else READY, when)

    def targets(self) -> list[TargetState]:
        """Every target of every post, in time order (on_merge ones last), then by key."""
        far = datetime.max.replace(tzinfo=timezone.utc)
        out = [self.of(t) for t in self.org.targets]
        out.sort(key=lambda s: (s.when or far, s.key))
        return out

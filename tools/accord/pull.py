"""accord metrics pull: the counts of what went out, read from each network and committed.

For every published target younger than the window (accord.yaml `metrics.days`, `--days`), each
account's platform is asked for the counts of the target's parts, in the largest batches its API
allows (the module's METRICS_BATCH), and state/metrics/<post-id>.json gets the totals and a point
of the daily series (metrics.py). Everything read in the run goes out in one commit through the
publisher's git sync (default-branch guard, rebase on a refused push), so a pull racing a publish
run loses neither's commits; a pull that reads what the files say already makes none.

A network that does not have a post any more (deleted by someone, or retracted through accord) is
recorded as such once, and not asked about again. One account failing (credentials, a rate limit
that does not reset soon, a 5xx) never stops the others.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Mapping

from . import metrics, platforms
from .gitsync import Sync
from .metrics import PostMetrics, TargetMetrics
from .model import Org, Target
from .platforms.base import Context, PlatformError, RateLimited
from .publisher import in_shard
from .state import State

RATE_LIMIT_WAIT = timedelta(minutes=15)  # wait this long at most for a rate limit to reset
RATE_LIMIT_TRIES = 3


@dataclass
class Options:
    days: int
    accounts: tuple[str, ...] = ()
    shard: tuple[int, int] | None = None


@dataclass
class Read:
    """What one pull learnt of one target."""

    target: Target
    totals: dict[str, int] = field(default_factory=dict)
    parts: list[dict] = field(default_factory=list)  # threads: {"id", "totals"} per part
    gone: bool = False


@dataclass
class AccountPull:
    """One account's share of the run, as the summary shows it."""

    account: str
    platform: str
    targets: int
    read: int = 0
    gone: int = 0
    requests: int = 0
    status: str = "ok"  # ok, failed, no-metrics (a platform with no network to ask)
    detail: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Report:
    now: datetime
    days: int
    accounts: list[AccountPull] = field(default_factory=list)
    changed: int = 0  # metrics files written
    notices: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if any(a.status == "failed" for a in self.accounts) else 0

    def to_dict(self) -> dict:
        return {"now": self.now.isoformat(), "days": self.days, "changed": self.changed, "notices": self.notices,
                "accounts": [a.to_dict() for a in self.accounts], "exit_code": self.exit_code}


def due(state: State, options: Options) -> dict[str, list[Target]]:
    """The targets to read, by account id: published within the window, still on the network as
    far as accord knows; and retracted ones whose metrics file does not say so yet."""
    since = state.now - timedelta(days=options.days)
    out: dict[str, list[Target]] = {}
    for t in state.org.targets:
        if options.accounts and t.account.id not in options.accounts or not in_shard(t.key, options.shard):
            continue
        entry = state.entry(t)
        if entry is None or entry.status not in ("published", "retracted") or not entry.published_at:
            continue
        known = state.metrics_of(t)
        if known is not None and known.gone_at:
            continue
        if entry.status == "retracted" or datetime.fromisoformat(entry.published_at) >= since:
            out.setdefault(t.account.id, []).append(t)
    return out


class Puller:
    def __init__(self, org: Org, sync: Sync, now: datetime, options: Options, env: Mapping[str, str],
                 progress: Callable[[int], None] = lambda n: None):
        self.org, self.sync, self.now, self.options, self.env = org, sync, now, options, env
        self.progress = progress  # told how many ids were just read
        self.state = State(org, now)
        self.report = Report(now, options.days, notices=list(sync.notices))
        self.folder = metrics.folder(sync.base, org.settings.state_path)

    def ids(self, targets: dict[str, list[Target]]) -> int:
        """How many post ids the run asks about (for a progress bar)."""
        return sum(len(self._parts(t)) for ts in targets.values() for t in ts
                   if self.state.entry(t).status == "published")

    def pull(self, targets: dict[str, list[Target]]) -> Report:
        reads: list[Read] = []
        for account_id in sorted(targets):
            reads += self._account(self.org.accounts[account_id], targets[account_id])
        if reads:
            self.sync.change(f"accord: metrics of {len(reads)} target(s) [skip ci]\n\naccord metrics pull",
                             self.folder, lambda: self._write(reads))
        return self.report

    def _parts(self, t: Target) -> list[str]:
        entry = self.state.entry(t)
        return [p["id"] for p in entry.parts] or ([entry.id] if entry.id else [])

    def _account(self, account, targets: list[Target]) -> list[Read]:
        pull = AccountPull(account.id, account.platform, len(targets))
        self.report.accounts.append(pull)
        reads = [Read(t, gone=True) for t in targets if self.state.entry(t).status == "retracted"]
        pull.gone = len(reads)
        live = [t for t in targets if self.state.entry(t).status == "published"]
        module = platforms.module(account.platform)
        if not getattr(module, "METRICS", True):
            pull.status, pull.detail = "no-metrics", f"{account.platform} has no network to ask: its targets have no metrics"
            return reads
        if not live:
            return reads
        try:
            platform = platforms.connect(account, self.env, Context(self.org.root / self.org.settings.outbox_dir))
        except PlatformError as exc:
            pull.status, pull.detail = "failed", f"{exc} No metrics were read for this account."
            return reads
        ids = [i for t in live for i in self._parts(t)]
        size = getattr(module, "METRICS_BATCH", None) or len(ids)
        counts: dict[str, dict[str, int]] = {}
        asked: set[str] = set()
        for start in range(0, len(ids), size):
            batch = ids[start:start + size]
            try:
                counts.update(self._ask(platform, batch, pull))
            except PlatformError as exc:
                pull.status = "failed"
                pull.detail = (f"{exc} Gave up on this account after {len(asked)} of {len(ids)} post ids; "
                               f"what was read is kept, the rest is read by the next pull.")
                break
            asked.update(batch)
            self.progress(len(batch))
        for t in live:
            parts = self._parts(t)
            if not parts or not asked.issuperset(parts):
                continue
            if parts[0] not in counts:  # the network does not have it: deleted by someone
                reads.append(Read(t, gone=True))
                pull.gone += 1
                continue
            found = [counts[i] for i in parts if i in counts]
            totals: dict[str, int] = {}
            for c in found:
                for name, value in c.items():
                    totals[name] = totals.get(name, 0) + value
            per_part = [{"id": i, "totals": counts[i]} for i in parts if i in counts] if len(parts) > 1 else []
            reads.append(Read(t, totals, per_part))
            pull.read += 1
        return reads

    def _ask(self, platform, batch: list[str], pull: AccountPull) -> Mapping[str, dict[str, int]]:
        for attempt in range(RATE_LIMIT_TRIES):
            pull.requests += 1
            try:
                return platform.metrics(batch)
            except RateLimited as exc:
                reset = exc.reset_at
                wait = (reset - datetime.now(timezone.utc)).total_seconds() + 1 if reset else None
                if wait is None:
                    raise PlatformError(str(exc)) from None
                if wait > RATE_LIMIT_WAIT.total_seconds():
                    raise PlatformError(f"{exc} That is longer than accord waits "
                                        f"({int(RATE_LIMIT_WAIT.total_seconds() // 60)} min).") from None
                if attempt == RATE_LIMIT_TRIES - 1:
                    raise PlatformError(f"{exc} Still limited after waiting {attempt} time(s).") from None
                time.sleep(max(wait, 0))
        raise AssertionError("unreachable")  # the loop returns or raises

    def _write(self, reads: list[Read]) -> bool:
        """Apply what was read to the files as they are now (again after a refused push)."""
        by_post: dict[str, list[Read]] = {}
        for r in reads:
            by_post.setdefault(r.target.post.id, []).append(r)
        changed = 0
        for post_id in sorted(by_post):
            record = metrics.load(self.folder, post_id) or PostMetrics(post_id)
            moved = False
            for r in by_post[post_id]:
                account = r.target.account
                known = record.targets.get(account.id)
                if r.gone:
                    if known is None:
                        known = record.targets[account.id] = TargetMetrics(account.platform, _iso(self.now))
                    if not known.gone_at:
                        entry = self.state.entry(r.target)
                        known.gone_at = entry.retracted_at if entry.status == "retracted" and entry.retracted_at \
                            else _iso(self.now)
                        moved = True
                    continue
                if known is None:
                    known = record.targets[account.id] = TargetMetrics(account.platform, "")
                moved = known.read(r.totals, r.parts, self.now) or moved
            if moved:
                metrics.save(self.folder, record)
                changed += 1
        self.report.changed = changed
        return changed > 0


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="seconds")


# --- reports ----------------------------------------------------------------------------------


def text(report: Report) -> str:
    lines = [f"accord metrics pull · published in the last {report.days} days · {report.now:%Y-%m-%d %H:%M} UTC"]
    lines += [f"note: {n}" for n in report.notices]
    for a in report.accounts:
        lines.append(f"{a.status:<10} {a.account} ({a.platform}): " + _line(a))
    lines.append(f"summary: {sum(a.read for a in report.accounts)} target(s) read, "
                 f"{sum(a.gone for a in report.accounts)} gone, {report.changed} metrics file(s) changed"
                 + ("" if report.accounts else "; nothing published in the window"))
    return "\n".join(lines)


def _line(a: AccountPull) -> str:
    bits = [f"{a.read} of {a.targets} target(s) read in {a.requests} request(s)"] if a.status != "no-metrics" else []
    if a.gone:
        bits.append(f"{a.gone} no longer on the network")
    if a.detail:
        bits.append(a.detail)
    return "; ".join(bits)


def markdown(report: Report) -> str:
    lines = ["### accord metrics pull", "", text(report).splitlines()[-1].removeprefix("summary: "), ""]
    lines += [f"> {n}" for n in report.notices]
    if report.accounts:
        lines += ["| status | account | details |", "|---|---|---|"]
        lines += [f"| {a.status} | {a.account} ({a.platform}) | {_cell(_line(a))} |" for a in report.accounts]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def step_summary(report: Report, env: Mapping[str, str]) -> None:
    path = env.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(Path(path), "a", encoding="utf-8") as f:
            f.write(markdown(report))

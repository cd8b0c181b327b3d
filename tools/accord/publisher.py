"""accord publish: what is due goes out on time, exactly once, and the ledger in git says so.

A run plans from the model and the ledger, then, target by target:
claim in the ledger -> commit -> push (the push is the lock: a refused push means another run
may have claimed it; the claim is re-applied on top of the origin and left alone if so) -> call
the platform -> record -> commit -> push. A claim left by a run that died is reconciled with the
platform (`find`) before anything is sent again; an unknown outcome is never retried blind.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Mapping

from . import audit, compose, ledger, platforms
from .gitsync import PushFailed, Sync, crash_point
from .ledger import Entry, Record
from .model import Org, Target, outside
from .preflight import Preflight
from .state import State
from .platforms.base import (
    Context,
    CredentialsRefused,
    PlatformError,
    Posted,
    RateLimited,
    Rejected,
    Request,
    Unknown,
)

RATE_LIMIT_WAIT = timedelta(minutes=15)  # wait this long at most for a rate limit to reset
FIND_SLACK = timedelta(minutes=5)  # clocks of runner and network differ a little
FAILURES = ("failed", "unknown", "missed", "blocked")  # each makes the run exit 1


@dataclass
class Options:
    look_ahead: timedelta
    accounts: tuple[str, ...] = ()
    shard: tuple[int, int] | None = None  # (i, n), i from 1
    dry_run: bool = False


class Clock:
    """The real clock, or with --now a fixed one that moves only when the run waits."""

    def __init__(self, fixed: datetime | None = None):
        self._fixed = fixed

    def now(self) -> datetime:
        return self._fixed if self._fixed is not None else datetime.now(timezone.utc)

    def sleep_until(self, when: datetime) -> None:
        if self._fixed is not None:
            self._fixed = max(self._fixed, when)
            return
        delay = (when - self.now()).total_seconds()
        if delay > 0:
            time.sleep(delay)


@dataclass
class Outcome:
    """What happened to one target in this run (or, in a dry run, what would)."""

    target: str
    post: str
    account: str
    platform: str
    status: str  # published retracted failed unknown missed blocked waiting frozen | due (dry run)
    detail: str = ""
    due_at: datetime | None = None
    at: datetime | None = None
    lateness_s: int | None = None
    url: str | None = None

    def to_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()}


@dataclass
class Report:
    run: str
    started: datetime
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # What did not happen and should have: a file the plan could not read, a ledger change that
    # did not reach the origin. Each is a line of the report and makes the run exit 1.
    problems: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.problems or any(o.status in FAILURES for o in self.outcomes) else 0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def to_dict(self) -> dict:
        return {"run": self.run, "started": self.started.isoformat(), "dry_run": self.dry_run,
                "notices": self.notices, "problems": self.problems, "outcomes": [o.to_dict() for o in self.outcomes],
                "exit_code": self.exit_code}


# --- planning ---------------------------------------------------------------------------------


@dataclass
class Step:
    target: Target
    action: str  # publish reconcile retract missed wait frozen blocked
    when: datetime | None  # when to act; for a wait, when it becomes due
    due_at: datetime | None  # as scheduled; None for on_merge
    detail: str = ""
    seen: Entry | None = None  # the target's ledger entry at planning time
    reply_to: str | None = None
    quote: str | None = None


def run_id(env: Mapping[str, str]) -> str:
    tail = secrets.token_hex(4)
    if env.get("GITHUB_RUN_ID"):
        return f"gh-{env['GITHUB_RUN_ID']}.{env.get('GITHUB_RUN_ATTEMPT', '1')}-{tail}"
    return f"local-{tail}"


def in_shard(key: str, shard: tuple[int, int] | None) -> bool:
    if shard is None:
        return True
    i, n = shard
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % n == i - 1


def plan(state: State, options: Options) -> list[Step]:
    org, records, now = state.org, state.records, state.now
    s = org.settings
    horizon = now + options.look_ahead
    steps = []
    for t in org.targets:
        if options.accounts and t.account.id not in options.accounts:
            continue
        if not in_shard(t.key, options.shard):
            continue
        rec = records.get(t.post.id)
        seen = rec.targets.get(t.account.id) if rec else None
        due = t.publish_at
        if t.post.status == "retracted":
            if seen is not None and seen.status == "published":
                steps.append(Step(t, "retract", now, due, seen=seen))
            continue
        if t.post.status != "ready":
            continue
        if seen is not None and seen.status in ledger.DONE:
            if seen.holds(t.post.fingerprint()):
                continue
            # failed or missed, and the post changed since: due again, as if never tried
        elif seen is not None:  # claimed
            # A run claims what it waits for within its look-ahead too: its claim is stale only
            # claim_timeout after the later of the claim and the time the target was due.
            since = seen.claimed_since()
            live = max(since, due, t.post.embargo or due) if since is not None and due is not None else since
            if live is not None and now - live < s.claim_timeout:
                steps.append(Step(t, "wait", due, due, f"claimed by run {seen.run} at "
                                  f"{_hm(since)}; that run is publishing it", seen=seen))
                continue
        claimed = seen is not None and seen.status == "claimed"
        when = due or now
        embargo = t.post.embargo
        if embargo is not None and embargo > when:
            when = embargo
        late = due is not None and now - due > s.max_lateness
        findings = state.blocked.get(t.post.id)
        if findings and not claimed and when <= horizon:
            steps.append(Step(t, "blocked", when, due, state.of(t).detail, seen=seen))
            continue
        freeze = state.frozen(t)
        why = freeze.describe() if freeze else ""
        if why and (claimed or when <= horizon):
            steps.append(Step(t, "frozen", when, due, why, seen=seen))
            continue
        if not claimed and when > horizon:
            detail = f"embargoed until {_hm(embargo)}" if embargo is not None and when == embargo else ""
            steps.append(Step(t, "wait", when, due, detail, seen=seen))
            continue
        if not claimed and late:
            steps.append(Step(t, "missed", when, due, f"due {_hm(due)}, {_span(now - due)} ago: "
                              f"later than max_lateness ({_span(s.max_lateness)}); not posted stale", seen=seen))
            continue
        reply_to, quote, missing = _references(org, records, t)
        if missing:
            steps.append(Step(t, "wait", when, due, missing, seen=seen))
        else:
            steps.append(Step(t, "reconcile" if claimed else "publish", max(when, now), due,
                              seen=seen, reply_to=reply_to, quote=quote))
    steps.sort(key=lambda st: (st.when or now, st.target.key))
    return steps


def _references(org: Org, records: dict[str, Record], t: Target) -> tuple[str | None, str | None, str]:
    """reply_to and quote as platform ids: another post's id on this account (from the ledger),
    a URL on the network (its last segment), or an id as written."""
    out = []
    for value in (t.post.reply_to, t.post.quote):
        if value is None or value not in org.posts:
            out.append(value.rstrip("/").rsplit("/", 1)[-1] if value and "://" in value else value)
            continue
        rec = records.get(value)
        entry = rec.targets.get(t.account.id) if rec else None
        if entry is None or entry.status != "published":
            return None, None, f"refers to {value}, which is not published on {t.account.id} yet"
        out.append(entry.parts[-1]["id"] if value == t.post.reply_to and entry.parts else entry.id)
    return out[0], out[1], ""


# --- running ----------------------------------------------------------------------------------


class Publisher:
    def __init__(self, org: Org, sync: Sync, clock: Clock, options: Options, env: Mapping[str, str],
                 found: Preflight | None = None):
        self.org = org
        self.found = found or Preflight()
        self.sync = sync
        self.clock = clock
        self.options = options
        self.env = env
        self.run = run_id(env)
        self.ledger = ledger.folder(sync.base, org.settings.state_path)
        self.outbox = org.root / org.settings.outbox_dir
        unloaded = [f"{f.file} does not load, so none of its targets can be planned: line {f.line}: {f.rule} "
                    f"{f.message}" for f in self.found.unloaded]
        self.report = Report(self.run, clock.now(), options.dry_run, notices=list(sync.notices),
                             problems=[*sync.problems, *unloaded])
        self._platforms: dict[str, object] = {}
        self._trails: dict[str, dict] = {}  # by post id: what its publish record names (audit.py)

    def publish(self) -> Report:
        now = self.clock.now()
        state = State(self.org, now, blocked=self.found.blocked, records=ledger.read_folder(self.ledger, self.sync.base))
        steps = plan(state, self.options)
        if self.options.dry_run:
            for st in steps:
                status = {"publish": "due", "reconcile": "due", "retract": "retracted"}.get(st.action, st.action)
                detail = {"reconcile": "a claim left by an earlier run: would ask the platform first",
                          "retract": "would delete it from the network"}.get(st.action, st.detail)
                self._outcome(st, status if status != "wait" else "waiting", detail)
            return self.report
        self._missed([st for st in steps if st.action == "missed"])
        for st in steps:
            if st.action in ("wait", "frozen", "blocked"):
                self._outcome(st, "waiting" if st.action == "wait" else st.action, st.detail)
        # Every claim of the run in one commit, pushed before any network call; then each target
        # when its time comes (bounded: within the look-ahead), its record pushed at once.
        mine = self._claim_all([st for st in steps if st.action in ("publish", "reconcile")])
        # GitHub is asked only now that the claims are pushed, and before any wait for a due time
        self._trails = audit.trails(self.org.root, [st.target.post for st in mine], self.env, self.report.notices)
        for st in steps:
            if st.action == "retract":
                self._retract(st)
        batches: dict[datetime, list[Step]] = {}
        for st in mine:
            batches.setdefault(max(st.when, now), []).append(st)
        for when in sorted(batches):
            self.clock.sleep_until(when)
            for st in batches[when]:
                self._attempt(st)
        self.report.outcomes.sort(key=lambda o: (_ORDER.index(o.status), o.due_at or self.report.started, o.target))
        if self.sync.unpushed:
            self.report.problems.append(f"the ledger was committed here but not pushed ({self.sync.unpushed}): "
                                        f"another run cannot see these claims and records")
        return self.report

    # - claims and records -

    def _change(self, message: str, apply) -> None:
        """A ledger commit; its subject names the run and what it did."""
        self.sync.change(f"accord {self.run}: {message} [skip ci]", self.ledger, apply)

    def _edit(self, t: Target, edit) -> bool:
        """Load the post's record, let `edit(record, entry)` change it, save it."""
        rec = ledger.load(self.ledger, t.post.id, self.sync.base) or Record(t.post.id)
        if edit(rec, rec.targets.get(t.account.id)) is False:
            return False
        path = ledger.file_of(self.ledger, t.post.id)
        if rec.targets:
            ledger.save(self.ledger, rec)
        elif path.exists():
            path.unlink()
        return True

    def _missed(self, steps: list[Step]) -> None:
        now = self.clock.now()

        def edit(st):
            def f(rec, cur):
                if cur != st.seen:
                    return False
                rec.targets[st.target.account.id] = Entry(
                    "missed", platform=st.target.account.platform, run=self.run,
                    lateness_s=int((now - st.due_at).total_seconds()), error=st.detail,
                    fingerprint=st.target.post.fingerprint())
            return f

        try:
            if steps:
                self._change(f"record {_plural(len(steps), 'missed target')}: {_keys(steps)}",
                             lambda: any([self._edit(st.target, edit(st)) for st in steps]))
        except PushFailed as exc:
            self.report.problems.append(f"missed targets could not be recorded: {exc}")
        for st in steps:
            self._outcome(st, "missed", st.detail, lateness_s=int((now - st.due_at).total_seconds()))

    def _claim(self, steps: list[Step]) -> list[Step]:
        now = _iso(self.clock.now())
        mine: list[Step] = []

        def claim(st):
            def f(rec, cur):
                # free, or as planned: a stale claim, or a failed or missed outcome of an older text
                if cur != st.seen:
                    return False
                resume = cur is not None and cur.status == "claimed"
                rec.targets[st.target.account.id] = Entry(
                    "claimed", platform=st.target.account.platform, claimed_at=now, run=self.run,
                    attempts=(cur.attempts if cur else 0) + 1, parts=list(cur.parts) if resume else [])
                mine.append(st)
            return f

        def apply():
            mine.clear()
            return any([self._edit(st.target, claim(st)) for st in steps])

        self._change(f"claim {_plural(len(steps), 'target')}: {_keys(steps)}", apply)
        return list(mine)

    def _record(self, t: Target, message: str, **fields) -> None:
        def f(rec, cur):
            entry = cur or Entry("claimed", platform=t.account.platform, run=self.run)
            for k, v in fields.items():
                setattr(entry, k, v)
            if entry.status == "published" and rec.fingerprint is None:
                rec.fingerprint = t.post.fingerprint()
            rec.targets[t.account.id] = entry

        self._change(message, lambda: self._edit(t, f))

    def _release(self, t: Target, reason: str) -> None:
        """Give the target back for the next run (rate limited): a thread keeps its parts and
        its claim, so the next run after the claim timeout resumes it through reconciliation."""
        def f(rec, cur):
            if cur is None:
                return False
            if cur.parts:
                cur.error = reason
            else:
                del rec.targets[t.account.id]

        self._change(f"release {t.key}", lambda: self._edit(t, f))

    # - publishing -

    def _platform(self, account):
        if account.id not in self._platforms:
            try:
                self._platforms[account.id] = platforms.connect(account, self.env, Context(self.outbox))
            except PlatformError as exc:
                self._platforms[account.id] = exc
        return self._platforms[account.id]

    def _claim_all(self, steps: list[Step]) -> list[Step]:
        """Claim what can be sent (credentials present, media inside the repository); the steps
        this run claimed."""
        ready = []
        real_root = os.path.realpath(self.org.root)
        for st in steps:
            p = self._platform(st.target.account)
            away = [m.path for part in st.target.post.parts for m in part.media
                    if outside(m.file(st.target.post.doc), real_root)]
            if isinstance(p, PlatformError):
                self._outcome(st, "failed", f"{p} Nothing was posted; the next run tries again.")
            elif away:  # `accord check` says so too (platform.media-outside); never uploaded
                self._outcome(st, "failed", f"{away[0]} is outside the repository; nothing was posted")
            else:
                ready.append(st)
        if not ready:
            return []
        try:
            mine = self._claim(ready)
        except PushFailed as exc:
            for st in ready:
                self._outcome(st, "failed", f"could not push the claim, so nothing was posted: {exc}")
            return []
        crash_point("claimed")
        ours = {id(st) for st in mine}
        for st in ready:
            if id(st) not in ours:
                self._outcome(st, "waiting", "another run claimed it first")
        return mine

    def _attempt(self, st: Step) -> None:
        try:
            self._send(st, self._platforms[st.target.account.id])
        except PushFailed as exc:
            self._outcome(st, "unknown", f"the ledger could not be pushed ({exc}); the next run "
                          f"reconciles with the platform")
        except Exception as exc:  # an adapter bug must not stop the other targets
            reason = f"unexpected error while publishing: {type(exc).__name__}: {exc}"
            self._settle_unknown(st, reason)

    def _settle_unknown(self, st: Step, reason: str) -> None:
        try:
            self._record(st.target, f"{st.target.key} needs a person", status="unknown", error=reason)
        except PushFailed as exc:
            self.report.problems.append(f"{st.target.key}: its unknown outcome could not be recorded: {exc}")
        self._outcome(st, "unknown", reason)

    def _send(self, st: Step, platform) -> None:
        t = st.target
        parts = compose.parts(self.org, t)
        reconcile = st.action == "reconcile"
        done = list(st.seen.parts) if reconcile else []
        # The network's clock is the real one: a search from a fixed clock (tests) could start
        # after the post it looks for.
        real = datetime.now(timezone.utc)
        since = min((st.seen.claimed_since() if reconcile else None) or real, real) - FIND_SLACK
        if done and len(done) >= len(parts):  # a thread cut short after its parts went out
            return self._published(st, done, f"the post has {len(parts)} part(s) now; {len(done)} went out "
                                                f"before it was edited")
        while len(done) < len(parts):
            i = len(done)
            request = Request(f"{t.key}#{i}", parts[i], reply_to=done[-1]["id"] if done else st.reply_to,
                              quote=st.quote if i == 0 else None)
            posted = None
            if reconcile:
                try:
                    posted = platform.find(request, since)
                except CredentialsRefused as exc:  # the claim stays: the next run asks again
                    return self._outcome(st, "failed", f"{exc} Could not ask whether it went out; the next "
                                         f"run asks again.")
                except PlatformError as exc:
                    return self._settle_unknown(st, f"run {st.seen.run} claimed this at "
                                                f"{st.seen.claimed_at} and stopped before recording it; "
                                                f"asking {t.account.platform} whether it went out failed: {exc}")
                if posted is None:
                    reconcile = False  # the platform has none of the rest: they are sent now
                    late = st.due_at is not None and self.clock.now() - st.due_at > self.org.settings.max_lateness
                    if not done and late:
                        return self._finish_missed(st)
            if posted is None:
                try:
                    posted = self._publish_part(platform, request)
                except RateLimited as exc:
                    self._release(t, str(exc))
                    return self._outcome(st, "waiting", f"{exc} Left for the next run.")
                except CredentialsRefused as exc:  # nothing was posted: failed now, not for good
                    self._release(t, str(exc))
                    return self._outcome(st, "failed", f"{exc} Nothing was posted; the next run tries again.")
                except Rejected as exc:
                    where = f"part {i + 1} of {len(parts)}: " if len(parts) > 1 else ""
                    self._record(t, f"{t.key} failed", status="failed", error=f"{where}{exc}",
                                 fingerprint=t.post.fingerprint())
                    return self._outcome(st, "failed", f"{where}{exc}")
                except Unknown as exc:
                    crash_point("unknown")
                    try:
                        posted = platform.find(request, since)
                    except PlatformError as again:
                        return self._settle_unknown(st, f"{exc} Asking again failed too: {again}")
                    if posted is None:
                        return self._settle_unknown(st, f"{exc} It is not on the account yet; look "
                                                    f"there before posting it by hand")
            crash_point("posted")
            done.append({"id": posted.id, "url": posted.url, "at": _iso(self.clock.now())})
            if len(done) == len(parts):
                return self._published(st, done)
            self._record(t, f"{t.key} part {i + 1} of {len(parts)}", parts=list(done), id=done[0]["id"],
                         url=done[0]["url"], error=None)
            crash_point("part")

    def _published(self, st: Step, done: list[dict], note: str = "") -> None:
        t = st.target
        now = self.clock.now()
        lateness = max(0, int((now - st.due_at).total_seconds())) if st.due_at else None
        self._record(t, f"published {t.key}", parts=list(done), id=done[0]["id"], url=done[0]["url"],
                     error=None, status="published", published_at=_iso(now), lateness_s=lateness,
                     audit=self._trails.get(t.post.id))
        crash_point("recorded")
        self._outcome(st, "published", f"{_on_time(lateness)}; {note}" if note else _on_time(lateness), at=now,
                      lateness_s=lateness, url=done[0]["url"])

    def _publish_part(self, platform, request: Request) -> Posted:
        for _ in range(3):
            try:
                return platform.publish(request)
            except RateLimited as exc:
                reset = exc.reset_at
                if reset is None or reset - self.clock.now() > RATE_LIMIT_WAIT:
                    raise
                self.clock.sleep_until(reset + timedelta(seconds=1))
        return platform.publish(request)

    def _finish_missed(self, st: Step) -> None:
        now = self.clock.now()
        detail = (f"run {st.seen.run} claimed it and stopped before posting; by now it is "
                  f"{_span(now - st.due_at)} late, more than max_lateness: not posted stale")
        lateness = int((now - st.due_at).total_seconds())
        self._record(st.target, f"{st.target.key} missed", status="missed", error=detail,
                     lateness_s=lateness, fingerprint=st.target.post.fingerprint())
        self._outcome(st, "missed", detail, lateness_s=lateness)

    def _retract(self, st: Step) -> None:
        t = st.target
        p = self._platform(t.account)
        if isinstance(p, PlatformError):
            return self._outcome(st, "failed", f"could not retract: {p}")
        ids = [part["id"] for part in st.seen.parts] or [st.seen.id]
        try:
            for post_id in reversed(ids):
                p.delete(post_id)
        except PlatformError as exc:
            return self._outcome(st, "failed", f"could not delete it from {t.account.platform}: {exc}")
        now = self.clock.now()
        try:
            self._record(t, f"retracted {t.key}", status="retracted", retracted_at=_iso(now),
                         run=self.run, error=None)
        except PushFailed as exc:
            return self._outcome(st, "failed", f"deleted, but the record could not be pushed: {exc}")
        self._outcome(st, "retracted", f"deleted from {t.account.platform}", at=now)

    def _outcome(self, st: Step, status: str, detail: str = "", **kw) -> None:
        t = st.target
        self.report.outcomes.append(Outcome(t.key, t.post.id, t.account.id, t.account.platform, status,
                                            detail, st.due_at or (st.when if st.action == "wait" else None), **kw))


_ORDER = ("published", "retracted", "blocked", "failed", "unknown", "missed", "due", "frozen", "waiting")


# --- reports ----------------------------------------------------------------------------------

WAITING_SHOWN = 10


def text(report: Report) -> str:
    head = f"accord publish{' --dry-run' if report.dry_run else ''} · run {report.run} · {_hm(report.started)}"
    lines = [head]
    lines += [f"note: {n}" for n in report.notices]
    lines += [f"problem: {p}" for p in report.problems]
    waiting = [o for o in report.outcomes if o.status == "waiting"]
    for o in report.outcomes:
        if o.status == "waiting":
            continue
        lines.append(f"{o.status:<10} {o.post} → {o.account} ({o.platform})" + _tail(o))
    for o in waiting[:WAITING_SHOWN]:
        lines.append(f"{'waiting':<10} {o.post} → {o.account}" + _tail(o))
    if len(waiting) > WAITING_SHOWN:
        lines.append(f"           … and {len(waiting) - WAITING_SHOWN} more waiting")
    lines.append(_summary(report))
    return "\n".join(lines)


def _tail(o: Outcome) -> str:
    bits = []
    if o.status in ("waiting", "frozen", "due") and o.due_at:
        bits.append(f"due {_hm(o.due_at)}")
    if o.detail:
        bits.append(o.detail)
    if o.url:
        bits.append(o.url)
    return ": " + "; ".join(bits) if bits else ""


def _summary(report: Report) -> str:
    counts = [f"{report.count(s)} {s}" for s in _ORDER if report.count(s)]
    if report.problems:
        counts.append(_plural(len(report.problems), "problem"))
    return "summary: " + (", ".join(counts) if counts else "nothing due")


def markdown(report: Report) -> str:
    lines = [f"### accord publish{' (dry run)' if report.dry_run else ''}", "", _summary(report).replace("summary: ", ""), ""]
    lines += [f"> {n}" for n in report.notices]
    lines += [f"> **problem:** {p}" for p in report.problems]
    shown = [o for o in report.outcomes if o.status != "waiting"] + \
        [o for o in report.outcomes if o.status == "waiting"][:WAITING_SHOWN]
    if shown:
        lines += ["| status | post | account | details |", "|---|---|---|---|"]
        for o in shown:
            detail = _tail(o).removeprefix(": ").replace("|", "\\|")
            lines.append(f"| {o.status} | `{o.post}` | {o.account} ({o.platform}) | {detail} |")
    return "\n".join(lines) + "\n"


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")


def _hm(dt: datetime | None) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if dt else "?"


def _span(delta: timedelta) -> str:
    s = int(delta.total_seconds())
    d, rest = divmod(s, 86400)
    h, rest = divmod(rest, 3600)
    m, sec = divmod(rest, 60)
    out = "".join(f"{v}{u}" for v, u in ((d, "d"), (h, "h"), (m, "m")) if v)
    return out or f"{sec}s"


def _on_time(lateness: int | None) -> str:
    if lateness is None:
        return "on merge"
    return "on time" if lateness < 60 else f"{_span(timedelta(seconds=lateness))} late"


def _keys(steps: list[Step], shown: int = 5) -> str:
    """The targets a commit is about, for its subject line."""
    keys = [st.target.key for st in steps]
    return ", ".join(keys[:shown]) + (f" and {len(keys) - shown} more" if len(keys) > shown else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def step_summary(report: Report, env: Mapping[str, str]) -> None:
    path = env.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(Path(path), "a", encoding="utf-8") as f:
            f.write(markdown(report))


"""The metric vocabulary: what accord calls each count, and what kind of evidence it is.

Every network's adapter returns its counts under these names (its own `METRICS` says which it
reports); objectives, the metrics files and the report read them. Metrics fall in three classes.
Business metrics show a campaign moved the business; engagement shows people talked back; vanity
counts grow with spend and noise and show neither.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

# Counts a network reports per post (an adapter leaves out what its network does not report: a
# missing count is unknown, never zero).
IMPRESSIONS = "impressions"
LIKES = "likes"
REPOSTS = "reposts"
REPLIES = "replies"
QUOTES = "quotes"
BOOKMARKS = "bookmarks"
LINK_CLICKS = "link_clicks"
PROFILE_CLICKS = "profile_clicks"
ENGAGEMENTS = "engagements"  # every interaction the network counts; derived where it reports none
NETWORK = (IMPRESSIONS, LIKES, REPOSTS, REPLIES, QUOTES, BOOKMARKS, LINK_CLICKS, PROFILE_CLICKS, ENGAGEMENTS)

# Interactions summed into `engagements` where a network reports no such total.
INTERACTIONS = (LIKES, REPOSTS, REPLIES, QUOTES, BOOKMARKS, LINK_CLICKS, PROFILE_CLICKS)

# Derived by accord, never fetched: engagements per impression.
ENGAGEMENT_RATE = "engagement_rate"

# Counts no network reports: they come as CSV under state/business/ (web analytics, a CRM).
BUSINESS = ("sign_ups", "trials", "applications", "leads", "sales")

CLASSES = {
    "business": (LINK_CLICKS, *BUSINESS),
    "engagement": (REPLIES, REPOSTS, QUOTES, BOOKMARKS, PROFILE_CLICKS, ENGAGEMENTS, ENGAGEMENT_RATE),
    "vanity": (IMPRESSIONS, LIKES, "followers"),
}
CLASS_OF = {m: cls for cls, names in CLASSES.items() for m in names}


def class_of(metric: str) -> str | None:
    """business, engagement or vanity; None for a name accord does not know."""
    return CLASS_OF.get(metric)


def with_engagements(counts: dict[str, int]) -> dict[str, int]:
    """`counts` with `engagements` summed from the interactions it holds, unless the network
    gave its own total."""
    if ENGAGEMENTS in counts:
        return counts
    return {**counts, ENGAGEMENTS: sum(counts.get(name, 0) for name in INTERACTIONS)}


# --- state/metrics/<post-id>.json: what the last pulls read, per target -----------------------
#
# {"post": ID, "targets": {ACCOUNT: {"platform", "fetched_at", "totals": {metric: n},
#  "parts": [{"id", "totals"}] (threads: per part; totals are their sum),
#  "daily": {metric: {YYYY-MM-DD: n}} (the day's last value; a point only where it moved, so a
#  post whose counts settled adds nothing; one line a point, so a pull's diff is a line a count),
#  "gone_at" (the network no longer has the post)}}}
# Written with sorted keys and a trailing newline: a pull that reads what the file says already
# on the same day leaves it byte for byte as it was, so it makes no commit.


# A post's metrics file holds its targets' totals and one point a day per metric: a few hundred kB
# after a year on several networks. Far more is not a file the pull wrote.
METRICS_LIMIT = 4 << 20


class MetricsError(ValueError):
    """A metrics file cannot be read; the message names it."""


@dataclass
class TargetMetrics:
    """One target's counts as the last pull read them, and their daily history."""

    platform: str
    fetched_at: str  # when these totals were first read (a same-day pull reading the same leaves it)
    totals: dict[str, int] = field(default_factory=dict)
    parts: list[dict] = field(default_factory=list)
    daily: dict[str, dict[str, int]] = field(default_factory=dict)
    gone_at: str | None = None

    def on(self, day: str, metric: str) -> int | None:
        """The metric's value at the end of `day` (YYYY-MM-DD), None before its first point."""
        before = [d for d in self.daily.get(metric, {}) if d <= day]
        return self.daily[metric][max(before)] if before else None

    def read(self, totals: dict[str, int], parts: list[dict], at: datetime) -> bool:
        """Take what a pull read at `at`; whether anything changed."""
        day = at.date().isoformat()
        if totals == self.totals and parts == self.parts and self.fetched_at[:10] == day and self.gone_at is None:
            return False
        for name, value in totals.items():
            series = self.daily.setdefault(name, {})
            series.pop(day, None)  # the day's last value stands for the day
            if self.on(day, name) != value:
                series[day] = value
        self.totals, self.parts, self.gone_at = dict(totals), list(parts), None
        self.fetched_at = at.isoformat(timespec="seconds")
        return True


@dataclass
class PostMetrics:
    post: str
    targets: dict[str, TargetMetrics] = field(default_factory=dict)  # by account id

    def to_json(self) -> str:
        data = {"post": self.post,
                "targets": {a: {k: v for k, v in asdict(t).items() if v not in (None, [], {})} | {"totals": t.totals}
                            for a, t in self.targets.items()}}
        return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, where) -> PostMetrics:
        try:
            data = json.loads(text)
            targets = {a: TargetMetrics(**t) for a, t in data["targets"].items()}
            for t in targets.values():
                if not (isinstance(t.fetched_at, str) and isinstance(t.totals, dict) and isinstance(t.daily, dict)):
                    raise TypeError("fetched_at, totals or daily has the wrong type")
            return cls(data["post"], targets)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise MetricsError(f"{where} is not a metrics file ({type(exc).__name__}: {exc}); it is "
                               f"machine-written: restore it from git history, or delete it and pull again") from None


def folder(base: Path, state_path: str) -> Path:
    return base / state_path / "metrics"


def load(metrics: Path, post_id: str) -> PostMetrics | None:
    base = metrics.parent.parent
    where = (metrics / f"{post_id}.json").relative_to(base)  # as the repository names it: state/metrics/...
    try:
        return PostMetrics.from_json(_text(base, where), where)
    except FileNotFoundError:
        return None


def _text(base: Path, rel: Path) -> str:
    """A metrics file's text, read as accord reads every file (cache.read_bytes): never through a
    link that leads out of the repository, never a pipe or device, never more than METRICS_LIMIT."""
    from .files import Refused, read_bytes

    try:
        return read_bytes(base, str(rel), METRICS_LIMIT).decode("utf-8")
    except FileNotFoundError:
        raise
    except Refused as exc:
        raise MetricsError(f"{rel.as_posix()}: {exc.message}; it is machine-written: restore it from git history, "
                           f"or delete it and pull again") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MetricsError(f"{rel.as_posix()} cannot be read ({type(exc).__name__}); restore it from git "
                           f"history") from None


def save(metrics: Path, record: PostMetrics) -> None:
    """Written whole, then moved into place: a killed pull never leaves half a file."""
    path = metrics / f"{record.post}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(record.to_json(), "utf-8")
    os.replace(tmp, path)


def read(root: Path, settings) -> dict[str, PostMetrics]:
    """Every post's metrics file, by post id (from the state branch when accord.yaml names one)."""
    if settings.state_branch:
        import git

        prefix = f"{settings.state_path}/metrics/"
        try:
            repo = git.Repo(root)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return {}
        for ref in (f"origin/{settings.state_branch}", settings.state_branch):
            try:
                names = repo.git.ls_tree("-r", "--name-only", ref, "--", prefix).splitlines()
            except git.GitCommandError:
                continue
            return {rec.post: rec for rec in (PostMetrics.from_json(repo.git.show(f"{ref}:{n}"), f"{ref}:{n}")
                                              for n in sorted(names) if n.endswith(".json"))}
        return {}
    from .files import OUTSIDE, leads_outside

    top = folder(root, settings.state_path)
    if os.path.lexists(top) and leads_outside(root, os.path.relpath(top, root)):
        raise MetricsError(f"{top.relative_to(root).as_posix()}: {OUTSIDE[1]}")
    out = {}
    for path in sorted(top.rglob("*.json")) if top.is_dir() else ():
        rel = path.relative_to(root)
        try:
            text = _text(root, rel)
        except FileNotFoundError:  # a link to nothing
            raise MetricsError(f"{rel.as_posix()} is a link to nothing; restore it from git history") from None
        rec = PostMetrics.from_json(text, rel)
        out[rec.post] = rec
    return out

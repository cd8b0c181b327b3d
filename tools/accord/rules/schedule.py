"""When posts go out: spacing and caps per account, quiet hours, blackouts, campaign windows,
and enough time to review a new or changed post before it is due.

Limits come from an account's `limits`, else `defaults` in policies/schedule.yaml, else the
defaults below. Times are compared in the account's zone, so quiet hours and daily caps follow
the local clock across daylight-saving changes. Cross-post rules sort each account's targets
once and compare neighbours: the check stays linear in the number of posts.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from .. import times
from ..findings import Finding, Rule
from ..layout import account_id
from ..model import Account, Org, Post, Target
from ..revisions import GitError, git_paths
from . import Reach, Reads
from .published import records

if TYPE_CHECKING:
    from ..check.cache import Parsed
    from ..yamldoc import Doc

DEFAULTS = {"min_gap": "30m", "daily_cap": 10, "lead_time": "1h"}

_CONFIG = ("Limits: an account's `limits` (min_gap, daily_cap, quiet_hours, blackouts), else "
           "`defaults` in policies/schedule.yaml (built in: min_gap 30m, daily_cap 10, lead_time 1h, "
           "no quiet hours).")

READS = frozenset({Reads.FILES, Reads.GIT, Reads.LEDGER, Reads.CLOCK})
REACH = Reach.ACCOUNT_WINDOW
WANTED_ONLY = True

RULES = [
    Rule("schedule.min-gap", "error", "Posts of one team on one account are at least the minimum gap apart.", _CONFIG),
    Rule("schedule.collision", "error",
         "Posts of different teams on one account are at least the minimum gap apart; the finding "
         "names both files, so the two teams can agree who moves.", _CONFIG),
    Rule("schedule.daily-cap", "error", "An account gets at most its daily cap of posts per day in its own zone.", _CONFIG),
    Rule("schedule.quiet-hours", "error",
         "No post goes out during the account's quiet hours, read on its local clock.", _CONFIG),
    Rule("schedule.blackout", "error",
         "No post goes out in a blackout window (org-wide in policies/schedule.yaml, or the account's).",
         "blackouts: [{start, end, reason, accounts?, teams?}] in policies/schedule.yaml; "
         "limits.blackouts in an account file."),
    Rule("schedule.window", "error", "A post is scheduled inside its campaign's window."),
    Rule("schedule.past", "error",
         "A new or changed post is not scheduled in the past (compared with --base REV, else "
         "with the last commit; outside git, posts not yet in the ledger)."),
    Rule("schedule.lead-time", "warning",
         "A new or changed post leaves time for review before it is due.",
         "defaults.lead_time in policies/schedule.yaml (built in: 1h)."),
    Rule("schedule.base", "error", "The revision given with --base can be read from git."),
]


def gap_days(accounts: set[str], accounts_read: list[tuple[str, Parsed]], policies: dict[str, Doc]) -> int | None:
    """How far the schedule family looks around a post on these accounts (see check/narrow.py):
    their longest minimum gap in whole days, at least one (a daily cap counts a day); None when
    one cannot be read. `accounts_read`: (file, parsed) of every account file read."""
    policy = policies["schedule"].data if "schedule" in policies else {}
    defaults = policy.get("defaults") or {} if isinstance(policy, dict) else None
    if not isinstance(defaults, dict):
        return None
    longest = timedelta(days=1)
    for rel, p in accounts_read:
        if account_id(rel) not in accounts:
            continue
        limits = p.doc.data.get("limits") or {} if isinstance(p.doc.data, dict) else None
        raw = limits.get("min_gap", defaults.get("min_gap", DEFAULTS["min_gap"])) if isinstance(limits, dict) else None
        try:
            longest = max(longest, times.duration(raw))
        except (times.TimeError, TypeError):
            return None
    return -(-longest // timedelta(days=1))


def check(org: Org, ctx) -> list[Finding]:
    out: list[Finding] = []
    policy = org.policy("schedule")
    defaults = {**DEFAULTS, **(policy.get("defaults") or {})}
    blackouts = _policy_blackouts(org, policy, out)
    # A narrowed run only needs the accounts its posts go to (their neighbours may be anywhere).
    touched = None if ctx.only is None else {
        t.account.id for p in org.posts.values() if ctx.wants(p.doc.rel) for t in p.targets}
    per_account: dict[str, list[Target]] = {}
    for post in org.posts.values():
        if post.status != "ready":
            continue
        for t in post.targets:
            if t.publish_at is not None and (touched is None or t.account.id in touched):
                per_account.setdefault(t.account.id, []).append(t)
    told: set = set()  # (file, key) of each duration already reported unusable
    for _, targets in sorted(per_account.items()):
        account = targets[0].account
        limits = {**defaults, **account.limits}
        targets.sort(key=lambda t: (t.publish_at, t.post.id))
        out.extend(_gaps(account, targets, _duration(org, account, "min_gap", limits["min_gap"], out, told)))
        out.extend(_daily_cap(account, targets, limits["daily_cap"]))
        quiet = _quiet_hours(account, limits.get("quiet_hours"), out)
        windows = [b for b in blackouts if _applies(b, account)] + _account_blackouts(account, out)
        for t in targets:
            if not ctx.wants(t.post.doc.rel):
                continue
            if quiet:
                out.extend(_quiet(t, quiet))
            for b in windows:
                if b["start"] <= t.publish_at < b["end"]:
                    out.append(_at(t.post, "schedule.blackout",
                                   f"{account.id} is in a blackout at {_local(t.publish_at, account.timezone)}"
                                   f" ({_local(b['start'], account.timezone)} to {_local(b['end'], account.timezone)})"
                                   + (f": {b['reason']}" if b.get("reason") else ""),
                                   f"move publish_at to {_local(b['end'], account.timezone)} or later"))
    changed = _new_or_changed(org, ctx, out)
    lead = _duration(org, None, "lead_time", defaults["lead_time"], out, told)
    for post in org.posts.values():
        timed = [t for t in post.targets if t.publish_at is not None]
        if post.status != "ready" or not timed or not ctx.wants(post.doc.rel):
            continue
        out.extend(_window(org, post, timed))
        if post.doc.rel in changed:
            first = min(timed, key=lambda t: t.publish_at)
            soon = _soon(post, first, ctx.now, lead)
            out.extend(soon)
            ctx.turns_at(first.publish_at - lead, first.publish_at)
            if soon:
                ctx.reads_clock = True  # "is 40m from now", "(now: ...)"
    return out


def _at(post: Post, rule: str, message: str, hint: str | None = None, level: str = "error") -> Finding:
    line, col = post.doc.pos(("publish_at",))
    return Finding(post.doc.rel, line, col, level, rule, message, hint)


def _duration(org: Org, account: Account | None, key: str, raw, out: list[Finding], told: set) -> timedelta:
    """A limit's duration; one that cannot be used (over ten years) is reported where it is
    written, once, and the built-in default stands in for it."""
    try:
        return times.duration(raw)
    except times.TimeError as exc:
        doc, at = ((account.doc, ("limits", key)) if account is not None and key in account.limits
                   else (org.policies.get("schedule"), ("defaults", key)))
        if doc is not None and (doc.rel, key) not in told:
            told.add((doc.rel, key))
            line, col = doc.pos(at)
            out.append(Finding(doc.rel, line, col, "error", exc.rule, f"{key}: {exc}"))
        return times.duration(DEFAULTS[key])


def _local(dt: datetime, zone: str) -> str:
    return f"{dt.astimezone(times.zone(zone)):%Y-%m-%d %H:%M} {zone}"


def _span(d: timedelta) -> str:
    minutes = int(d.total_seconds() // 60)
    h, m = divmod(minutes, 60)
    return f"{h}h{m:02d}m" if h and m else (f"{h}h" if h else f"{m}m")


def _gaps(account: Account, targets: list[Target], gap: timedelta) -> list[Finding]:
    out = []
    for a, b in pairwise(targets):
        apart = b.publish_at - a.publish_at
        if apart >= gap or a.post is b.post:
            continue
        if a.post.team == b.post.team:
            out.append(_at(b.post, "schedule.min-gap",
                           f"{_span(apart)} after content/{a.post.id}.yaml on {account.id}; the minimum "
                           f"gap there is {_span(gap)}",
                           f"move publish_at to {_local(a.publish_at + gap, account.timezone)} or later"))
            continue
        both = (f"content/{a.post.id}.yaml (team {a.post.team}) at {_local(a.publish_at, account.timezone)} "
                f"and content/{b.post.id}.yaml (team {b.post.team}) at {_local(b.publish_at, account.timezone)}")
        message = (f"collision on {account.id}: {both} are {_span(apart)} apart; the minimum gap there "
                   f"is {_span(gap)}")
        hint = f"agree with team {{}} which post moves; {account.id} belongs to team {account.team}"
        out.append(_at(a.post, "schedule.collision", message, hint.format(b.post.team)))
        out.append(_at(b.post, "schedule.collision", message, hint.format(a.post.team)))
    return out


def _daily_cap(account: Account, targets: list[Target], cap: int) -> list[Finding]:
    out = []
    zone = times.zone(account.timezone)
    per_day: dict = {}
    for t in targets:  # already in time order: the posts past the cap are the late ones
        day = t.publish_at.astimezone(zone).date()
        per_day[day] = per_day.get(day, 0) + 1
        if per_day[day] > cap:
            out.append(_at(t.post, "schedule.daily-cap",
                           f"post {per_day[day]} on {account.id} on {day} ({account.timezone}); the cap "
                           f"there is {cap} a day", "move it to another day"))
    return out


def _clock(text: str) -> time | None:
    try:
        return time.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _quiet_hours(account: Account, quiet: dict | None, out: list[Finding]):
    if not quiet:
        return None
    start, end = _clock(quiet.get("start")), _clock(quiet.get("end"))
    if start is None or end is None or start == end:
        doc = account.doc if "quiet_hours" in account.limits else None
        if doc is not None:
            line, col = doc.pos(("limits", "quiet_hours"))
            out.append(Finding(doc.rel, line, col, "error", "time.invalid",
                               "quiet_hours start and end are times of day from 00:00 to 23:59"
                               if start is None or end is None else
                               "quiet_hours start and end are the same time: no hour is quiet; set when they end"))
        return None
    return start, end, quiet["start"], quiet["end"]


def _quiet(t: Target, quiet) -> list[Finding]:
    start, end, start_text, end_text = quiet
    local = t.publish_at.astimezone(times.zone(t.account.timezone))
    at = local.time().replace(tzinfo=None)
    inside = start <= at < end if start <= end else (at >= start or at < end)
    if not inside:
        return []
    ends = local.date() + timedelta(days=1) if start > end and at >= start else local.date()
    return [_at(t.post, "schedule.quiet-hours",
                f"{local:%H:%M} on {local:%Y-%m-%d} in {t.account.timezone} is inside the quiet hours "
                f"of {t.account.id} ({start_text}-{end_text})",
                f"move publish_at to {ends:%Y-%m-%d} {end_text} ({t.account.timezone}) or later")]


def _blackout(raw: dict, zone: str, doc, at: tuple, out: list[Finding]) -> dict | None:
    try:
        start = times.instant(raw["start"], zone, "blackout start")
        end = times.instant(raw["end"], zone, "blackout end")
    except times.TimeError as exc:
        line, col = doc.pos(at)
        out.append(Finding(doc.rel, line, col, "error", exc.rule, str(exc)))
        return None
    if end <= start:
        line, col = doc.pos(at + ("end",))
        out.append(Finding(doc.rel, line, col, "error", "time.invalid",
                           f"the blackout ends ({raw['end']}) before it starts ({raw['start']}): it holds nothing back"))
        return None
    return {**raw, "start": start, "end": end}


def _policy_blackouts(org: Org, policy: dict, out: list[Finding]) -> list[dict]:
    doc = org.policies.get("schedule")
    found = []
    for i, raw in enumerate(policy.get("blackouts") or []):
        b = _blackout(raw, org.settings.timezone, doc, ("blackouts", i), out)
        if b is not None:
            found.append(b)
    return found


def _account_blackouts(account: Account, out: list[Finding]) -> list[dict]:
    found = []
    for i, raw in enumerate(account.limits.get("blackouts") or []):
        b = _blackout(raw, account.timezone, account.doc, ("limits", "blackouts", i), out)
        if b is not None:
            found.append(b)
    return found


def _applies(blackout: dict, account: Account) -> bool:
    accounts, teams = blackout.get("accounts"), blackout.get("teams")
    if accounts is None and teams is None:
        return True
    return account.id in (accounts or ()) or account.team in (teams or ())


def _window(org: Org, post: Post, timed: list[Target]) -> list[Finding]:
    campaign = org.campaigns.get(post.campaign)
    if campaign is None:
        return []
    window = campaign.doc.data.get("window", {})
    for t in timed:
        zone = t.account.timezone
        if campaign.start and t.publish_at < campaign.start:
            return [_at(post, "schedule.window",
                        f"{_local(t.publish_at, zone)} is before the window of campaign {campaign.id} "
                        f"starts ({window.get('start')})")]
        if campaign.end and t.publish_at > campaign.end:
            return [_at(post, "schedule.window",
                        f"{_local(t.publish_at, zone)} is after the window of campaign {campaign.id} "
                        f"ends ({window.get('end')})",
                        f"move the post, or extend window.end in {campaign.doc.rel}")]
    return []


def _soon(post: Post, first: Target, now: datetime, lead: timedelta) -> list[Finding]:
    zone = first.account.timezone
    if first.publish_at < now:
        return [_at(post, "schedule.past",
                    f"{_local(first.publish_at, zone)} is in the past (now: {_local(now, zone)}); "
                    f"the publisher would record the post as missed",
                    f"pick a time after {_local(now + lead, zone)}")]
    if first.publish_at - now < lead:
        return [_at(post, "schedule.lead-time",
                    f"{_local(first.publish_at, zone)} is {_span(first.publish_at - now)} from now; "
                    f"new or changed posts leave {_span(lead)} for review and merge",
                    f"pick a time after {_local(now + lead, zone)}", level="warning")]
    return []


def _new_or_changed(org: Org, ctx, out: list[Finding]) -> set[str]:
    """Paths of post files that are new or changed: against --base when given, else against the
    last commit; outside git, the posts the ledger has no record of. Kept in ctx for any family that needs it."""
    if ctx.changed is not None:
        return ctx.changed
    posts = {p.doc.rel: p for p in org.posts.values()}
    try:
        # Without --base, what is not committed yet is the change (as in a pre-commit run).
        paths = sorted(ctx.only) if ctx.only is not None else ["."]  # a narrowed run asks about its files
        diff, untracked = git_paths(org.root, ("diff", "-z", "--name-only", "--relative", ctx.base or "HEAD", "--", *paths),
                               ("ls-files", "-z", "--others", "--exclude-standard", "--", *paths))
    except GitError as exc:
        if ctx.base is not None:
            out.append(Finding("accord.yaml", 1, 1, "error", "schedule.base",
                               f"cannot compare with --base {ctx.base}: {exc}",
                               "fetch the base revision first (actions/checkout with fetch-depth: 0)"))
            changed = set()
        else:  # not a git repository (or no commit yet): every post the ledger does not know
            recorded = records(org, ctx)
            changed = {rel for rel, p in posts.items() if p.id not in recorded and ctx.wants(rel)}
    else:
        changed = {rel for rel in (*diff, *untracked) if rel in posts}
    ctx.changed = changed
    return changed

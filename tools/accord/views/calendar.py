"""Every team's targets on one calendar: the data (State's targets in a window, narrowed by team,
account, campaign or platform), and its renderers: a terminal table, markdown, JSON and ICS.

The ICS feed is made for subscribing: a calendar app that reads it again updates its events and
never duplicates them. Each event's UID is a hash of the org's name and the target's key (the
same on every machine and every run); its SEQUENCE counts the commits that changed the post's
file after the first (so it moves when the post changes and never when another file does); its
LAST-MODIFIED is the newest of that file's last commit and the ledger's times for the target
(claimed, published, retracted). Without git history or a ledger record there is nothing to say
when it changed: the event is at SEQUENCE 0 without LAST-MODIFIED, its DTSTAMP its start (never
the clock, which would make every build a change to every event).
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .. import compose
from ..findings import did_you_mean
from ..model import PLATFORMS, Org
from ..state import BLOCKED, CANCELLED, DRAFT, ON_MERGE, RETRACTED, State, TargetState
from . import as_json, capped

WIDTH = 100  # the terminal table's width, whatever the terminal: a pipe gets the same lines
DEFAULT_DAYS = 14  # today and the next 14 days


@dataclass(frozen=True)
class Selection:
    """What a reader narrows the calendar to; None: every one. A team is the post's team or the
    account's owner, so a team sees what it plans and what others plan on its accounts."""

    team: str | None = None
    account: str | None = None
    campaign: str | None = None
    platform: str | None = None

    def admits(self, s: TargetState) -> bool:
        t = s.target
        return ((self.team is None or self.team in (t.post.team, t.account.team))
                and (self.account is None or self.account == t.account.id)
                and (self.campaign is None or self.campaign == t.post.campaign)
                and (self.platform is None or self.platform == t.account.platform))


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime  # inclusive
    zone: str

    @classmethod
    def default(cls, now: datetime, zone: str) -> Window:
        today = now.astimezone(ZoneInfo(zone)).date()
        return cls.days(today, today + timedelta(days=DEFAULT_DAYS), zone)

    @classmethod
    def days(cls, first: date, last: date, zone: str) -> Window:
        tz = ZoneInfo(zone)
        end = datetime.combine(last + timedelta(days=1), time(), tz) - timedelta(microseconds=1)
        return cls(datetime.combine(first, time(), tz), end, zone)

    def holds(self, when: datetime) -> bool:
        return self.start <= when <= self.end


@dataclass(frozen=True)
class Slot:
    """One target on the calendar."""

    key: str  # <post id>@<account>
    post: str
    file: str  # the post's file, repository-relative
    account: str
    handle: str
    platform: str
    team: str  # the post's team (who plans it)
    account_team: str  # the account's owner
    campaign: str  # campaign id: <team>/<campaign>
    status: str  # one of state.STATUSES (and any State adds)
    when: datetime | None  # None: on merge, or no time yet
    local: str  # time of day in the calendar's zone, with its abbreviation; '' without a time
    day: date | None  # the day in the calendar's zone
    text: str  # the first part as this network gets it, before the link is tagged
    detail: str  # why: the freeze, the embargo, the ledger's error
    url: str | None  # on the network, once published
    revision: int  # commits that changed the post's file, after the first (ICS SEQUENCE)
    changed_at: datetime | None  # the newest of that file's last commit and the ledger's times

    @property
    def label(self) -> str:
        return status_label(self.status)


@dataclass(frozen=True)
class Calendar:
    org: str
    window: Window
    selection: Selection
    slots: list[Slot]  # in the window, in time order
    unscheduled: list[Slot]  # on merge or without a time yet: no day to show them on


LABELS = {BLOCKED: "blocked by the check"}  # not sent until what the check finds is fixed


def status_label(status: str) -> str:
    return LABELS.get(status) or status.replace("_", " ")


def slot(state: State, s: TargetState, zone: ZoneInfo) -> Slot:
    t = s.target
    post, account = t.post, t.account
    local = s.when.astimezone(zone) if s.when else None
    seen = state.history.get(post.doc.rel)
    entry = s.entry
    times = [seen.changed_at] if seen else []
    if entry is not None:
        times += [datetime.fromisoformat(v) for v in (entry.claimed_at, entry.published_at, entry.retracted_at) if v]
    return Slot(t.key, post.id, post.doc.rel, account.id, account.handle, account.platform, post.team, account.team,
                post.campaign, s.status, s.when, local.strftime("%H:%M %Z") if local else "",
                local.date() if local else None, compose.written(post, account.platform)[0], s.detail, s.url,
                max(0, seen.commits - 1) if seen else 0, max(times) if times else None)


def calendar(state: State, selection: Selection, window: Window) -> Calendar:
    zone = ZoneInfo(window.zone)
    chosen = [s for s in state.targets() if selection.admits(s)]
    return Calendar(state.org.settings.org, window, selection,
                    [slot(state, s, zone) for s in chosen if s.when is not None and window.holds(s.when)],
                    [slot(state, s, zone) for s in chosen if s.when is None])


def unknown_names(org: Org, selection: Selection) -> str | None:
    """A sentence naming the first filter that names nothing in the org, else None."""
    for flag, value, known in (("--team", selection.team, org.teams), ("--account", selection.account, org.accounts),
                               ("--campaign", selection.campaign, org.campaigns),
                               ("--platform", selection.platform, PLATFORMS)):
        if value is not None and value not in known:
            hint = did_you_mean(value, known)
            return f"{flag} {value}: no such {flag[2:]} in this repository" + (f" ({hint})" if hint else "")
    return None


# --- renderers ---------------------------------------------------------------------------------

def _heading(cal: Calendar) -> str:
    w = cal.window
    n = len(cal.slots)
    return (f"{cal.org}: {n} target{'s' if n != 1 else ''}, {w.start:%a} {w.start.day} {w.start:%b %Y} to "
            f"{w.end:%a} {w.end.day} {w.end:%b %Y}, times in {w.zone}")


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def _columns(ch: str) -> int:
    """How many terminal columns a character takes: CJK and other wide characters two."""
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1


def _fit(text: str, width: int) -> str:
    """`text` on one line in at most `width` columns, padded to them; cut with '…' when longer."""
    text = " ".join(text.split())
    used = sum(map(_columns, text))
    if used > width:
        kept, used = [], 1
        for ch in text:
            if used + _columns(ch) > width:
                break
            kept.append(ch)
            used += _columns(ch)
        text = "".join(kept) + "…"
    return text + " " * (width - used)


def _short(campaign: str) -> str:
    return campaign.split("/", 1)[-1]


def table(cal: Calendar) -> str:
    """Day headings, then a line per target (time, account, team, campaign, status, the first words
    of the text) never wider than WIDTH, and under it the link or the reason where there is one."""
    rows = cal.slots + cal.unscheduled
    lines = [_heading(cal)]
    if not rows:
        return "\n".join(lines + ["", "Nothing is planned in this window."]) + "\n"
    widths = [max(len(s.local) for s in rows) or len("on merge"),
              min(18, max(len(s.account) for s in rows)), min(12, max(len(s.team) for s in rows)),
              min(22, max(len(_short(s.campaign)) for s in rows)), max(len(s.label) for s in rows)]
    text_width = WIDTH - 2 - sum(w + 2 for w in widths)
    day = object()
    for s in rows:
        if s.day != day:
            day = s.day
            lines += ["", _day(s.day) if s.day else "On merge, or not scheduled yet"]
        cells = [s.local or "on merge", s.account, s.team, _short(s.campaign), s.label]
        line = "  " + "".join(_fit(c, w) + "  " for c, w in zip(cells, widths, strict=True))
        lines.append((line + _fit(s.text, text_width)).rstrip())
        note = s.url or s.detail
        if note:
            lines.append(" " * (4 + widths[0]) + "↳ " + " ".join(note.split()))
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def markdown(cal: Calendar) -> str:
    out = [f"## {_md_cell(_heading(cal))}", ""]
    days: dict = {}
    for s in cal.slots + cal.unscheduled:
        days.setdefault(s.day, []).append(s)
    if not days:
        out.append("Nothing is planned in this window.")
    for day, slots in days.items():
        out += [f"### {_day(day) if day else 'On merge, or not scheduled yet'}", "",
                "| Time | Account | Team | Campaign | Status | Text |", "|---|---|---|---|---|---|"]
        for s in slots:
            status = f"[{s.label}]({s.url})" if s.url else s.label
            if s.detail:
                status += f": {_md_cell(s.detail)}"
            out.append(f"| {s.local or 'on merge'} | {_md_cell(s.account)} | {_md_cell(s.team)} | "
                       f"{_md_cell(s.campaign)} | {status} | {_md_cell(_fit(s.text, 120).rstrip())} |")
        out.append("")
    return capped("\n".join(out).rstrip("\n") + "\n")


def as_data(cal: Calendar) -> dict:
    def one(s: Slot) -> dict:
        return {**asdict(s), "day": s.day.isoformat() if s.day else None}

    return {"org": cal.org, "zone": cal.window.zone, "from": cal.window.start, "to": cal.window.end,
            "filters": {k: v for k, v in asdict(cal.selection).items() if v is not None},
            "targets": [one(s) for s in cal.slots], "unscheduled": [one(s) for s in cal.unscheduled]}


def json_text(cal: Calendar) -> str:
    return as_json(as_data(cal))


def uid(org: str, key: str) -> str:
    """The same for a target on every machine and every run: a subscribed calendar updates the
    event instead of adding another."""
    return hashlib.sha256(f"{org}\0{key}".encode()).hexdigest()[:32] + "@accord"


def ics(cal: Calendar) -> str:
    """RFC 5545, one VEVENT per target with a time (an on-merge target has none to show)."""
    import icalendar

    feed = icalendar.Calendar()
    feed.add("prodid", "-//accord//planning hub//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", f"{cal.org} (accord)")
    for s in cal.slots:
        event = icalendar.Event()
        event.add("uid", uid(cal.org, s.key))
        # DTSTAMP: when the event last changed; without history its start (never the clock, which
        # would change every event at every build)
        event.add("dtstamp", (s.changed_at or s.when).astimezone(ZoneInfo("UTC")))
        event.add("dtstart", s.when.astimezone(ZoneInfo("UTC")))
        event.add("dtend", (s.when + timedelta(minutes=15)).astimezone(ZoneInfo("UTC")))
        event.add("sequence", s.revision)
        if s.changed_at is not None:
            event.add("last-modified", s.changed_at.astimezone(ZoneInfo("UTC")))
        event.add("summary", f"{s.account}: {_fit(s.text, 60).rstrip()}")
        lines = [s.text, "", f"{s.label}{': ' + s.detail if s.detail else ''}", f"{s.post} ({s.team} team)"]
        event.add("description", "\n".join(lines))
        event.add("categories", [s.campaign])
        event.add("status", "CANCELLED" if s.status in (CANCELLED, RETRACTED) else
                  "TENTATIVE" if s.status in (DRAFT, ON_MERGE, BLOCKED) else "CONFIRMED")
        if s.url:
            event.add("url", s.url)
        feed.add_component(event)
    return feed.to_ical().decode("utf-8")


RENDERERS = {"table": table, "md": markdown, "json": json_text, "ics": ics}

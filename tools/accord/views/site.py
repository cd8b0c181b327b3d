"""The planning hub as a static site: a month and a week calendar of every team's targets with
filters kept in the URL, a page per campaign (its objective and its posts as each network shows
them), per team and per account, and the freeze banner on every page.

Pages are plain HTML from templates/views/ (autoescaped: post text is people's input) with one
small script beside them, site.js, for the filters; nothing is fetched from any host, and every
link is relative, so the site works from GitHub Pages and from the file system alike.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from ..model import Account, Campaign
from ..state import STATUSES, State
from . import html, local_time
from .calendar import Slot, slot, status_label
from .post import PostPreview, preview

MARKER = ".accord-site"  # a folder holding it was built by accord: a rebuild may empty it
UPCOMING = 20  # posts listed as coming up on a team or account page
RECENT = 10  # posts listed as gone out on an account page


class SiteError(Exception):
    """The site cannot be written where asked; the message says why."""


@dataclass(frozen=True)
class Filter:
    name: str  # the key in the URL (#team=brand) and the items' data attribute
    label: str
    options: list[tuple[str, str]]  # (value, label)


@dataclass(frozen=True)
class PostSection:
    """One post of a campaign page: its targets' states and each network's preview."""

    id: str
    anchor: str
    slots: list[Slot]
    previews: list[PostPreview]


def build(state: State, out: Path) -> int:
    """Write the site into `out` (emptied first when accord built it before); the number of pages."""
    _prepare(out)
    org = state.org
    zone = ZoneInfo(org.settings.timezone)
    slots = [slot(state, s, zone) for s in state.targets()]
    scheduled = [s for s in slots if s.day is not None]
    today = state.now.astimezone(zone).date()
    common = {"org_name": org.settings.org, "zone": org.settings.timezone,
              "freezes": [f.describe() for f in state.freezes],
              "generated_at": local_time(state.now, org.settings.timezone), "today": today,
              "this_week": _week_page(today), "week_page": _week_page, "month_page": _month_page,
              "post_link": post_link, "campaign_link": lambda cid: quote(_campaign_page(cid)),
              "team_link": lambda tid: quote(_team_page(tid)), "account_link": lambda aid: quote(_account_page(aid))}
    pages: dict[str, str] = {}

    # The calendar: every month and every ISO week from the first target to the last (and today's);
    # the index is today's month, with what has no day yet (on merge) under it.
    days = [s.day for s in scheduled] + [today]
    by_day: dict[date, list[Slot]] = {}
    for s in scheduled:
        by_day.setdefault(s.day, []).append(s)
    filters = _filters(org, slots)
    items = _items(slots)
    months = _months(min(days), max(days))
    for i, first in enumerate(months):
        page = _month_page(first)
        month = dict(root="", title=f"{first:%B %Y}", weeks=_grid(first), month=first, by_day=by_day,
                     items=items, filters=filters, previous=_month_page(months[i - 1]) if i else None,
                     next=_month_page(months[i + 1]) if i + 1 < len(months) else None)
        pages[page] = html("month.html.j2", **common, **month, page=page, unscheduled=[])
        if first == today.replace(day=1):
            pages["index.html"] = html("month.html.j2", **common, **month, page="index.html",
                                       unscheduled=[s for s in slots if s.day is None])
    mondays = _mondays(min(days), max(days))
    for i, monday in enumerate(mondays):
        page = _week_page(monday)
        week = [monday + timedelta(days=n) for n in range(7)]
        iso = monday.isocalendar()
        pages[page] = html("week.html.j2", **common, root="", page=page,
                           title=f"Week {iso.week} of {iso.year}", days=week, by_day=by_day, items=items,
                           filters=filters,
                           previous=_week_page(mondays[i - 1]) if i else None,
                           next=_week_page(mondays[i + 1]) if i + 1 < len(mondays) else None)

    # A page per campaign: its objective and its posts in order, each as its networks show it.
    by_campaign: dict[str, list[Slot]] = {}
    for s in slots:
        by_campaign.setdefault(s.campaign, []).append(s)
    media: set[str] = set()
    for cid, campaign in sorted(org.campaigns.items()):
        sections = _sections(state, by_campaign.get(cid, []), cid)
        media.update(m.path for sec in sections for p in sec.previews for part in p.parts for m in part.media
                     if m.path)
        pages[_campaign_page(cid)] = html("campaign.html.j2", **common, root="../../", page=_campaign_page(cid),
                                          title=campaign.name, campaign=campaign,
                                          progress=objective_progress(state, campaign), sections=sections)
    pages["campaigns.html"] = html("campaigns.html.j2", **common, root="", page="campaigns.html",
                                   title="Campaigns", campaigns=sorted(org.campaigns.values(), key=lambda c: c.id),
                                   counts={cid: len(v) for cid, v in by_campaign.items()})

    # A page per team and per account: who may post where, and what is coming up.
    by_team: dict[str, list[Slot]] = {}
    by_account: dict[str, list[Slot]] = {}
    for s in slots:
        for tid in {s.team, s.account_team}:
            by_team.setdefault(tid, []).append(s)
        by_account.setdefault(s.account, []).append(s)
    for tid, team in sorted(org.teams.items()):
        pages[_team_page(tid)] = html("team.html.j2", **common, root="../", page=_team_page(tid), title=team.name,
                                      team=team, owned=[a for a in org.accounts.values() if a.team == tid],
                                      contributes=[a for a in org.accounts.values() if tid in a.contributors],
                                      campaigns=[c for c in org.campaigns.values() if c.team == tid],
                                      upcoming=_coming(state, by_team.get(tid, [])))
    for aid, account in sorted(org.accounts.items()):
        mine = by_account.get(aid, [])
        pages[_account_page(aid)] = html("account.html.j2", **common, root="../", page=_account_page(aid),
                                         title=f"{account.handle} ({account.platform})", account=account,
                                         team=org.teams.get(account.team), limits=_limits(org, account),
                                         upcoming=_coming(state, mine), recent=_gone(state, mine))
    pages["teams.html"] = html("teams.html.j2", **common, root="", page="teams.html", title="Teams and accounts",
                               teams=sorted(org.teams.values(), key=lambda t: t.id),
                               accounts=sorted(org.accounts.values(), key=lambda a: a.id))

    for folder in sorted({(out / rel).parent for rel in [*pages, *media]}):
        folder.mkdir(parents=True, exist_ok=True)
    for page, text in pages.items():
        (out / page).write_text(text, "utf-8")
    (out / "site.js").write_text(resources.files("accord").joinpath("templates", "views", "site.js")
                                 .read_text("utf-8"), "utf-8")
    for rel in sorted(media):  # views/post.py vouched that each is a file inside the repository
        shutil.copyfile(org.root / rel, out / rel)
    return len(pages)


@dataclass(frozen=True)
class Item:
    """A target's entry on the calendar pages, rendered once: short in a month's grid, long in a
    week's list and under the month (on merge)."""

    short: str
    long: str


def _items(slots: list[Slot]) -> dict[str, Item]:
    from . import environment

    macro = environment().get_template("_slot.html.j2").module.slot_item
    return {s.key: Item(macro(s, post_link(s), False), macro(s, post_link(s), True)) for s in slots}


def objective_progress(state: State, campaign: Campaign) -> str:
    """The campaign objective's progress, as the report tells it once metrics exist; State carries
    no metrics yet, so every campaign has none. (The one place the report's data comes in.)"""
    return "no metrics yet"


def _prepare(out: Path) -> None:
    """An empty folder for the site: a new one, an empty one, or one accord built before (emptied).
    Any other folder holds someone's files, which a build never deletes."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file; give a folder for the site")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise SiteError(f"{out} holds files accord did not write; give a new or empty folder "
                            f"(a folder accord built before is rebuilt in place)")
        for entry in out.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Built by `accord site`: the next build empties this folder first.\n", "utf-8")


def _month_page(first: date) -> str:
    return f"month-{first:%Y-%m}.html"


def _week_page(day: date) -> str:
    iso = day.isocalendar()
    return f"week-{iso.year}-W{iso.week:02d}.html"


def _campaign_page(cid: str) -> str:
    return f"campaigns/{cid}.html"


def _team_page(tid: str) -> str:
    return f"teams/{tid}.html"


def _account_page(aid: str) -> str:
    return f"accounts/{aid}.html"


def post_link(s: Slot) -> str:
    """Where a target's post is shown: its campaign page, at the post (as a link)."""
    return f"{quote(_campaign_page(s.campaign))}#{quote(_anchor(s.post, s.campaign))}"


def _anchor(post: str, campaign: str) -> str:
    return "post-" + post.removeprefix(campaign + "/")


def _months(first: date, last: date) -> list[date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return out


def _mondays(first: date, last: date) -> list[date]:
    monday = first - timedelta(days=first.weekday())
    return [monday + timedelta(weeks=n) for n in range((last - monday).days // 7 + 1)]


def _grid(first: date) -> list[list[date]]:
    """The weeks (Monday to Sunday) that show the month starting on `first`."""
    weeks, monday = [], first - timedelta(days=first.weekday())
    while monday.month == first.month or monday < first:
        weeks.append([monday + timedelta(days=n) for n in range(7)])
        monday += timedelta(weeks=1)
    return weeks


def _filters(org, slots: list[Slot]) -> list[Filter]:
    present = {s.status for s in slots}
    statuses = [s for s in STATUSES if s in present] + sorted(present - set(STATUSES))  # any State gives
    return [
        Filter("team", "Team", [(t.id, t.name) for t in sorted(org.teams.values(), key=lambda t: t.id)]),
        Filter("account", "Account", [(a.id, f"{a.id} ({a.handle})") for a in
                                      sorted(org.accounts.values(), key=lambda a: a.id)]),
        Filter("platform", "Network", [(p, p) for p in sorted({a.platform for a in org.accounts.values()})]),
        Filter("campaign", "Campaign", [(c.id, c.name) for c in sorted(org.campaigns.values(), key=lambda c: c.id)]),
        Filter("status", "Status", [(s, status_label(s)) for s in statuses]),
    ]


def _sections(state: State, slots: list[Slot], cid: str) -> list[PostSection]:
    """The campaign's posts in the order they first go out (unscheduled ones last)."""
    by_post: dict[str, list[Slot]] = {}
    for s in slots:  # State's order: by time, then key
        by_post.setdefault(s.post, []).append(s)
    posts = state.org.posts
    return [PostSection(pid, _anchor(pid, cid), mine, [preview(state.org, t) for t in posts[pid].targets])
            for pid, mine in by_post.items()]


def _coming(state: State, slots: list[Slot]) -> list[Slot]:
    return [s for s in slots if s.when is not None and s.when >= state.now][:UPCOMING]


def _gone(state: State, slots: list[Slot]) -> list[Slot]:
    return [s for s in slots if s.when is not None and s.when < state.now][-RECENT:][::-1]


@dataclass(frozen=True)
class Limits:
    min_gap: str
    daily_cap: str
    quiet_hours: str
    max_chars: str


def _limits(org, account: Account) -> Limits:
    """The account's scheduling limits as the check applies them: its own, else the policy's
    defaults, else the built-in ones."""
    from ..rules.schedule import DEFAULTS
    from .post import network

    given = {**DEFAULTS, **(org.policy("schedule").get("defaults") or {}), **account.limits}
    quiet = given.get("quiet_hours")
    net_max = getattr(network(account.platform), "MAX_CHARS", None)
    chars = given.get("max_chars") or net_max
    return Limits(str(given.get("min_gap")), str(given.get("daily_cap")),
                  f"{quiet.get('start')} to {quiet.get('end')} ({account.timezone})" if isinstance(quiet, dict)
                  else "none", f"{chars:,}" if isinstance(chars, int) else "no limit")

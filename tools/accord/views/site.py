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
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Iterable
from urllib.parse import quote
from zoneinfo import ZoneInfo

from ..model import Account, Campaign, Team
from ..state import STATUSES, State
from . import html, local_time, report
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


@dataclass(frozen=True)
class CampaignPage:
    campaign: Campaign
    progress: str  # the objective's, as the report tells it
    sections: list[PostSection]  # its posts in the order they first go out


@dataclass(frozen=True)
class TeamPage:
    team: Team
    owned: list[Account]
    contributes: list[Account]  # other teams' accounts it may post to
    campaigns: list[Campaign]
    upcoming: list[Slot]  # its posts and everything on its accounts, from now


@dataclass(frozen=True)
class Limits:
    min_gap: str
    daily_cap: str
    quiet_hours: str
    max_chars: str


@dataclass(frozen=True)
class AccountPage:
    account: Account
    team: Team | None
    limits: Limits
    upcoming: list[Slot]
    recent: list[Slot]  # newest first


@dataclass(frozen=True)
class Site:
    """What the pages show, from a State: plain data, which `pages` renders."""

    org_name: str
    zone: str
    now: datetime
    today: date
    freezes: list[str]  # each freeze in force, described
    unloaded: list[str]  # each file that does not load, so its posts are not shown, in a sentence
    slots: list[Slot]  # every target, in State's order
    by_day: dict[date, list[Slot]]
    months: list[date]  # the first day of each month the calendar shows
    mondays: list[date]  # of each week it shows
    filters: list[Filter]
    campaigns: dict[str, CampaignPage]
    teams: dict[str, TeamPage]
    accounts: dict[str, AccountPage]
    media: list[str]  # repository-relative files the previews show


def site(state: State, unloaded: Iterable[str] = ()) -> Site:
    org = state.org
    zone = ZoneInfo(org.settings.timezone)
    slots = [slot(state, s, zone) for s in state.targets()]
    today = state.now.astimezone(zone).date()
    by_day: dict[date, list[Slot]] = {}
    by_campaign: dict[str, list[Slot]] = {}
    by_team: dict[str, list[Slot]] = {}
    by_account: dict[str, list[Slot]] = {}
    for s in slots:
        if s.day is not None:
            by_day.setdefault(s.day, []).append(s)
        by_campaign.setdefault(s.campaign, []).append(s)
        for tid in {s.team, s.account_team}:
            by_team.setdefault(tid, []).append(s)
        by_account.setdefault(s.account, []).append(s)
    # every month and ISO week from the first target to the last, and today's
    first, last = min([today, *by_day]), max([today, *by_day])
    reported = report.campaigns(state)
    campaigns = {cid: CampaignPage(c, objective_progress(reported.get(cid)), _sections(state, by_campaign.get(cid, []), cid))
                 for cid, c in sorted(org.campaigns.items())}
    teams = {tid: TeamPage(t, [a for a in org.accounts.values() if a.team == tid],
                           [a for a in org.accounts.values() if tid in a.contributors],
                           [c for c in org.campaigns.values() if c.team == tid],
                           _coming(state, by_team.get(tid, [])))
             for tid, t in sorted(org.teams.items())}
    accounts = {aid: AccountPage(a, org.teams.get(a.team), _limits(org, a), _coming(state, by_account.get(aid, [])),
                                 _gone(state, by_account.get(aid, [])))
                for aid, a in sorted(org.accounts.items())}
    media = sorted({m.path for page in campaigns.values() for sec in page.sections for p in sec.previews
                    for part in p.parts for m in part.media if m.path})
    freezes = [f.describe() for f in state.freezes]
    # A freeze file that cannot be used may hold a freeze meant to be in force: the publisher
    # publishes nothing until it is mended, and the banner says so.
    broken = next((f for f in org.findings if f.level == "error" and f.file.startswith("policies/freeze.")), None)
    if broken is not None:
        freezes.append(f"held: {broken.file} line {broken.line} cannot be used ({broken.message}); nothing is "
                       f"published until it is mended")
    return Site(org.settings.org, org.settings.timezone, state.now, today, freezes, list(unloaded),
                slots, by_day, _months(first, last), _mondays(first, last), _filters(org, slots), campaigns, teams,
                accounts, media)


def pages(data: Site) -> dict[str, str]:
    """Every page's HTML, by its path in the site."""
    common = {"org_name": data.org_name, "zone": data.zone, "freezes": data.freezes, "unloaded": data.unloaded,
              "generated_at": local_time(data.now, data.zone), "today": data.today,
              "this_week": _week_page(data.today), "week_page": _week_page, "month_page": _month_page,
              "post_link": post_link, "campaign_link": lambda cid: quote(_campaign_page(cid)),
              "team_link": lambda tid: quote(_team_page(tid)), "account_link": lambda aid: quote(_account_page(aid))}
    out: dict[str, str] = {}
    items = _items(data.slots)
    calendar = {"root": "", "by_day": data.by_day, "items": items, "filters": data.filters}
    months = data.months
    for i, first in enumerate(months):
        month = dict(title=f"{first:%B %Y}", weeks=_grid(first), month=first,
                     previous=_month_page(months[i - 1]) if i else None,
                     next=_month_page(months[i + 1]) if i + 1 < len(months) else None)
        out[_month_page(first)] = html("month.html.j2", **common, **calendar, **month, unscheduled=[])
        if first == data.today.replace(day=1):  # the index: today's month, and what has no day yet under it
            out["index.html"] = html("month.html.j2", **common, **calendar, **month,
                                     unscheduled=[s for s in data.slots if s.day is None])
    mondays = data.mondays
    for i, monday in enumerate(mondays):
        iso = monday.isocalendar()
        out[_week_page(monday)] = html("week.html.j2", **common, **calendar, title=f"Week {iso.week} of {iso.year}",
                                       days=[monday + timedelta(days=n) for n in range(7)],
                                       previous=_week_page(mondays[i - 1]) if i else None,
                                       next=_week_page(mondays[i + 1]) if i + 1 < len(mondays) else None)
    for cid, page in data.campaigns.items():
        out[_campaign_page(cid)] = html("campaign.html.j2", **common, root="../../", title=page.campaign.name,
                                        campaign=page.campaign, progress=page.progress, sections=page.sections)
    out["campaigns.html"] = html("campaigns.html.j2", **common, root="", title="Campaigns",
                                 campaigns=[p.campaign for p in data.campaigns.values()],
                                 counts={cid: sum(len(sec.slots) for sec in p.sections)
                                         for cid, p in data.campaigns.items()})
    for tid, page in data.teams.items():
        out[_team_page(tid)] = html("team.html.j2", **common, root="../", title=page.team.name, team=page.team,
                                    owned=page.owned, contributes=page.contributes, campaigns=page.campaigns,
                                    upcoming=page.upcoming)
    for aid, page in data.accounts.items():
        out[_account_page(aid)] = html("account.html.j2", **common, root="../", account=page.account,
                                       title=f"{page.account.handle} ({page.account.platform})", team=page.team,
                                       limits=page.limits, upcoming=page.upcoming, recent=page.recent)
    out["teams.html"] = html("teams.html.j2", **common, root="", title="Teams and accounts",
                             teams=[p.team for p in data.teams.values()],
                             accounts=[p.account for p in data.accounts.values()])
    return out


def build(state: State, out: Path, unloaded: Iterable[str] = ()) -> int:
    """Write the site into `out` (emptied first when accord built it before); the number of pages."""
    _usable(out)
    data = site(state, unloaded)
    written = pages(data)
    _empty(out)
    for folder in sorted({(out / rel).parent for rel in [*written, *data.media]}):
        folder.mkdir(parents=True, exist_ok=True)
    for page, text in written.items():
        (out / page).write_text(text, "utf-8")
    (out / "site.js").write_text(resources.files("accord").joinpath("templates", "views", "site.js")
                                 .read_text("utf-8"), "utf-8")
    for rel in data.media:  # views/post.py vouched that each is a file inside the repository
        shutil.copyfile(state.org.root / rel, out / rel)
    return len(written)


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


def objective_progress(reported: dict | None) -> str:
    """The campaign objective's progress as the report tells it (its campaign row), once metrics
    or business figures give the objective's metric. (The one place the report's data comes in.)"""
    return (report.progress_sentence(reported) if reported else None) or "no metrics yet"


def _usable(out: Path) -> None:
    """Raise SiteError unless `out` is new, empty, or a site accord built before: any other folder
    holds someone's files, which a build never deletes."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file; give a folder for the site")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError(f"{out} holds files accord did not write; give a new or empty folder "
                        f"(a folder accord built before is rebuilt in place)")


def _empty(out: Path) -> None:
    if out.is_dir():
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

"""The report: every campaign's objective against what its posts did, how each team, platform and
account performs, how much of the activity moved the business, and how fresh the numbers are.

`data(state, ...)` is the whole report as plain data (what `--format json` prints); `text`,
`markdown` and `html` render it. Numbers a network did not report are None and shown as such,
never as zeros.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import metrics, platforms, times
from ..metrics import BUSINESS, CLASSES, ENGAGEMENTS, IMPRESSIONS, LINK_CLICKS, NETWORK, class_of
from ..state import (CLAIMED, EMBARGOED, FAILED, FROZEN, MISSED, ON_MERGE, PUBLISHED, READY, RETRACTED, UNKNOWN,
                     State)
from . import capped, html as page, local_time

ON_TIME = timedelta(minutes=5)  # published within this of publish_at is on time
STALE = timedelta(days=2)  # metrics older than this, of targets still in the pull window, are stale
TOP = 3  # top posts per team, platform and account


@dataclass(frozen=True)
class Filters:
    campaign: str | None = None
    team: str | None = None
    start: date | None = None  # --from: targets published (or due) on or after this day
    end: date | None = None  # --to: on or before


def data(state: State, filters: Filters = Filters()) -> dict:
    org = state.org
    chosen, rows, out = _chosen(state, filters)
    return {
        "org": org.settings.org,
        "generated_at": state.now,
        "timezone": org.settings.timezone,
        "filters": {"campaign": filters.campaign, "team": filters.team,
                    "from": filters.start.isoformat() if filters.start else None,
                    "to": filters.end.isoformat() if filters.end else None},
        "on_time_within_s": int(ON_TIME.total_seconds()),
        "stale_after_h": int(STALE.total_seconds() // 3600),
        "derived": {ENGAGEMENTS: "summed from the interactions where a network reports no total",
                    metrics.ENGAGEMENT_RATE: "engagements / impressions, only where impressions are known"},
        "campaigns": _campaigns(state, filters, chosen, rows, out),
        "teams": _groups(out, lambda o: o.target.post.team),
        "platforms": _groups(out, lambda o: o.target.account.platform),
        "accounts": _groups(out, lambda o: o.target.account.id),
        "split": _split(org, out, rows),
        "freshness": _freshness(state, out),
    }


def campaigns(state: State) -> dict[str, dict]:
    """Every campaign's objective against what its posts did, by campaign id: the report's first
    section, for the site's campaign pages."""
    return {c["id"]: c for c in _campaigns(state, Filters(), *_chosen(state, Filters()))}


def _chosen(state: State, filters: Filters) -> tuple[list, list, list[_Out]]:
    """The targets, business rows and published targets the filters keep."""
    zone = state.org.settings.timezone

    def day(when: datetime) -> date:
        return when.astimezone(times.zone(zone)).date()

    dated = filters.start is not None or filters.end is not None
    chosen = [ts for ts in state.targets()
              if (filters.campaign is None or ts.target.post.campaign == filters.campaign)
              and (filters.team is None or ts.target.post.team == filters.team)
              and (not dated or ts.when is None or ((filters.start is None or day(ts.when) >= filters.start)
                                                    and (filters.end is None or day(ts.when) <= filters.end)))]
    rows = [(row, where) for row, where in state.business
            if (filters.start is None or row.day >= filters.start) and (filters.end is None or row.day <= filters.end)]
    out = [_Out(ts, state) for ts in chosen if ts.status in (PUBLISHED, RETRACTED) and ts.entry is not None
           and ts.entry.published_at]
    return chosen, rows, out


def _campaigns(state: State, filters: Filters, chosen, rows, out: list[_Out]) -> list[dict]:
    campaigns = [c for c in state.org.campaigns.values()
                 if (filters.campaign is None or c.id == filters.campaign) and (filters.team is None or c.team == filters.team)]
    outs, plans, figures = defaultdict(list), defaultdict(list), defaultdict(list)  # by campaign id
    for o in out:
        outs[o.campaign].append(o)
    for ts in chosen:
        plans[ts.target.post.campaign].append(ts)
    for row, where in rows:
        figures[where.campaign].append((row, where))
    return [_campaign(state, c, outs[c.id], plans[c.id], figures[c.id]) for c in sorted(campaigns, key=lambda c: c.id)]


class _Out:
    """One published target with what the ledger and the metrics say of it."""

    __slots__ = ("ts", "target", "entry", "campaign", "metrics", "totals", "impressions", "engagements")

    def __init__(self, ts, state: State):
        self.ts, self.target, self.entry = ts, ts.target, ts.entry
        self.campaign = ts.target.post.campaign
        self.metrics = state.metrics_of(ts.target)
        self.totals = self.metrics.totals if self.metrics is not None else None
        self.impressions, self.engagements = self.count(IMPRESSIONS), self.count(ENGAGEMENTS)

    def count(self, name: str) -> int | None:
        return None if self.totals is None else self.totals.get(name)


def _campaign(state: State, c, out: list[_Out], targets, rows) -> dict:
    obj = c.objective or {}
    metric = obj.get("metric")
    baseline, target = obj.get("baseline"), obj.get("target")
    statuses = defaultdict(int)
    for ts in targets:
        statuses[ts.status] += 1
    series, moved, source = _moved(metric, out, rows)
    tz = state.org.teams[c.team].timezone if c.team in state.org.teams else state.org.settings.timezone
    try:
        deadline = times.day_or_instant(str(obj["deadline"]), tz, end=True) if obj.get("deadline") else None
    except times.TimeError:
        deadline = None
    numeric = isinstance(baseline, int | float) and isinstance(target, int | float) and target > baseline
    actual = baseline + moved if numeric and moved is not None else None
    progress = (actual - baseline) / (target - baseline) * 100 if actual is not None else None
    pace = _pace(state.now, c.start, deadline, baseline, target, actual) if numeric else \
        {"status": "no objective", "projected": None}
    metrics_named = [m for m in (metric, *(obj.get("secondary") or [])) if m]
    return {
        "id": c.id, "name": c.name, "team": c.team, "owner": c.owner,
        "objective": {"metric": metric, "class": class_of(metric) if metric else None, "baseline": baseline,
                      "target": target, "deadline": str(obj["deadline"]) if obj.get("deadline") else None,
                      "secondary": list(obj.get("secondary") or [])},
        "actual": actual, "moved": moved, "source": source,
        "progress_pct": round(progress, 1) if progress is not None else None,
        "pace": pace,
        "posts": {s: statuses.get(s, 0) for s in (PUBLISHED, MISSED, FAILED, UNKNOWN, RETRACTED)}
        | {"scheduled": sum(statuses.get(s, 0) for s in (READY, ON_MERGE, CLAIMED, FROZEN, EMBARGOED))},
        "series": [[d, baseline + v] for d, v in series] if numeric and series else [],
        "vanity_only": bool(metrics_named) and all(class_of(m) == "vanity" for m in metrics_named),
    }


def _moved(metric: str | None, out: list[_Out], rows) -> tuple[list[list], float | None, str]:
    """How far the campaign moved `metric`: the daily cumulative series, the total (None: nothing
    reports it), and where it comes from."""
    deltas: dict[str, float] = defaultdict(float)
    if metric in NETWORK:
        known = [o for o in out if o.count(metric) is not None]
        for o in known:
            prev = 0
            for d, v in sorted(o.metrics.daily.get(metric, {}).items()):
                deltas[d] += v - prev
                prev = v
        total = sum(o.count(metric) or 0 for o in known) if known else None
        source = "networks" if known else f"no network reported {metric} for its posts yet"
    else:
        mine = [r for r, _ in rows if r.metric == metric]
        for r in mine:
            deltas[r.day.isoformat()] += r.value
        total = sum(r.value for r in mine) if mine else None
        source = "business CSVs" if mine else f"no business CSV row gives {metric} for this campaign"
    series, running = [], 0.0
    for d in sorted(deltas):
        running += deltas[d]
        series.append([d, _num(running)])
    return series, _num(total) if total is not None else None, source


def _pace(now: datetime, start: datetime | None, deadline: datetime | None, baseline, target, actual) -> dict:
    """At the rate since the window opened, where the metric will be at the deadline."""
    if start is not None and now < start:
        return {"status": "not started", "projected": None}
    if actual is None:
        return {"status": "no data", "projected": None}
    if actual >= target:
        return {"status": "reached", "projected": _num(actual)}
    if deadline is None or start is None:
        return {"status": "no deadline", "projected": None}
    if now >= deadline:
        return {"status": "missed", "projected": _num(actual)}
    elapsed = max((now - start).total_seconds(), 1)
    projected = baseline + (actual - baseline) * (deadline - start).total_seconds() / elapsed
    return {"status": "on track" if projected >= target else "behind", "projected": _num(round(projected, 1))}


def _groups(out: list[_Out], key) -> list[dict]:
    by: dict[str, list[_Out]] = defaultdict(list)
    for o in out:
        by[key(o)].append(o)
    return [_group(name, by[name]) for name in sorted(by)]


def _group(name: str, out: list[_Out]) -> dict:
    seen = [o for o in out if o.impressions is not None]
    impressions = sum(o.impressions for o in seen)
    engaged = [o for o in out if o.engagements is not None]
    rate_engagements = sum(o.engagements or 0 for o in seen)
    late = sorted(o.entry.lateness_s for o in out if o.entry.lateness_s is not None)
    on_time = sum(s <= ON_TIME.total_seconds() for s in late)
    top = sorted(engaged, key=lambda o: -o.engagements)[:TOP * 4]  # (then by key, among the few ties)
    top = sorted(top, key=lambda o: (-o.engagements, o.target.key))[:TOP]
    return {
        "name": name, "posts": len(out), "with_metrics": sum(o.totals is not None for o in out),
        "impressions": impressions if seen else None,
        "engagements": sum(o.engagements for o in engaged) if engaged else None,
        "engagement_rate": round(rate_engagements / impressions * 100, 2) if impressions else None,
        "rate_basis": f"{len(seen)} of {len(out)} posts report impressions" if seen else "no post reports impressions",
        "on_time_rate": round(on_time / len(late) * 100, 1) if late else None,
        "lateness_median_s": _percentile(late, 50), "lateness_p95_s": _percentile(late, 95),
        "top": [{"target": o.target.key, "url": o.entry.url, "text": _snippet(o.target.post.parts[0].text),
                 "engagements": o.engagements, "impressions": o.impressions} for o in top],
    }


def _percentile(values: list[int], p: int) -> int | None:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    if not values:
        return None
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]


def _split(org, out: list[_Out], rows) -> dict:
    sums: dict[str, dict[str, float]] = {cls: {} for cls in CLASSES}
    for o in out:
        for name, value in (o.totals or {}).items():
            cls = class_of(name)
            if cls and name != ENGAGEMENTS:  # the sum of the others
                sums[cls][name] = sums[cls].get(name, 0) + value
    moved_posts = {o.target.key for o in out if (o.count(LINK_CLICKS) or 0) > 0}
    for row, where in rows:
        if row.metric in BUSINESS:
            sums["business"][row.metric] = _num(sums["business"].get(row.metric, 0) + row.value)
            if where.target:
                moved_posts.add(where.target)
            elif where.post:
                moved_posts.update(t.key for t in org.posts[where.post].targets)
    published = {o.target.key for o in out}
    moved = len(moved_posts & published)
    return {
        "sums": {cls: dict(sorted(v.items())) for cls, v in sums.items()},
        "published": len(published), "moved_business": moved,
        "moved_business_pct": round(moved / len(published) * 100, 1) if published else None,
    }


def _freshness(state: State, out: list[_Out]) -> list[dict]:
    window = state.now - timedelta(days=state.org.settings.metrics_days)
    by: dict[str, list[_Out]] = defaultdict(list)
    for o in out:
        by[o.target.account.id].append(o)
    rows = []
    for account_id in sorted(by):
        mine = by[account_id]
        account = mine[0].target.account
        pulled = [o.metrics.fetched_at for o in mine if o.metrics is not None and o.metrics.fetched_at]
        last = max(pulled) if pulled else None
        recent = [o for o in mine if datetime.fromisoformat(o.entry.published_at) >= window and not
                  (o.metrics is not None and o.metrics.gone_at)]
        if not getattr(platforms.module(account.platform), "METRICS", True):
            status, note = "no metrics", f"{account.platform} has no network to ask"
        elif last is None:
            status, note = "never pulled", "no metrics yet: run accord metrics pull"
        elif recent and state.now - datetime.fromisoformat(last) > STALE:
            status, note = "stale", "the last pull is older than the posts it should follow (a failed pull?)"
        else:
            status, note = "fresh", ""
        rows.append({"account": account_id, "platform": account.platform, "last_pulled": last,
                     "targets": len(mine), "with_metrics": len(pulled), "status": status, "note": note})
    return rows


def _snippet(text: str, size: int = 80) -> str:
    one = " ".join(text.split())
    return one if len(one) <= size else one[:size - 1] + "…"


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


# --- renderers --------------------------------------------------------------------------------


PACE = {"reached": "target reached", "on track": "on track", "behind": "behind", "missed": "missed: the deadline passed",
        "not started": "not started", "no deadline": "no deadline to pace against", "no data": "no data"}


def progress_sentence(c: dict) -> str | None:
    """A campaign's progress in a sentence (a campaign of `data`), None while nothing reports its
    objective's metric."""
    if c["actual"] is None:
        return None
    o, pace = c["objective"], c["pace"]
    ahead = f" ({_fmt(pace['projected'])} projected at the deadline)" if pace["status"] in ("on track", "behind") else ""
    return (f"{_fmt(c['actual'])} so far: {_fmt(c['progress_pct'], '%')} of the way from {_fmt(o['baseline'])} to "
            f"{_fmt(o['target'])}, from the {c['source']}; {PACE.get(pace['status'], pace['status'])}{ahead}")


def _fmt(value, suffix: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}"
    return f"{value:,}{suffix}"


def _span(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def _objective(c: dict) -> str:
    o = c["objective"]
    return f"{o['metric']} {_fmt(o['baseline'])} → {_fmt(o['target'])} by {o['deadline']}"


def text(report: dict) -> str:
    lines = [f"accord report · {report['org']} · {local_time(report['generated_at'], report['timezone'])}", ""]
    lines.append("Campaigns")
    for c in report["campaigns"]:
        p = c["posts"]
        lines.append(f"  {c['id']}: {_objective(c)}")
        lines.append(f"    actual {_fmt(c['actual'])} ({c['source']}), progress {_fmt(c['progress_pct'], '%')}, "
                     f"pace {c['pace']['status']}" + (f" (projected {_fmt(c['pace']['projected'])})"
                                                      if c["pace"]["projected"] is not None else ""))
        lines.append(f"    posts: {p['published']} published, {p['missed']} missed, {p['failed']} failed, "
                     f"{p['unknown']} unknown, {p['scheduled']} to come"
                     + ("; objective is vanity only" if c["vanity_only"] else ""))
    for title, key in (("Teams", "teams"), ("Platforms", "platforms"), ("Accounts", "accounts")):
        lines += ["", title]
        for g in report[key]:
            lines.append(f"  {g['name']}: {g['posts']} posts, {_fmt(g['impressions'])} impressions, "
                         f"{_fmt(g['engagements'])} engagements, rate {_fmt(g['engagement_rate'], '%')} "
                         f"({g['rate_basis']}), on time {_fmt(g['on_time_rate'], '%')}, lateness median "
                         f"{_span(g['lateness_median_s'])} p95 {_span(g['lateness_p95_s'])}")
            for t in g["top"]:
                lines.append(f"    top: {t['target']} {_fmt(t['engagements'])} engagements {t['url'] or ''}".rstrip())
    s = report["split"]
    lines += ["", "Vanity and business",
              f"  {s['moved_business']} of {s['published']} published targets moved a business metric "
              f"({_fmt(s['moved_business_pct'], '%')})"]
    for cls in CLASSES:
        lines.append(f"  {cls}: " + (", ".join(f"{k} {_fmt(v)}" for k, v in s["sums"][cls].items()) or "—"))
    for c in report["campaigns"]:
        if c["vanity_only"]:
            lines.append(f"  vanity-only objective: {c['id']} ({c['posts']['published']} posts published)")
    lines += ["", "Freshness"]
    for f in report["freshness"]:
        lines.append(f"  {f['account']} ({f['platform']}): {f['status']}, last pulled {f['last_pulled'] or 'never'}"
                     + (f": {f['note']}" if f["note"] else ""))
    return "\n".join(lines) + "\n"


def markdown(report: dict) -> str:
    md = [f"## accord report · {report['org']}", "",
          f"_{local_time(report['generated_at'], report['timezone'])}; on time = within "
          f"{report['on_time_within_s'] // 60} min of publish_at; engagements are derived where a network "
          f"reports no total._", "", "### Campaigns", "",
          "| campaign | objective | actual | progress | pace | published | missed | failed | unknown |",
          "|---|---|---:|---:|---|---:|---:|---:|---:|"]
    for c in report["campaigns"]:
        p = c["posts"]
        md.append(f"| {_cell(c['id'])}{' (vanity only)' if c['vanity_only'] else ''} | {_cell(_objective(c))} | "
                  f"{_fmt(c['actual'])} | {_fmt(c['progress_pct'], '%')} | {c['pace']['status']} | "
                  f"{p['published']} | {p['missed']} | {p['failed']} | {p['unknown']} |")
    for title, key in (("Teams", "teams"), ("Platforms", "platforms"), ("Accounts", "accounts")):
        md += ["", f"### {title}", "",
               "| name | posts | impressions | engagements | rate | on time | lateness median / p95 | top post |",
               "|---|---:|---:|---:|---:|---:|---|---|"]
        for g in report[key]:
            top = g["top"][0] if g["top"] else None
            link = (f"[{_cell(top['target'])}]({top['url']})" if top["url"] else _cell(top["target"])) if top else "—"
            md.append(f"| {_cell(g['name'])} | {g['posts']} | {_fmt(g['impressions'])} | {_fmt(g['engagements'])} | "
                      f"{_fmt(g['engagement_rate'], '%')} | {_fmt(g['on_time_rate'], '%')} | "
                      f"{_span(g['lateness_median_s'])} / {_span(g['lateness_p95_s'])} | {link} |")
    s = report["split"]
    md += ["", "### Vanity and business", "",
           f"{s['moved_business']} of {s['published']} published targets moved a business metric "
           f"({_fmt(s['moved_business_pct'], '%')})."]
    md += [f"- vanity-only objective: `{c['id']}` ({c['posts']['published']} posts published)"
           for c in report["campaigns"] if c["vanity_only"]]
    md += ["", "### Freshness", "", "| account | status | last pulled | note |", "|---|---|---|---|"]
    md += [f"| {f['account']} ({f['platform']}) | {f['status']} | {f['last_pulled'] or 'never'} | {_cell(f['note'])} |"
           for f in report["freshness"]]
    return capped("\n".join(md) + "\n")


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def html(report: dict) -> str:
    return page("report.html.j2", report=report, org_name=report["org"],
                generated_at=local_time(report["generated_at"], report["timezone"]),
                charts=_charts(report), fmt=_fmt, span=_span, objective=_objective)


# Charts are drawn in SVG from these shapes; the numbers they show ride along as data-* attributes
# and <title>s, so a reader without sight (and a test) gets them too.
W, H, PAD = 640, 200, 36


def _charts(report: dict) -> dict:
    series = {c["id"]: _series_chart(c["series"], c["objective"]["baseline"], c["objective"]["target"])
              for c in report["campaigns"] if c["series"]}
    rows = [p for p in report["platforms"] if p["impressions"] is not None or p["engagements"] is not None]
    top = max([p["engagements"] or 0 for p in rows] + [1])
    bars = [{"name": p["name"], "engagements": p["engagements"], "rate": p["engagement_rate"],
             "width": round((p["engagements"] or 0) / top * (W - 200), 1)} for p in rows]
    return {"series": series, "platforms": bars, "W": W, "H": H, "PAD": PAD}


def _series_chart(points: list[list], baseline, target) -> dict:
    """A step line of the cumulative value by day, with the baseline and target as lines."""
    days = [date.fromisoformat(d) for d, _ in points]
    first, last = days[0], max(days[-1], days[0] + timedelta(days=1))
    low = min(baseline, *(v for _, v in points))
    high = max(target, *(v for _, v in points))

    def x(d: date) -> float:
        return PAD + (d - first).days / (last - first).days * (W - 2 * PAD)

    def y(v: float) -> float:
        return H - PAD - (v - low) / ((high - low) or 1) * (H - 2 * PAD)

    steps, prev = [], None
    for d, (_, v) in zip(days, points, strict=True):
        if prev is not None:
            steps.append(f"{x(d):.1f},{y(prev):.1f}")
        steps.append(f"{x(d):.1f},{y(v):.1f}")
        prev = v
    return {"points": " ".join(steps), "target_y": round(y(target), 1), "baseline_y": round(y(baseline), 1),
            "first": first.isoformat(), "last": points[-1][0], "value": points[-1][1],
            "dots": [{"x": round(x(d), 1), "y": round(y(v), 1), "day": s, "value": v}
                     for d, (s, v) in zip(days, points, strict=True)]}

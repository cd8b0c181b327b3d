"""Writes a made-up but consistent history for an org: ledger records of its past posts, the daily
metrics a daily `accord metrics pull` would have committed, and a business metrics CSV.

EXAMPLE DATA, deterministic (a seed, a fixed clock): the same org and arguments give the same
bytes. It lives in bench/ with generate.py because it is development tooling that makes org data
(never shipped in the package, never run by accord): this repository's example organisation gets
a history with it, so `accord report` (and the planning site) show every section with no
credentials, and the benchmark's 10k-post org gets a year of it:

    python bench/history.py .                                   # the example org, as of 2026-12-07
    python bench/history.py bench/out/org-10000 --as-of 2027-12-31T12:00:00+00:00

It writes through accord's own modules (ledger.save, metrics.save), as the publisher and the pull
do, so the files are exactly what they would write.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from accord import ledger, metrics  # noqa: E402 (after the path above)
from accord.compose import content_tag  # noqa: E402
from accord.ledger import Entry, Record  # noqa: E402
from accord.metrics import PostMetrics, TargetMetrics  # noqa: E402
from accord.model import load  # noqa: E402

AS_OF = "2026-12-07T12:00:00+00:00"
RUN = "example-history"  # every record says it is example data
PULL_HOUR = 6  # the metrics workflow's daily run, UTC
# What each network reports (see each adapter's METRICS); the outbox reports nothing.
REPORTS = {
    "x": ("impressions", "likes", "reposts", "replies", "quotes", "bookmarks", "link_clicks", "profile_clicks"),
    "mastodon": ("likes", "reposts", "replies"),
    "bluesky": ("likes", "reposts", "replies", "quotes"),
    "linkedin": ("impressions", "likes", "reposts", "replies", "link_clicks"),
}
# Per 1,000 impressions (or per reach unit where a network counts none), roughly what networks see.
RATES = {"likes": 18, "reposts": 3, "replies": 2, "quotes": 0.6, "bookmarks": 1.5, "link_clicks": 9,
         "profile_clicks": 2}


def _rng(seed: int, *key: str) -> random.Random:
    return random.Random(int(hashlib.sha256("\0".join((str(seed), *key)).encode()).hexdigest()[:16], 16))


def history(root: Path, as_of: datetime, seed: int, window: int, stale: str | None) -> dict[str, int]:
    org = load(root, use_cache=False)
    state = org.settings.state_path
    folder_ledger, folder_metrics = ledger.folder(root, state), metrics.folder(root, state)
    business = root / org.settings.business_dir
    counts = {"records": 0, "metrics": 0, "rows": 0}
    rows: list[dict] = []
    for post in sorted(org.posts.values(), key=lambda p: p.id):
        if post.status != "ready":
            continue
        record, kept = Record(post.id, post.fingerprint()), PostMetrics(post.id)
        for target in post.targets:
            due = target.publish_at
            if due is None or due >= as_of:
                continue
            r = _rng(seed, target.key)
            account = target.account
            if r.random() < 0.04:  # now and then a run came too late
                record.targets[account.id] = Entry("missed", platform=account.platform, run=RUN, attempts=0,
                                                   lateness_s=int(7 * 3600 + r.random() * 3600),
                                                   error="due, later than max_lateness (6h): not posted stale")
                continue
            lateness = int(r.choice((2, 3, 4, 5, 8, 12, 40, 90, 240, 720)) * (0.5 + r.random()))
            at = due + timedelta(seconds=lateness)
            ids = [_platform_id(account.platform, at, r) for _ in post.parts]
            urls = [_url(account, i) for i in ids]
            record.targets[account.id] = Entry(
                "published", platform=account.platform, id=ids[0], url=urls[0], run=RUN, attempts=1,
                parts=[{"id": i, "url": u, "at": _iso(at)} for i, u in zip(ids, urls, strict=True)],
                claimed_at=_iso(at - timedelta(seconds=1)), published_at=_iso(at), lateness_s=lateness)
            if account.platform in REPORTS:
                kept.targets[account.id] = _pulled(account, ids, at, as_of, window, r,
                                                   stale_days=4 if account.id == stale else 0)
            if post.link and r.random() < 0.8:
                rows += _conversions(org, post, target, at, as_of, r)
        if record.targets:
            ledger.save(folder_ledger, record)
            counts["records"] += 1
        if kept.targets:
            metrics.save(folder_metrics, kept)
            counts["metrics"] += 1
    counts["rows"] = _write_csv(business / "example-web-analytics.csv", rows)
    return counts


def _pulled(account, ids: list[str], at: datetime, as_of: datetime, window: int, r: random.Random,
            stale_days: int) -> TargetMetrics:
    """What the daily pulls read of one target, from the day after it went out to the end of the
    pull window (or the last pull before `as_of`)."""
    reach = r.lognormvariate(7.2, 0.8)  # impressions it ends with
    share = {name: 0.6 + r.random() * 0.8 for name in RATES}  # how this post does on each count
    part_scale = [1.0] + [0.35 * 0.7 ** k for k in range(len(ids) - 1)]
    last = min(as_of - timedelta(days=stale_days), at + timedelta(days=window))
    kept = TargetMetrics(account.platform, "")
    day = (at + timedelta(days=1)).replace(hour=PULL_HOUR, minute=0, second=0, microsecond=0)
    while day <= last:
        grown = 1 - math.exp(-(day - at).total_seconds() / 86400 / 1.8)
        parts = []
        for i, scale in zip(ids, part_scale, strict=True):
            shown = reach * scale * grown
            counts = {name: int(shown if name == "impressions" else shown / 1000 * RATES[name] * share[name])
                      for name in REPORTS[account.platform]}
            parts.append({"id": i, "totals": metrics.with_engagements(counts)})
        totals: dict[str, int] = {}
        for p in parts:
            for name, value in p["totals"].items():
                totals[name] = totals.get(name, 0) + value
        kept.read(totals, parts if len(parts) > 1 else [], day)
        day += timedelta(days=1)
    return kept


def _conversions(org, post, target, at: datetime, as_of: datetime, r: random.Random) -> list[dict]:
    """Sign-ups, leads or applications the web analytics tool attributes to the link, by UTM."""
    campaign = org.campaigns[post.campaign]
    metric = (campaign.objective or {}).get("metric")
    if metric not in metrics.BUSINESS:
        metric = next((m for m in (campaign.objective or {}).get("secondary") or () if m in metrics.BUSINESS), "sign_ups")
    s = org.settings
    shared = sum(c.utm_campaign == campaign.utm_campaign for c in org.campaigns.values()) > 1
    out = []
    for d in range(min(10, (as_of - at).days)):
        value = int(r.expovariate(1 / max(0.5, 6 * math.exp(-d / 2))))
        if value:
            out.append({"date": (at + timedelta(days=d)).date().isoformat(), "metric": metric, "value": value,
                        "utm_campaign": campaign.utm_campaign,
                        "utm_source": s.utm_source.format(platform=target.account.platform, account=target.account.id),
                        "utm_content": content_tag(post),
                        # where campaigns share a utm_campaign (the bench org's do), as a CRM
                        # that knows them would export it: UTM tags alone could be any of them
                        "campaign": campaign.id if shared else ""})
    return out


def _write_csv(path: Path, rows: list[dict]) -> int:
    columns = ("date", "metric", "value", "campaign", "utm_campaign", "utm_source", "utm_content")
    rows.sort(key=lambda row: tuple(str(row[c]) for c in columns))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), "utf-8")
    return len(rows)


def _platform_id(platform: str, at: datetime, r: random.Random) -> str:
    if platform == "x":  # a snowflake: the time is in the id, as X's adapter reads it
        return str(((int(at.timestamp() * 1000) - 1288834974657) << 22) | r.getrandbits(22))
    if platform == "bluesky":
        return f"at://did:plc:example/app.bsky.feed.post/3l{r.getrandbits(40):011x}"
    if platform == "linkedin":
        return f"urn:li:share:{7 * 10**18 + r.getrandbits(50)}"
    return str(r.getrandbits(56))


def _url(account, post_id: str) -> str | None:
    handle = account.handle.lstrip("@")
    return {"x": f"https://x.com/{handle}/status/{post_id}",
            "mastodon": f"https://mastodon.example/@{handle}/{post_id}",
            "bluesky": f"https://bsky.app/profile/{handle}/post/{post_id.rsplit('/', 1)[-1]}",
            "linkedin": f"https://www.linkedin.com/feed/update/{post_id}/"}.get(account.platform)


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="seconds")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path, help="the org's repository")
    ap.add_argument("--as-of", default=AS_OF, help=f"the clock of the last pull (default {AS_OF})")
    ap.add_argument("--seed", type=int, default=19)  # one that shows a missed target
    ap.add_argument("--window", type=int, default=30, help="days after publishing the daily pull follows a post")
    ap.add_argument("--stale", default="brand-bluesky", help="an account whose pulls failed for the last 4 days")
    args = ap.parse_args(argv)
    counts = history(args.root, datetime.fromisoformat(args.as_of), args.seed, args.window, args.stale)
    print(f"{counts['records']} ledger records, {counts['metrics']} metrics files, {counts['rows']} business rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

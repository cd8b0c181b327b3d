"""Nothing goes out before its embargo lifts: press and partners were briefed on that promise.

A post's embargo is its own, else its campaign's. The publisher checks again at publish time;
this family stops the mistake in review.
"""
from __future__ import annotations

from .. import times
from ..findings import Finding, Rule
from ..model import Org
from . import Reach, Reads

READS = frozenset({Reads.FILES, Reads.CLOCK})
REACH = Reach.FILE
WANTED_ONLY = False

RULES = [
    Rule("embargo.before-lift", "error",
         "A post under embargo (its own or its campaign's) is scheduled at or after the lift time.",
         "embargo: <time> in the post or its campaign.yaml."),
    Rule("embargo.on-merge", "error",
         "An on_merge post is not under an embargo that has not lifted yet: merging would publish it at once."),
]


def check(org: Org, ctx) -> list[Finding]:
    out: list[Finding] = []
    for post in org.posts.values():
        if post.embargo is None or post.status in ("cancelled", "retracted"):
            continue
        source = "its own embargo" if "embargo" in post.doc.data else f"the embargo of campaign {post.campaign}"
        if post.on_merge:
            ctx.turns_at(post.embargo)
            if post.status == "ready" and ctx.now < post.embargo:
                zone = post.targets[0].account.timezone if post.targets else org.settings.timezone
                line, col = post.doc.pos(("on_merge",))
                out.append(Finding(post.doc.rel, line, col, "error", "embargo.on-merge",
                                   f"on_merge would publish this post as soon as it is merged, but "
                                   f"{source} lifts only at {_local(post.embargo, zone)}",
                                   f"replace on_merge with publish_at: {_iso(post.embargo, zone)} (or later)"))
            continue
        early = [t for t in post.targets if t.publish_at is not None and t.publish_at < post.embargo]
        if early:
            t = min(early, key=lambda t: t.publish_at)
            zone = t.account.timezone
            line, col = post.doc.pos(("publish_at",))
            out.append(Finding(post.doc.rel, line, col, "error", "embargo.before-lift",
                               f"{_local(t.publish_at, zone)} on {t.account.id} is before {source} lifts "
                               f"at {_local(post.embargo, zone)}",
                               f"move publish_at to {_iso(post.embargo, zone)} or later"))
    return out


def _local(dt, zone: str) -> str:
    return f"{dt.astimezone(times.zone(zone)):%Y-%m-%d %H:%M} {zone}"


def _iso(dt, zone: str) -> str:
    return f"{dt.astimezone(times.zone(zone)):%Y-%m-%dT%H:%M} {zone}"

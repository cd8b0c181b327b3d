"""Business metrics CSVs (state/business/, see business.py) hold what the report counts: a bad
date or number, a column accord does not know, or a row naming a campaign or post that does not
exist is a finding at its line, not a figure silently left out."""
from __future__ import annotations

from .. import business
from ..findings import Finding, Rule, did_you_mean
from ..metrics import BUSINESS, CLASS_OF
from . import Reach, Reads

READS = frozenset({Reads.FILES, Reads.METRICS})
REACH = Reach.FILE
WANTED_ONLY = True

RULES = [
    Rule("business.csv", "error", "A business metrics file is CSV with a header row (UTF-8)."),
    Rule("business.unreadable", "error", "A business metrics file can be read as UTF-8 text."),
    Rule("business.column", "error",
         "A business metrics file has the columns date, metric, value and only these besides: "
         + ", ".join(business.OPTIONAL) + "."),
    Rule("business.date", "error", "A row's date is a calendar date, YYYY-MM-DD."),
    Rule("business.value", "error", "A row's value is a plain number."),
    Rule("business.metric", "warning",
         "A row's metric is one accord knows (" + ", ".join(BUSINESS) + ", or a network's count), so "
         "an objective can count it."),
    Rule("business.campaign", "error",
         "A row names a campaign that exists, directly or by the utm_campaign accord tags links with."),
    Rule("business.post", "error", "A row's post (or utm_content) is a post of its campaign."),
]


def check(org, ctx) -> list[Finding]:
    rows, problems = business.read(org.root, org.settings.business_dir)
    out = [Finding(p.file, p.line, p.col, _level(p.rule), p.rule, p.message, p.hint)
           for p in problems if ctx.wants(p.file)]
    attribute = business.Attributor(org) if rows else None
    for row in rows:
        if not ctx.wants(row.file):
            continue
        at = (row.file, row.line, 1)
        if row.metric not in CLASS_OF:
            out.append(Finding(*at, "warning", "business.metric", f"'{row.metric}' is not a metric accord knows: "
                               f"no objective counts it", did_you_mean(row.metric, CLASS_OF)))
        tags = row.tags
        if "campaign" in tags and tags["campaign"] not in org.campaigns:
            out.append(Finding(*at, "error", "business.campaign", f"no campaign '{tags['campaign']}' (a campaign "
                               f"is named team/folder)", did_you_mean(tags["campaign"], org.campaigns)))
            continue
        if "campaign" not in tags and "utm_campaign" in tags and attribute.campaign_of(row) is None:
            several = attribute.candidates(row)
            if several:
                out.append(Finding(*at, "error", "business.campaign", f"campaigns {', '.join(several)} all have "
                                   f"utm_campaign '{tags['utm_campaign']}': the row could be any of them",
                                   "add a campaign column, or give each campaign its own utm_campaign"))
            else:
                known = [c.utm_campaign for c in org.campaigns.values()]
                out.append(Finding(*at, "error", "business.campaign", f"no campaign has utm_campaign "
                                   f"'{tags['utm_campaign']}'", did_you_mean(tags["utm_campaign"], known)))
            continue
        if "post" in tags and tags["post"] not in org.posts:
            out.append(Finding(*at, "error", "business.post", f"no post '{tags['post']}' (a post's id is its "
                               f"path under content/ without the extension)", did_you_mean(tags["post"], org.posts)))
        elif "utm_content" in tags and "post" not in tags and attribute(row).post is None:
            out.append(Finding(*at, "error", "business.post", f"utm_content '{tags['utm_content']}' names no post "
                               f"of this row's campaign" if attribute.campaign_of(row) else
                               f"utm_content '{tags['utm_content']}' needs the row's campaign or utm_campaign "
                               f"to name a post"))
    return out


def _level(rule: str) -> str:
    return next((r.level for r in RULES if r.id == rule), "error")  # (file.outside and the like: errors)

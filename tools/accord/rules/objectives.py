"""Every campaign says what it is for, in a number that can be checked: a SMART objective.

An objective made only of vanity counts (see metrics.py for the classes) is a warning: they
grow with spend and noise and show neither business nor conversation.
"""
from __future__ import annotations

from .. import times
from ..metrics import CLASSES, class_of
from ..findings import Finding, Rule
from ..model import Campaign, Org
from . import Reach, Reads


READS = frozenset({Reads.FILES})
REACH = Reach.FILE
WANTED_ONLY = False

RULES = [
    Rule("objectives.missing", "error", "Every campaign has an objective: metric, baseline, target, deadline."),
    Rule("objectives.incomplete", "error", "An objective names its metric, baseline, target and deadline."),
    Rule("objectives.target", "error", "An objective's target is above its baseline."),
    Rule("objectives.deadline", "error", "An objective's deadline is within or after the campaign window."),
    Rule("objectives.vanity", "warning",
         "An objective is not vanity counts only (impressions, likes, followers): they do not show "
         "that the campaign moved the business.",
         "Use a business metric (" + ", ".join(CLASSES["business"]) + ") as the metric or a secondary."),
]


def check(org: Org, ctx) -> list[Finding]:
    out: list[Finding] = []
    for campaign in org.campaigns.values():
        out.extend(_campaign(org, campaign))
    return out


def _campaign(org: Org, c: Campaign) -> list[Finding]:
    doc = c.doc
    obj = c.objective

    def at(path, level, rule, message, hint=None, key=False):
        line, col = doc.pos(path, key=key)
        return Finding(doc.rel, line, col, level, rule, message, hint)

    if not obj:
        return [at(("objective",) if obj is not None else ("name",), "error", "objectives.missing",
                   "the campaign has no objective: say what it should move, from what, to what, by when",
                   "add objective: {metric: sign_ups, baseline: 120, target: 300, deadline: YYYY-MM-DD}",
                   key=True)]
    out = [at(("objective",), "error", "objectives.incomplete", f"the objective has no {key}",
              _HINTS[key], key=True)
           for key in ("metric", "baseline", "target", "deadline") if obj.get(key) is None]
    baseline, target = obj.get("baseline"), obj.get("target")
    if isinstance(baseline, (int, float)) and isinstance(target, (int, float)) and target <= baseline:
        out.append(at(("objective", "target"), "error", "objectives.target",
                      f"the target ({target:g}) is not above the baseline ({baseline:g}): the campaign "
                      f"would succeed by doing nothing"))
    if obj.get("deadline") is not None and c.start is not None:
        tz = org.teams[c.team].timezone if c.team in org.teams else org.settings.timezone
        try:
            deadline = times.day_or_instant(str(obj["deadline"]), tz, end=True)
        except times.TimeError as exc:
            out.append(at(("objective", "deadline"), "error", exc.rule, str(exc)))
        else:
            if deadline < c.start:
                out.append(at(("objective", "deadline"), "error", "objectives.deadline",
                              f"the deadline {obj['deadline']} is before the campaign window starts "
                              f"({doc.data['window']['start']})",
                              "set it to the window's end or later: results are measured after the posts go out"))
    metrics = [m for m in (obj.get("metric"), *(obj.get("secondary") or [])) if m]
    if metrics and all(class_of(m) == "vanity" for m in metrics):
        out.append(at(("objective", "metric"), "warning", "objectives.vanity",
                      f"the objective counts only vanity metrics ({', '.join(metrics)}): they rise with "
                      f"reach and spend and do not show whether the campaign moved the business",
                      "measure a business metric (" + ", ".join(CLASSES["business"]) + "), at least as a "
                      "secondary"))
    return out


_HINTS = {
    "metric": "e.g. metric: sign_ups (business), replies (engagement)",
    "baseline": "baseline: where the metric stands today",
    "target": "target: where the campaign should take it",
    "deadline": "deadline: YYYY-MM-DD, within or after the window",
}

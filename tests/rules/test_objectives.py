from __future__ import annotations

from .conftest import mine

C = "content/brand/launch/campaign.yaml"
HEAD = """\
name: Launch
owner: alice
window: {start: 2026-12-01, end: 2027-01-31}
utm_campaign: launch
"""


def test_smart_objective_passes(org):
    org.write(C, HEAD + "objective: {metric: sign_ups, baseline: 100, target: 400, deadline: 2027-01-31}\n")
    code, found = org.check()
    assert code == 0
    assert mine(found) == []


def test_missing_objective(org):
    org.write(C, HEAD)
    code, found = org.check()
    assert code == 1
    assert mine(found) == [(C, "objectives.missing", 1)]


def test_incomplete_and_unambitious_objective(org):
    org.write(C, HEAD + "objective:\n  metric: leads\n  baseline: 50\n  target: 50\n")
    code, found = org.check()
    assert mine(found) == [(C, "objectives.incomplete", 5), (C, "objectives.target", 8)]
    assert [f["message"] for f in found if f["rule"].startswith("objectives.")] == [
        "the objective has no deadline",
        "the target (50) is not above the baseline (50): the campaign would succeed by doing nothing"]


def test_deadline_before_the_window(org):
    org.write(C, HEAD + "objective: {metric: leads, baseline: 1, target: 5, deadline: 2026-11-30}\n")
    code, found = org.check()
    assert mine(found) == [(C, "objectives.deadline", 5)]


def test_vanity_only_objective_is_a_warning_saying_why(org):
    org.write(C, HEAD + "objective:\n  metric: followers\n  baseline: 1000\n  target: 1500\n"
              "  deadline: 2027-02-28\n  secondary: [likes, impressions]\n")
    code, found = org.check()
    assert code == 0
    assert mine(found) == [(C, "objectives.vanity", 6)]
    f = next(f for f in found if f["rule"] == "objectives.vanity")
    assert f["level"] == "warning"
    assert "do not show whether the campaign moved the business" in f["message"]
    assert "business metric" in f["hint"]


def test_vanity_with_a_business_secondary_is_fine(org):
    org.write(C, HEAD + "objective:\n  metric: impressions\n  baseline: 1000\n  target: 1500\n"
              "  deadline: 2027-02-28\n  secondary: [link_clicks]\n")
    code, found = org.check()
    assert mine(found) == []

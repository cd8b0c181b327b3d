"""The metric vocabulary (accord.metrics) is the one the campaign schema offers objectives."""
from __future__ import annotations

import json
from pathlib import Path

from accord import metrics

SCHEMA = Path(metrics.__file__).parent / "schemas" / "campaign.schema.json"


def test_objectives_offer_exactly_the_metrics_accord_classes():
    objective = json.loads(SCHEMA.read_text("utf-8"))["properties"]["objective"]["properties"]
    known = sorted(metrics.CLASS_OF)
    assert sorted(objective["metric"]["enum"]) == known
    assert sorted(objective["secondary"]["items"]["enum"]) == known


def test_engagements_are_summed_only_where_the_network_gives_no_total():
    assert metrics.with_engagements({"likes": 3, "replies": 2})["engagements"] == 5
    assert metrics.with_engagements({"likes": 3, "engagements": 40})["engagements"] == 40

"""Business metrics CSVs under state/business/: every row that cannot count is a finding at its
line, and the results cache never replays findings from before a CSV changed."""
from __future__ import annotations

import time

from conftest import rules_at

CSV = "state/business/crm.csv"
HEADER = "date,metric,value,campaign,post,utm_campaign,utm_source,utm_content\n"


def test_good_rows_pass(org):
    org.write(CSV, HEADER + "2026-12-03,sign_ups,40,,,launch,outbox,teaser\n"
              "2026-12-04,leads,2.5,brand/launch,,,,\n2026-12-05,sales,1,,brand/launch/teaser,,,\n\n")
    assert org.check() == (0, [])


def test_bad_dates_numbers_campaigns_and_posts_are_findings_at_their_line(org):
    org.write(CSV, HEADER + "2026-13-03,sign_ups,40,brand/launch,,,,\n"
              "2026-12-04,sign_ups,12 users,brand/launch,,,,\n"
              "2026-12-05,sign_ups,3,brand/lunch,,,,\n"
              "2026-12-06,sign_ups,3,,,spring,,\n"
              "2026-12-07,sign_ups,3,,brand/launch/teasr,,,\n"
              "2026-12-08,sign_ups,3,,,launch,outbox,nothing-here\n"
              "2026-12-09,signups,3,brand/launch,,,,\n")
    code, found = org.check()
    assert code == 1
    assert rules_at(found) == sorted([
        (CSV, "business.date", 2), (CSV, "business.value", 3), (CSV, "business.campaign", 4),
        (CSV, "business.campaign", 5), (CSV, "business.post", 6), (CSV, "business.post", 7), (CSV, "business.metric", 8)])
    by_line = {f["line"]: f for f in found}
    assert by_line[3]["col"] == len("2026-12-04,sign_ups,") + 1
    assert by_line[4].get("hint") == "did you mean 'brand/launch'?"
    assert by_line[8]["level"] == "warning" and "sign_ups" in by_line[8].get("hint")


def test_a_header_without_the_required_columns_or_with_unknown_ones(org):
    org.write(CSV, "day,metric,value,utm_term\n2026-12-01,sign_ups,1,x\n")
    found = sorted((f["col"], f["message"], f.get("hint")) for f in org.check()[1] if f["rule"] == "business.column")
    assert found == [(1, "the header has no date column: every row needs date, metric, value", None),
                     (1, "unknown column 'day'", "columns: date, metric, value, campaign, platform, post, utm_campaign, "
                                                     "utm_source, utm_content"),
                     (len("day,metric,value,") + 1, "unknown column 'utm_term'", "did you mean 'utm_content'?")]


def test_a_csv_edited_after_a_clean_check_is_checked_afresh_not_replayed(org):
    org.write(CSV, HEADER + "2026-12-03,sign_ups,40,brand/launch,,,,\n")
    time.sleep(2.1)  # (a file changed in the last two seconds keeps no results: see test_results)
    assert org.check() == (0, [])
    org.write(CSV, HEADER + "2026-12-03,sign_ups,forty,brand/launch,,,,\n")
    assert rules_at(org.check()[1]) == [(CSV, "business.value", 2)]
    time.sleep(2.1)
    (org.root / CSV).unlink()
    assert org.check() == (0, [])


def test_a_utm_campaign_two_campaigns_share_is_told_apart_by_utm_content_or_reported(org):
    org.write("content/brand/spring/campaign.yaml", (org.root / "content/brand/launch/campaign.yaml").read_text())
    org.write("content/brand/spring/other.yaml", (org.root / "content/brand/launch/teaser.yaml").read_text()
              .replace("twice as fast", "three times as fast").replace("2026-12-08", "2026-12-20"))
    org.write(CSV, HEADER + "2026-12-03,sign_ups,4,,,launch,outbox,teaser\n2026-12-03,sign_ups,4,,,launch,,\n")
    found = [f for f in org.check()[1] if f["file"] == CSV]
    assert [(f["rule"], f["line"]) for f in found] == [("business.campaign", 3)]
    assert "brand/launch, brand/spring all have utm_campaign 'launch'" in found[0]["message"]

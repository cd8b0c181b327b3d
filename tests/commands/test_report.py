"""accord report on a small org whose every number is worked out by hand below: objective
progress and pace, engagement rate, on-time rate and lateness, UTM attribution, freshness; and the
HTML report opened in real headless Chromium."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

NOW = "2026-12-11T12:00:00+00:00"
X = 'platform: x\nhandle: "@brand"\ncredentials_env: BRAND_X\n'


def _post(org, name: str, account: str, at: str) -> None:
    org.write(f"content/brand/launch/{name}.yaml", f"text: Post {name} #TestLaunch\naccounts: [{account}]\n"
              f"publish_at: {at}\nlink: https://example.org/{name}\nlocale: en\n")


def _ledger(org, name: str, account: str, **entry) -> None:
    org.write(f"state/ledger/brand/launch/{name}.json", json.dumps(
        {"post": f"brand/launch/{name}", "fingerprint": "0" * 16,
         "targets": {account: {"attempts": 1, "parts": [], "platform": account.split("-")[1], **entry}}}))


def _out(org, name: str, account: str, due: str, lateness: int) -> None:
    from datetime import datetime, timedelta

    at = (datetime.fromisoformat(due) + timedelta(seconds=lateness)).isoformat()
    _ledger(org, name, account, status="published", id=f"id-{name}", url=f"https://x.com/brand/status/id-{name}",
            published_at=at, lateness_s=lateness)


def _metrics(org, name: str, totals: dict, daily: dict) -> None:
    org.write(f"state/metrics/brand/launch/{name}.json", json.dumps(
        {"post": f"brand/launch/{name}", "targets": {"brand-x": {
            "platform": "x", "fetched_at": "2026-12-11T06:00:00+00:00", "totals": totals, "daily": daily}}}))


@pytest.fixture
def small(org):
    """Three posts out on X (one without impressions), one to the outbox, one missed, one failed;
    business figures by UTM tag, by campaign and by post."""
    org.write("content/brand/accounts/brand-x.yaml", X)
    _post(org, "a", "brand-x", "2026-12-02T10:00:00+00:00")
    _post(org, "b", "brand-x", "2026-12-03T10:00:00+00:00")
    _post(org, "e", "brand-x", "2026-12-03T15:00:00+00:00")
    _post(org, "c", "brand-outbox", "2026-12-04T10:00:00+00:00")
    _post(org, "d", "brand-x", "2026-12-05T10:00:00+00:00")
    _out(org, "a", "brand-x", "2026-12-02T10:00:00+00:00", 30)
    _out(org, "b", "brand-x", "2026-12-03T10:00:00+00:00", 600)
    _out(org, "e", "brand-x", "2026-12-03T15:00:00+00:00", 100)
    _out(org, "c", "brand-outbox", "2026-12-04T10:00:00+00:00", 4)
    _ledger(org, "d", "brand-x", status="failed", error="X refused the post")
    _ledger(org, "teaser", "brand-outbox", status="missed", lateness_s=30000, error="late")
    _metrics(org, "a", {"impressions": 1000, "likes": 30, "reposts": 10, "replies": 10, "engagements": 50},
             {"likes": {"2026-12-03": 20, "2026-12-04": 30}, "impressions": {"2026-12-03": 1000}})
    _metrics(org, "b", {"impressions": 3000, "likes": 60, "replies": 30, "engagements": 90, "link_clicks": 0},
             {"likes": {"2026-12-04": 60}})
    _metrics(org, "e", {"likes": 5, "engagements": 5}, {"likes": {"2026-12-04": 5}})
    org.write("state/business/crm.csv", "date,metric,value,campaign,post,utm_campaign,utm_source,utm_content\n"
              "2026-12-03,sign_ups,40,,,launch,x,a\n"
              "2026-12-05,sign_ups,20,brand/launch,,,,\n"
              "2026-12-06,sign_ups,10,,brand/launch/b,,,\n")
    return org


def _report(org, *args) -> dict:
    result = org.run("report", "--format", "json", "--now", NOW, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_campaign_objective_progress_and_pace_are_worked_out_from_the_business_figures(small):
    [c] = _report(small)["campaigns"]
    assert c["objective"] == {"metric": "sign_ups", "class": "business", "baseline": 100, "target": 400,
                              "deadline": "2027-02-28", "secondary": []}
    assert c["moved"] == 40 + 20 + 10 and c["actual"] == 170
    assert c["progress_pct"] == round(70 / 300 * 100, 1)  # 23.3
    # 70 in the 10.5 days since the window opened (1 Dec, London = UTC in winter); the deadline
    # ends 90 days after that opening: 100 + 70 * 90 / 10.5 = 700, above the target
    assert c["pace"] == {"status": "on track", "projected": 700}
    assert c["posts"] == {"published": 4, "missed": 1, "failed": 1, "unknown": 0, "retracted": 0, "scheduled": 0}
    assert c["series"] == [["2026-12-03", 140], ["2026-12-05", 160], ["2026-12-06", 170]]


def test_pace_says_behind_when_the_rate_falls_short_and_missed_after_the_deadline(small):
    [c] = _report(small, "--now", "2027-01-30T12:00:00+00:00")["campaigns"]
    # 70 in 60.5 days: 100 + 70 * 90 / 60.5 = 204.1
    assert c["pace"] == {"status": "behind", "projected": round(100 + 70 * 90 / 60.5, 1)}
    [c] = _report(small, "--now", "2027-03-02T12:00:00+00:00")["campaigns"]
    assert c["pace"]["status"] == "missed"


def test_engagement_rate_counts_only_posts_whose_impressions_are_known(small):
    [x] = [a for a in _report(small)["accounts"] if a["name"] == "brand-x"]
    assert x["posts"] == 3 and x["impressions"] == 4000 and x["engagements"] == 145
    assert x["engagement_rate"] == round((50 + 90) / 4000 * 100, 2)  # 3.5: post e has no impressions
    assert x["rate_basis"] == "2 of 3 posts report impressions"
    assert [t["target"] for t in x["top"]] == ["brand/launch/b@brand-x", "brand/launch/a@brand-x", "brand/launch/e@brand-x"]
    assert x["top"][0]["url"] == "https://x.com/brand/status/id-b"


def test_on_time_rate_and_lateness_percentiles(small):
    [x] = [a for a in _report(small)["accounts"] if a["name"] == "brand-x"]
    assert x["on_time_rate"] == round(2 / 3 * 100, 1)  # 30 s and 100 s within 5 min, 600 s not
    assert (x["lateness_median_s"], x["lateness_p95_s"]) == (100, 600)  # nearest rank of [30, 100, 600]
    [outbox] = [a for a in _report(small)["accounts"] if a["name"] == "brand-outbox"]
    assert outbox["impressions"] is None and outbox["engagements"] is None and outbox["engagement_rate"] is None


def test_utm_tags_attribute_a_sign_up_to_the_target_that_sent_it(small):
    split = _report(small)["split"]
    assert split["sums"]["business"] == {"link_clicks": 0, "sign_ups": 70}
    # a (by its UTM tags) and b (named as the post) moved a business metric; e and c did not
    assert (split["moved_business"], split["published"], split["moved_business_pct"]) == (2, 4, 50.0)


def test_freshness_flags_stale_pulls_and_says_the_outbox_has_no_metrics(small):
    fresh = {f["account"]: f for f in _report(small)["freshness"]}
    assert fresh["brand-x"]["status"] == "fresh" and fresh["brand-x"]["last_pulled"] == "2026-12-11T06:00:00+00:00"
    assert fresh["brand-outbox"]["status"] == "no metrics" and "no network to ask" in fresh["brand-outbox"]["note"]
    later = {f["account"]: f for f in _report(small, "--now", "2026-12-20T12:00:00+00:00")["freshness"]}
    assert later["brand-x"]["status"] == "stale"


def test_a_vanity_only_objective_is_called_out(small):
    small.write("content/brand/launch/campaign.yaml", (small.root / "content/brand/launch/campaign.yaml").read_text()
                .replace("metric: sign_ups", "metric: impressions"))
    [c] = _report(small)["campaigns"]
    assert c["vanity_only"] and c["actual"] == 100 + 4000
    text = small.run("report", "--now", NOW).output
    assert "vanity-only objective: brand/launch (4 posts published)" in text


def test_filters_and_bad_options(small):
    assert _report(small, "--to", "2026-12-02")["accounts"][0]["posts"] == 1
    result = small.run("report", "--campaign", "brand/lanch")
    assert result.exit_code == 2 and "did you mean 'brand/launch'" in result.output
    result = small.run("report", "--from", "12/01/2026")
    assert result.exit_code == 2 and "is not a date" in result.output


def test_markdown_fits_a_job_summary_and_escapes_nothing_into_tables(small):
    md = small.run("report", "--format", "md", "--now", NOW).output
    assert "| brand/launch | sign_ups 100 → 400 by 2027-02-28 | 170 | 23.3% | on track | 4 | 1 | 1 | 0 |" in md
    assert len(md.encode()) < 1024 * 1024


def test_html_report_in_chromium_has_charts_carrying_the_numbers(small, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    small.write("content/brand/launch/a.yaml", (small.root / "content/brand/launch/a.yaml").read_text()
                .replace("Post a", "Post <script>alert(1)</script> a"))
    out = tmp_path / "report.html"
    assert small.run("report", "--format", "html", "-o", str(out), "--now", NOW).exit_code == 0
    asked = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
            page.on("request", lambda r: asked.append(r.url))
            page.goto(out.as_uri())
            progress = page.locator("[data-campaign='brand/launch'] svg.progress")
            assert progress.get_attribute("data-progress") == "23.3"
            assert float(progress.locator("rect.bar").get_attribute("width")) > 0
            dots = page.locator("[data-campaign='brand/launch'] svg.series-chart circle")
            assert [d.get_attribute("data-value") for d in dots.all()] == ["140", "160", "170"]
            assert len(page.locator("svg.series-chart polyline").get_attribute("points").split()) >= 3
            bar = page.locator("svg.platforms g[data-platform='x']")
            assert bar.get_attribute("data-value") == "145" and bar.locator("rect").bounding_box()["width"] > 0
            assert page.locator("table.accounts tr[data-name='brand-x'] td").nth(4).inner_text() == "3.5%"
            assert page.locator("script").count() == 0  # post text is escaped, never markup
            assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # fits a phone
        finally:
            browser.close()
    assert asked == [out.as_uri()]  # the page asked no host for anything


def test_a_damaged_metrics_file_is_a_sentence_naming_it(small):
    small.write("state/metrics/brand/launch/a.json", "{not json")
    result = small.run("report", "--now", NOW)
    assert result.exit_code == 2
    assert "accord: state/metrics/brand/launch/a.json is not a metrics file" in result.output
    assert "Traceback" not in result.output

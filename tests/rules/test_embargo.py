from __future__ import annotations

from .conftest import mine, post, text_for

CAMPAIGN = """\
name: Launch
owner: alice
window: {start: 2026-12-01, end: 2027-01-31}
embargo: 2026-12-10T14:00:00+00:00
utm_campaign: launch
objective: {metric: sign_ups, baseline: 100, target: 400, deadline: 2027-02-28}
"""
A = "content/brand/launch/a.yaml"


def test_post_before_its_campaigns_embargo_lifts(shared):
    shared.write("content/brand/launch/campaign.yaml", CAMPAIGN)
    shared.write("content/brand/launch/teaser.yaml", f"text: {text_for('teaser')}\naccounts: [brand-outbox]\n"
                 "publish_at: 2026-12-10T14:00:00+00:00\n")  # to the minute: fine
    post(shared, A, "2026-12-10T13:30 Europe/London")
    code, found = shared.check()
    assert code == 1
    assert mine(found) == [(A, "embargo.before-lift", 3)]
    f = next(f for f in found if f["rule"] == "embargo.before-lift")
    assert f["message"] == ("2026-12-10 13:30 Europe/London on brand-x is before the embargo of campaign "
                            "brand/launch lifts at 2026-12-10 14:00 Europe/London")
    assert f["hint"] == "move publish_at to 2026-12-10T14:00 Europe/London or later"


def test_own_embargo_said_in_the_accounts_zone(shared):
    shared.write("content/brand/accounts/tokyo-x.yaml", "platform: x\nhandle: '@jp'\ntimezone: Asia/Tokyo\n")
    post(shared, A, "2026-12-10T09:00", accounts="[tokyo-x]", extra="embargo: 2026-12-10T02:00:00+00:00\n")
    code, found = shared.check()
    assert mine(found) == [(A, "embargo.before-lift", 3)]
    f = next(f for f in found if f["rule"] == "embargo.before-lift")
    assert "before its own embargo lifts at 2026-12-10 11:00 Asia/Tokyo" in f["message"]


def test_on_merge_under_an_active_embargo(shared):
    shared.write("content/brand/launch/campaign.yaml", CAMPAIGN)
    shared.remove("content/brand/launch/teaser.yaml")
    shared.write(A, f"text: {text_for(A)}\naccounts: [brand-x]\non_merge: true\n")
    code, found = shared.check()
    assert code == 1
    assert mine(found) == [(A, "embargo.on-merge", 3)]
    # Once the embargo has lifted, merging publishes at once, as intended.
    code, found = shared.check("--now", "2026-12-10T14:00:00+00:00")
    assert mine(found) == []

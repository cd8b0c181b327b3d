from __future__ import annotations

from .conftest import commit_all, mine, post, record

A = "content/brand/launch/a.yaml"
B = "content/brand/launch/b.yaml"
M = "content/marketing/summit/m.yaml"
# The launch campaign opened before the fixed clock, so past times are inside its window.
FROM_NOVEMBER = """\
name: Launch
owner: alice
window: {start: 2026-11-01, end: 2027-01-31}
utm_campaign: launch
objective: {metric: sign_ups, baseline: 100, target: 400, deadline: 2027-02-28}
"""


def test_example_posts_pass(shared):
    post(shared, A, "2026-12-09T10:00:00+00:00")
    post(shared, B, "2026-12-09T12:00:00+00:00")  # exactly the 2h gap
    code, found = shared.check()
    assert code == 0, found
    assert mine(found) == []


def test_min_gap_within_one_team(shared):
    post(shared, A, "2026-12-09T10:00:00+00:00")
    post(shared, B, "2026-12-09T11:15 Europe/London")
    code, found = shared.check()
    assert code == 1
    assert mine(found) == [(B, "schedule.min-gap", 3)]
    f = next(f for f in found if f["rule"] == "schedule.min-gap")
    assert "1h15m after content/brand/launch/a.yaml on brand-x" in f["message"]
    assert f["hint"] == "move publish_at to 2026-12-09 12:00 Europe/London or later"


def test_collision_across_teams_names_both_files(shared):
    post(shared, A, "2026-12-09T10:00:00+00:00")
    post(shared, M, "2026-12-09T10:30:00+00:00")
    code, found = shared.check()
    assert code == 1
    assert mine(found) == [(A, "schedule.collision", 3), (M, "schedule.collision", 3)]
    for f in found:
        if f["rule"] == "schedule.collision":
            assert A in f["message"] and M in f["message"]
            assert "30m apart" in f["message"]


def test_a_narrowed_run_still_sees_the_other_teams_post(shared):
    post(shared, A, "2026-12-09T10:00:00+00:00")
    post(shared, M, "2026-12-09T10:30:00+00:00")
    post(shared, "content/brand/launch/c.yaml", "2026-12-20T10:00:00+00:00", accounts="[brand-outbox]")
    code, found = shared.check(str(shared.root / M))
    assert code == 1 and mine(found) == [(M, "schedule.collision", 3)]
    code, found = shared.check(str(shared.root / "content/brand/launch/c.yaml"))
    assert code == 0 and mine(found) == []


def test_daily_cap_counts_the_accounts_local_day(shared):
    # Four posts, 3 h apart: the cap is 3 a day on brand-x; the fourth is over it.
    for i, hour in enumerate(("08", "11", "14", "17")):
        post(shared, f"content/brand/launch/p{i}.yaml", f"2026-12-09T{hour}:00:00+00:00")
    code, found = shared.check()
    assert mine(found) == [("content/brand/launch/p3.yaml", "schedule.daily-cap", 3)]
    assert [f["message"] for f in found if f["rule"] == "schedule.daily-cap"] == [
        "post 4 on brand-x on 2026-12-09 (Europe/London); the cap there is 3 a day"]


def test_quiet_hours_follow_the_local_clock_across_dst(shared):
    spring = """\
    name: Spring
    owner: alice
    window: {start: 2027-03-01, end: 2027-11-30}
    utm_campaign: spring
    objective: {metric: sign_ups, baseline: 1, target: 2, deadline: 2027-12-31}
    """
    shared.write("content/brand/spring/campaign.yaml", spring)
    # Clocks go forward in London at 01:00 UTC on 28 March 2027: 06:30 UTC is 07:30 BST, after
    # the 22:00-07:00 quiet hours; the day before, 06:30 UTC is 06:30 GMT, inside them.
    post(shared, "content/brand/spring/before-change.yaml", "2027-03-27T06:30:00+00:00")
    post(shared, "content/brand/spring/after-change.yaml", "2027-03-28T06:30:00+00:00")
    # Clocks go back at 01:00 UTC on 31 October 2027: 06:30 UTC is 07:30 BST the day before
    # (fine) and 06:30 GMT that morning (quiet).
    post(shared, "content/brand/spring/autumn-before.yaml", "2027-10-30T06:30:00+00:00")
    post(shared, "content/brand/spring/autumn-after.yaml", "2027-10-31T06:30:00+00:00")
    code, found = shared.check()
    assert code == 1
    assert mine(found) == [("content/brand/spring/autumn-after.yaml", "schedule.quiet-hours", 3),
                           ("content/brand/spring/before-change.yaml", "schedule.quiet-hours", 3)]
    messages = sorted(f["message"] for f in found if f["rule"] == "schedule.quiet-hours")
    assert messages[0].startswith("06:30 on 2027-03-27 in Europe/London is inside the quiet hours of brand-x (22:00-07:00)")


def test_blackouts_org_wide_and_per_account(shared):
    shared.write("policies/schedule.yaml", """\
    blackouts:
      - start: 2026-12-24T12:00 Europe/London
        end: 2026-12-27T00:00 Europe/London
        reason: Christmas
      - start: 2026-12-10T00:00:00+00:00
        end: 2026-12-11T00:00:00+00:00
        reason: Only the outbox rests
        accounts: [brand-outbox]
    """)
    shared.write("content/brand/accounts/brand-x.yaml", """\
    platform: x
    handle: "@testorg"
    contributors: [marketing]
    limits:
      blackouts:
        - start: 2027-01-05T09:00 Europe/London
          end: 2027-01-05T17:00 Europe/London
          reason: Offsite
    """)
    post(shared, A, "2026-12-24T15:00:00+00:00")  # org-wide blackout
    post(shared, B, "2026-12-10T12:00:00+00:00")  # the outbox's blackout, not brand-x's
    post(shared, M, "2027-01-05T12:00:00+00:00")  # the account's own blackout
    code, found = shared.check()
    assert mine(found) == [(A, "schedule.blackout", 3), (M, "schedule.blackout", 3)]
    assert any(f["message"].endswith(": Christmas") for f in found)


def test_outside_the_campaign_window(shared):
    post(shared, A, "2027-02-01T10:00:00+00:00")  # brand/launch ends 2027-01-31
    post(shared, B, "2026-11-30T10:00:00+00:00")  # and starts 2026-12-01
    code, found = shared.check()
    assert mine(found) == [(A, "schedule.window", 3), (B, "schedule.window", 3)]


def test_new_posts_in_the_past_or_too_soon(shared):
    post(shared, A, "2026-11-23T09:00:00+00:00")
    post(shared, B, "2026-11-23T12:30:00+00:00")
    shared.write("content/brand/launch/campaign.yaml", FROM_NOVEMBER)
    code, found = shared.check("--now", "2026-11-23T12:00:00+00:00")
    assert code == 1
    assert mine(found) == [(A, "schedule.past", 3), (B, "schedule.lead-time", 3)]
    assert [f["level"] for f in found if f["file"] == B] == ["warning"]
    # Once the ledger knows a post, it is no longer new: the publisher deals with it.
    record(shared, "brand/launch/a", {"brand-x": "missed"})
    code, found = shared.check("--now", "2026-11-23T12:00:00+00:00")
    assert mine(found) == [(B, "schedule.lead-time", 3)]


def test_base_revision_decides_what_is_new_or_changed(shared):
    shared.write("content/brand/launch/campaign.yaml", FROM_NOVEMBER)
    post(shared, A, "2026-11-20T10:00:00+00:00")
    commit_all(shared)
    code, found = shared.check("--base", "HEAD")
    assert mine(found) == []  # in the past, but unchanged since the base
    post(shared, A, "2026-11-20T11:00:00+00:00")  # changed: now it counts
    post(shared, B, "2026-11-21T11:00:00+00:00")  # new and not yet added to git
    code, found = shared.check("--base", "HEAD")
    assert mine(found) == [(A, "schedule.past", 3), (B, "schedule.past", 3)]
    bad = shared.run("check", "--base", "no-such-rev")
    assert bad.exit_code == 2
    assert "--base no-such-rev" in bad.output


def test_without_base_the_uncommitted_change_is_what_is_new(shared):
    shared.write("content/brand/launch/campaign.yaml", FROM_NOVEMBER)
    post(shared, A, "2026-11-20T10:00:00+00:00")
    commit_all(shared)
    code, found = shared.check()
    assert (code, mine(found)) == (0, [])  # merged long ago: the publisher records it missed
    post(shared, B, "2026-11-21T11:00:00+00:00")  # what a pre-commit run is about to commit
    code, found = shared.check()
    assert mine(found) == [(B, "schedule.past", 3)]


def test_account_limits_override_policy_defaults(shared):
    shared.write("policies/schedule.yaml", "defaults:\n  min_gap: 3h\n  daily_cap: 1\n")
    post(shared, A, "2026-12-09T10:00:00+00:00", accounts="[brand-outbox]")
    post(shared, B, "2026-12-09T12:30:00+00:00", accounts="[brand-outbox]")
    post(shared, M, "2026-12-09T12:30:00+00:00")  # brand-x: its own 2h gap and cap 3
    code, found = shared.check()
    assert mine(found) == [(B, "schedule.daily-cap", 3), (B, "schedule.min-gap", 3)]


def test_policy_file_is_schema_checked(shared):
    shared.write("policies/schedule.yaml", "defaults:\n  min_gpa: 3h\n")
    code, found = shared.check()
    assert code == 1
    assert [(f["rule"], f["line"], f.get("hint")) for f in found if f["file"] == "policies/schedule.yaml"] == [
        ("schema.unknown-key", 2, "did you mean 'min_gap'?")]


def test_a_blackout_ending_before_it_starts_or_equal_quiet_hours_are_findings(shared):
    """Either would hold nothing back without a word."""
    shared.write("policies/schedule.yaml", """\
    blackouts:
      - start: 2026-12-27T00:00 Europe/London
        end: 2026-12-24T12:00 Europe/London
        reason: Christmas, written backwards
    """)
    shared.write("content/brand/accounts/brand-x.yaml", """\
    platform: x
    handle: "@testorg"
    contributors: [marketing]
    limits:
      quiet_hours: {start: "22:00", end: "22:00"}
    """)
    post(shared, A, "2026-12-10T12:00:00+00:00")
    code, found = shared.check()
    assert [(f["file"], f["rule"], f["line"]) for f in found] == [
        ("content/brand/accounts/brand-x.yaml", "time.invalid", 5),
        ("policies/schedule.yaml", "time.invalid", 3),
    ]
    assert "ends (2026-12-24T12:00 Europe/London) before it starts" in found[1]["message"]
    assert "the same time: no hour is quiet" in found[0]["message"]


def test_a_quiet_hours_hint_names_the_date_they_end(shared):
    # 23:30 London on 9 December is inside 22:00-07:00: they end the next morning
    post(shared, "content/brand/launch/late.yaml", "2026-12-09T23:30:00+00:00")
    post(shared, "content/brand/launch/early.yaml", "2026-12-11T05:00:00+00:00")
    code, found = shared.check()
    hints = {f["file"]: f["hint"] for f in found if f["rule"] == "schedule.quiet-hours"}
    assert hints == {"content/brand/launch/late.yaml": "move publish_at to 2026-12-10 07:00 (Europe/London) or later",
                     "content/brand/launch/early.yaml": "move publish_at to 2026-12-11 07:00 (Europe/London) or later"}

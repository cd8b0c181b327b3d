"""The publisher refuses what the check refuses: its preflight holds back posts with errors and
names every file it could not read, and a post already out is checked for what can still matter."""
from __future__ import annotations

import json

from .conftest import accord, post, publish

NOW = "2026-03-03T23:25:00+00:00"
QUIET = "defaults: {min_gap: 0s, daily_cap: 1000, lead_time: 0s, quiet_hours: {start: '22:00', end: '07:00'}}\n"


def test_a_post_the_check_refuses_is_blocked_with_its_findings_and_goes_out_once_fixed(origin):
    origin.write("policies/schedule.yaml", QUIET)
    origin.write("content/brand/launch/late.yaml", post("Late night news", ["brand-outbox"], "2026-03-03T23:30:00Z"))
    origin.write("content/brand/launch/fine.yaml", post("Evening news", ["news-outbox"], "2026-03-03T21:00:00Z"))
    origin.push()
    runner = origin.clone()
    run = publish(runner, "--format", "json", now=NOW)
    assert run.code == 1, run.err
    blocked = run.outcome("brand/launch/late@brand-outbox")
    assert blocked["status"] == "blocked"
    assert blocked["detail"].startswith("content/brand/launch/late.yaml:3: schedule.quiet-hours ")
    assert origin.outbox_files() == [] and origin.ledger("brand/launch/late") is None
    assert run.by_status("published") == ["brand/launch/fine@news-outbox"]  # the rest of the run went on
    text = publish(runner, now=NOW)
    assert "blocked    brand/launch/late → brand-outbox (outbox): content/brand/launch/late.yaml:3: " \
           "schedule.quiet-hours" in text.out
    # fixed and merged: it is still due, and goes out
    origin.write("content/brand/launch/late.yaml", post("Late night news", ["brand-outbox"], "2026-03-04T07:30:00Z"))
    origin.push("Out of quiet hours")
    fixed = publish(runner, "--format", "json", now="2026-03-04T07:30:00+00:00")
    assert fixed.code == 0, fixed.out
    assert fixed.by_status("published") == ["brand/launch/late@brand-outbox"]
    assert [f["text"] for f in origin.outbox_files()] == ["Late night news"]


def test_a_file_that_does_not_load_is_named_never_a_silent_nothing_due(origin):
    origin.write("content/brand/launch/typo.yaml", "text: Hello\naccounts: [brand-outbox]\npublsh_at: 2026-03-03T09:00:00Z\n")
    origin.write("content/news/accounts/news-x.yaml", "platform: x\nhandle: '@news'\nhandle: '@news2'\n")
    origin.write("policies/voice.yaml", "rules:\n  - id: x\n    type: nonsense\n")  # its rules would not apply
    origin.push()
    for args in (("--dry-run", "--now", "2026-03-03T09:00:00+00:00"), ()):
        run = publish(origin.clone(), "--format", "json", *args, now=None if args else "2026-03-03T09:00:00+00:00")
        assert run.code == 1, run.out + run.err
        problems = run.report["problems"]
        assert any(p.startswith("content/brand/launch/typo.yaml does not load, so none of its targets can be "
                                "planned: line 3: ") for p in problems), problems
        assert any(p.startswith("content/news/accounts/news-x.yaml does not load") and "handle" in p
                   for p in problems), problems
        assert any(p.startswith("policies/voice.yaml does not load") for p in problems), problems
    text = publish(origin.clone(), now="2026-03-03T09:00:00+00:00")
    assert "nothing due" not in text.out and text.out.rstrip().endswith("summary: 3 problems")


def test_a_published_post_is_checked_only_for_what_can_still_matter(origin):
    origin.write("content/brand/launch/out.yaml", post("Out at night", ["brand-outbox"], "2026-03-03T23:20:00Z"))
    origin.push()
    runner = origin.clone()
    assert publish(runner, now=NOW).code == 0
    # quiet hours come in after it went out: history is not an error of today
    origin.write("policies/schedule.yaml", QUIET)
    origin.write("content/brand/launch/next.yaml", post("Next at night", ["brand-outbox"], "2026-03-04T23:20:00Z"))
    origin.push("Quiet hours from now on")  # (and the seed has the publisher's ledger commits)
    check = accord(origin.seed, "check", "--format", "json", "--now", NOW)
    found = [(f["file"], f["rule"]) for f in json.loads(check.out)["findings"]]
    assert ("content/brand/launch/next.yaml", "schedule.quiet-hours") in found
    assert not any(file == "content/brand/launch/out.yaml" for file, _ in found), found
    # an edit of what went out still is
    origin.write("content/brand/launch/out.yaml", post("Out at night, edited", ["brand-outbox"], "2026-03-03T23:20:00Z"))
    check = accord(origin.seed, "check", "--format", "json", "--now", NOW)
    found = [(f["file"], f["rule"]) for f in json.loads(check.out)["findings"]]
    assert ("content/brand/launch/out.yaml", "published.edited") in found
    assert ("content/brand/launch/out.yaml", "schedule.quiet-hours") not in found


def test_nothing_can_be_planned_when_no_account_loads_is_exit_2(origin):
    for team in ("brand", "news"):
        origin.write(f"content/{team}/accounts/{team}-outbox.yaml", "platform: outbox\nhandle: [a\n")
    origin.write("content/brand/launch/a.yaml", post("A", ["brand-outbox"], "2026-03-03T09:00:00Z"))
    origin.push()
    run = publish(origin.clone(), now="2026-03-03T09:00:00+00:00")
    assert run.code == 2 and "no account loads, so nothing can be planned" in run.err
    assert "content/brand/accounts/brand-outbox.yaml line 3: YAML syntax error" in run.err

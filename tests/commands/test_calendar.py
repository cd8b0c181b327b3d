"""`accord calendar`: every team's targets on one calendar, as a table, markdown, JSON and ICS."""
from __future__ import annotations

import json
import os
import subprocess
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from conftest import CAMPAIGN

from accord.cli import cli

REPO = Path(__file__).resolve().parents[2]
EVERY_STATUS = {"draft", "ready", "on_merge", "claimed", "published", "missed", "failed", "unknown", "cancelled",
                "retracted", "frozen", "blocked"}
NOW = "2027-03-26T12:00:00+00:00"


def accord(*args: str, root: Path):
    result = CliRunner().invoke(cli, [*args, "--root", str(root)], catch_exceptions=False)
    return result.exit_code, result.output


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def git(root: Path, *args: str, when: str = "2027-03-01T09:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True,
                          text=True).stdout


def _post(text: str, when: str, extra: str = "", accounts: str = "[brand-outbox]") -> str:
    at = f"publish_at: {when}\n" if when else ""
    return f"text: {text}\naccounts: {accounts}\nlocale: en\n{at}{extra}"


def _record(org, post_id: str, account: str, **entry) -> None:
    org.write(f"state/ledger/{post_id}.json", json.dumps(
        {"post": post_id, "fingerprint": "f" * 16, "targets": {account: {"attempts": 1, "parts": [], **entry}}}))


@pytest.fixture
def planned(org):
    """A repository in git whose targets between 20 and 31 March 2027 hold every status, two of
    them either side of the UK's change to summer time (01:00 UTC on 28 March)."""
    w = org.write
    w("content/brand/launch/campaign.yaml", CAMPAIGN.replace("end: 2027-01-31", "end: 2027-12-31"))
    w("content/brand/accounts/brand-news.yaml", 'platform: outbox\nhandle: "@news"\n')
    w("content/brand/launch/before-change.yaml", _post("Half past midnight, winter time", "2027-03-28T00:30:00+00:00"))
    w("content/brand/launch/after-change.yaml", _post("Half past one UTC, summer time", "2027-03-28T01:30:00+00:00"))
    w("content/brand/launch/naive.yaml", _post("Noon in London", "2027-03-29T12:00"))
    w("content/brand/launch/draft.yaml", _post("Still a draft", "2027-03-27T15:00:00+00:00", "status: draft\n"))
    w("content/brand/launch/called-off.yaml", _post("Called off", "2027-03-27T16:00:00+00:00", "status: cancelled\n"))
    w("content/brand/launch/taken-back.yaml", _post("Taken back", "2027-03-20T10:00:00+00:00", "status: retracted\n"))
    _record(org, "brand/launch/taken-back", "brand-outbox", status="published", url="https://example.invalid/p/1",
            published_at="2027-03-20T10:00:03+00:00")
    w("content/brand/launch/out.yaml", _post("Gone out", "2027-03-21T10:00:00+00:00"))
    _record(org, "brand/launch/out", "brand-outbox", status="published", url="https://example.invalid/p/2",
            published_at="2027-03-21T10:00:04+00:00", lateness_s=4)
    w("content/brand/launch/late.yaml", _post("Too late", "2027-03-22T10:00:00+00:00"))
    _record(org, "brand/launch/late", "brand-outbox", status="missed", error="7 h late; max lateness is 6 h")
    w("content/brand/launch/refused.yaml", _post("Refused", "2027-03-23T10:00:00+00:00"))
    _record(org, "brand/launch/refused", "brand-outbox", status="failed", error="the network refused it")
    w("content/brand/launch/unsure.yaml", _post("Unsure", "2027-03-24T10:00:00+00:00"))
    _record(org, "brand/launch/unsure", "brand-outbox", status="unknown", error="timed out after sending")
    w("content/brand/launch/going.yaml", _post("Going now", "2027-03-26T11:58:00+00:00"))
    _record(org, "brand/launch/going", "brand-outbox", status="claimed", claimed_at="2027-03-26T11:58:00+00:00",
            run="run-7")
    w("content/brand/launch/held.yaml", _post("Held by the freeze", "2027-03-30T10:00:00+00:00",
                                               accounts="[brand-news]"))
    w("policies/freeze.yaml", "freezes:\n  - {reason: Incident review, since: '2027-03-25T09:00:00+00:00', "
                              "account: brand-news}\n")
    w("content/brand/launch/secret.yaml", _post("Under embargo", "2027-03-30T12:00:00+00:00",
                                                 "embargo: 2027-04-01T09:00:00+00:00\n"))
    w("content/brand/launch/merge.yaml", _post("When merged", "", "on_merge: true\n"))
    git(org.root, "init", "-q", "-b", "main")
    git(org.root, "add", "-A")
    git(org.root, "commit", "-q", "-m", "plan")
    return org


def calendar_json(root: Path, *args: str) -> dict:
    code, out = accord("calendar", "--format", "json", "--now", NOW, *args, root=root)
    assert code == 0, out
    return json.loads(out)


def test_every_status_in_the_window_with_local_times_across_the_change_to_summer_time(planned):
    data = calendar_json(planned.root, "--from", "2027-03-20", "--to", "2027-03-31")
    got = {t["post"].rsplit("/", 1)[1]: t for t in data["targets"] + data["unscheduled"]}
    assert {t["status"] for t in got.values()} == EVERY_STATUS
    assert "teaser" not in got  # 8 December 2026: outside the window
    assert (got["before-change"]["day"], got["before-change"]["local"]) == ("2027-03-28", "00:30 GMT")
    assert (got["after-change"]["day"], got["after-change"]["local"]) == ("2027-03-28", "02:30 BST")
    assert got["naive"]["when"] == "2027-03-29T12:00:00+01:00"  # read in the account's zone
    assert got["out"]["url"] == "https://example.invalid/p/2"
    assert got["held"]["detail"] == "frozen (account brand-news) since 2027-03-25T09:00:00+00:00: Incident review"
    # scheduled before its own embargo lifts: the check blocks it, and the calendar says why
    assert got["secret"]["status"] == "blocked" and "embargo.before-lift" in got["secret"]["detail"]
    assert got["merge"]["when"] is None and got["merge"] in data["unscheduled"]
    times = [t["when"] for t in data["targets"]]
    assert times == sorted(times, key=datetime.fromisoformat)


def test_another_zone_moves_times_and_days(planned):
    data = calendar_json(planned.root, "--from", "2027-03-27", "--to", "2027-03-28", "--tz", "America/New_York")
    got = {t["post"].rsplit("/", 1)[1]: (t["day"], t["local"]) for t in data["targets"]}
    # New York changed to summer time on 14 March: 00:30 and 01:30 UTC are the evening before
    assert got["before-change"] == ("2027-03-27", "20:30 EDT")
    assert got["after-change"] == ("2027-03-27", "21:30 EDT")


def test_filters_narrow_to_a_team_account_campaign_or_network(planned):
    w = planned.write
    w("content/support/team.yaml", "name: Support\ngithub_team: testorg/support\nmembers: [sam]\n")
    w("content/support/accounts/support-x.yaml", 'platform: x\nhandle: "@help"\ncredentials_env: SUPPORT_X\n'
                                                 "contributors: [brand]\n")
    w("content/support/help/campaign.yaml", CAMPAIGN.replace("name: Launch", "name: Help"))
    w("content/support/help/tips.yaml", _post("A tip", "2027-03-29T09:00:00+00:00", accounts="[support-x]"))
    w("content/brand/launch/guest.yaml", _post("Brand on support's account", "2027-03-29T10:00:00+00:00",
                                               accounts="[support-x]"))

    def keys(*args):
        data = calendar_json(planned.root, "--from", "2027-03-29", "--to", "2027-03-29", *args)
        return sorted(t["key"] for t in data["targets"])

    assert keys("--team", "support") == ["brand/launch/guest@support-x", "support/help/tips@support-x"]
    assert keys("--platform", "x") == ["brand/launch/guest@support-x", "support/help/tips@support-x"]
    assert keys("--campaign", "support/help") == ["support/help/tips@support-x"]
    assert keys("--account", "brand-outbox") == ["brand/launch/naive@brand-outbox"]
    code, out = accord("calendar", "--team", "suport", root=planned.root)
    assert code == 2 and "--team suport: no such team" in out and "support" in out and "Traceback" not in out


def test_the_table_fits_100_columns_without_colour(planned):
    code, out = accord("calendar", "--now", NOW, "--from", "2027-03-20", "--to", "2027-03-31", root=planned.root)
    assert code == 0, out
    lines = out.splitlines()
    assert "\x1b" not in out
    assert [line for line in lines if "↳" not in line and columns(line) > 100] == []
    assert "Sunday 28 March 2027" in lines and "On merge, or not scheduled yet" in lines
    sunday = lines[lines.index("Sunday 28 March 2027") + 1:lines.index("Sunday 28 March 2027") + 3]
    assert sunday[0].split()[:3] == ["00:30", "GMT", "brand-outbox"] and "Half past midnight" in sunday[0]
    assert sunday[1].split()[:2] == ["02:30", "BST"]
    published = next(i for i, line in enumerate(lines) if "Gone out" in line)
    assert " published " in lines[published]
    assert lines[published + 1].strip() == "↳ https://example.invalid/p/2"
    held = next(i for i, line in enumerate(lines) if "Held by the freeze" in line)
    assert "Incident review" in lines[held + 1]


def test_the_default_window_is_today_and_the_next_14_days(planned):
    code, out = accord("calendar", "--format", "json", "--now", "2027-03-15T08:00:00+00:00", root=planned.root)
    data = json.loads(out)
    assert (data["from"], data["to"][:10]) == ("2027-03-15T00:00:00+00:00", "2027-03-29")
    got = {t["post"].rsplit("/", 1)[1] for t in data["targets"]}
    assert {"taken-back", "naive"} <= got  # 20 and 29 March
    assert "held" not in got  # 30 March: the fifteenth day


def ics_events(root: Path) -> dict[str, icalendar.Event]:
    """The feed's events by summary (account: first words)."""
    code, out = accord("calendar", "--format", "ics", "--now", NOW, "--from", "2027-03-20", "--to", "2027-03-31",
                       root=root)
    assert code == 0, out
    feed = icalendar.Calendar.from_ical(out)
    return {str(e["summary"]): e for e in feed.walk("VEVENT")}


def test_ics_has_one_event_per_timed_target_as_a_calendar_app_reads_it(planned):
    events = ics_events(planned.root)
    timed = calendar_json(planned.root, "--from", "2027-03-20", "--to", "2027-03-31")["targets"]
    assert len(events) == len(timed) == 13  # the on-merge target has no time to show
    assert len({str(e["uid"]) for e in events.values()}) == 13
    after = events["brand-outbox: Half past one UTC, summer time"]
    assert after.decoded("dtstart") == datetime(2027, 3, 28, 1, 30, tzinfo=timezone.utc)
    assert after.decoded("dtstart").utcoffset().total_seconds() == 0
    assert [str(c) for c in after.get("categories").cats] == ["brand/launch"]
    assert str(events["brand-outbox: Called off"]["status"]) == "CANCELLED"
    assert str(events["brand-outbox: Taken back"]["status"]) == "CANCELLED"
    assert str(events["brand-outbox: Still a draft"]["status"]) == "TENTATIVE"
    assert str(events["brand-outbox: Gone out"]["status"]) == "CONFIRMED"
    assert str(events["brand-outbox: Gone out"]["url"]) == "https://example.invalid/p/2"
    assert "url" not in events["brand-outbox: Refused"]
    assert "the network refused it" in str(events["brand-outbox: Refused"]["description"])


def test_ics_uids_hold_across_clones_and_only_the_edited_post_moves(planned, tmp_path):
    clone = tmp_path / "elsewhere"
    subprocess.run(["git", "clone", "-q", str(planned.root), str(clone)], check=True)
    code, here = accord("calendar", "--format", "ics", "--now", NOW, "--from", "2027-03-20", root=planned.root)
    code2, there = accord("calendar", "--format", "ics", "--now", "2027-03-20T08:00:00+00:00", "--from", "2027-03-20",
                          root=clone)
    assert code == code2 == 0
    assert here == there  # another machine, another day: byte for byte the same feed
    code, _ = accord("calendar", "--format", "ics", "--now", NOW, "--from", "2027-03-20", "-o",
                     str(tmp_path / "feed.ics"), root=planned.root)
    written = (tmp_path / "feed.ics").read_bytes().decode()
    assert code == 0 and written.startswith("BEGIN:VCALENDAR\r\n")  # RFC 5545 lines end in CRLF
    assert written.replace("\r\n", "\n") == here  # (click's test runner reads CRLF as LF)
    before = ics_events(planned.root)
    gone = before["brand-outbox: Gone out"]
    assert int(gone["sequence"]) == 0
    # the ledger's record is newer than the commit that planned it
    assert gone.decoded("last-modified") == datetime(2027, 3, 21, 10, 0, 4, tzinfo=timezone.utc)

    planned.write("content/brand/launch/refused.yaml", _post("Refused, then rewritten", "2027-03-23T10:00:00+00:00"))
    git(planned.root, "commit", "-q", "-am", "rewrite", when="2027-03-25T16:00:00+00:00")
    after = ics_events(planned.root)
    assert {str(e["uid"]) for e in after.values()} == {str(e["uid"]) for e in before.values()}
    edited = after["brand-outbox: Refused, then rewritten"]
    assert str(edited["uid"]) == str(before["brand-outbox: Refused"]["uid"])
    assert int(edited["sequence"]) == 1
    assert edited.decoded("last-modified") == datetime(2027, 3, 25, 16, 0, tzinfo=timezone.utc)
    for summary, event in before.items():
        if summary != "brand-outbox: Refused":
            assert after[summary].to_ical() == event.to_ical(), summary


def test_markdown_escapes_what_would_break_a_table_or_run_as_html(planned):
    planned.write("content/brand/launch/naive.yaml", _post("'a | b <b>bold</b>'", "2027-03-29T12:00"))
    code, out = accord("calendar", "--format", "md", "--now", NOW, "--from", "2027-03-29", "--to", "2027-03-29",
                       root=planned.root)
    assert code == 0, out
    assert "### Monday 29 March 2027" in out
    row = next(line for line in out.splitlines() if "a \\| b" in line)
    assert "&lt;b&gt;bold&lt;/b&gt;" in row and row.count(" | ") == 5


def test_the_example_org_around_its_launch_and_new_yorks_change_to_summer_time():
    data = calendar_json(REPO, "--from", "2027-02-16", "--to", "2027-02-19")
    launch = [t for t in data["targets"] if t["post"] == "brand/kestrel-3-launch/announce"]
    assert sorted(t["account"] for t in launch) == ["brand-bluesky", "brand-linkedin", "brand-mastodon", "brand-x"]
    assert {(t["day"], t["local"], t["status"]) for t in launch} == {("2027-02-16", "14:00 GMT", "ready")}
    statuses = {t["post"].rsplit("/", 1)[1]: t["status"] for t in data["targets"]}
    assert statuses["first-day"] == "draft" and statuses["ama"] == "cancelled"
    teams = {t["team"] for t in data["targets"]}
    assert {"brand", "emea", "apac"} <= teams  # one calendar for every team

    ny = calendar_json(REPO, "--from", "2027-03-08", "--to", "2027-03-20", "--tz", "America/New_York")
    local = {(t["key"], t["local"]) for t in ny["targets"]}
    assert ("brand/kestrel-3-launch/customer-story@brand-x", "06:00 EST") in local  # 11:00 GMT, 9 March
    assert ("careers/platform-hiring-q1/last-call@careers-x", "06:00 EDT") in local  # 10:00 GMT, 17 March


def test_a_post_file_that_does_not_load_is_named_not_silently_left_out(planned):
    planned.write("content/brand/launch/broken.yaml", "text: [unclosed\naccounts: [brand-outbox]\n")
    for fmt in ("table", "json", "ics"):
        result = CliRunner().invoke(cli, ["calendar", "--format", fmt, "--now", NOW, "--from", "2027-03-20",
                                          "--to", "2027-03-31", "--root", str(planned.root)])
        assert result.exit_code == 0, result.output
        [line] = result.stderr.splitlines()
        assert line.startswith("accord: content/brand/launch/broken.yaml does not load, so its posts are left out: "
                               "line ")
    assert "Gone out" in result.stdout  # the others are all there


def test_a_post_the_check_blocks_is_labelled_with_why(planned):
    code, out = accord("calendar", "--now", NOW, "--from", "2027-03-30", "--to", "2027-03-31", root=planned.root)
    assert code == 0, out
    [row] = [line for line in out.splitlines() if "Under embargo" in line]
    assert "blocked by the check" in row
    assert "embargo.before-lift" in out.split(row, 1)[1].splitlines()[1]  # the reason, under it

"""Outcomes a person can act on: a failed or missed target is due again once its post changes;
an unknown one is answered with `accord resolve`, an attributed commit the check accepts; and
`accord status` says what needs a person."""
from __future__ import annotations

import json

import git
import pytest

from .conftest import LEDGER_MODES, PERSON, Origin, accord, minutes_ago, post, publish, x_env

TARGET = "brand/launch/teaser@brand-x"
TEXT = "Twice as fast, on every runner."


def _org(tmp_path, x_server, state_branch=None) -> Origin:
    origin = Origin(tmp_path, x_base=x_server.base, state_branch=state_branch)
    origin.write("content/brand/launch/teaser.yaml", post(TEXT, ["brand-x"], minutes_ago(1)))
    origin.push()
    return origin


def _status(cwd, *args):
    run = accord(cwd, "status", "--format", "json", *args, env=x_env())
    return run.code, json.loads(run.out) if run.out.startswith("{") else run


def test_a_failed_target_is_due_again_once_its_post_changes(tmp_path, x_server):
    origin = _org(tmp_path, x_server)
    x_server.fail("POST", "/2/tweets", "duplicate")
    runner = origin.clone()
    assert publish(runner, env=x_env()).code == 1
    again = publish(runner, "--format", "json", env=x_env())  # unchanged: not sent blind again
    assert again.code == 0 and again.report["outcomes"] == []
    code, status = _status(runner)
    [failed] = status["groups"]["failed"]
    assert code == 1 and failed["target"] == TARGET and "duplicate" in failed["detail"]
    assert "a changed post is due again" in failed["todo"]
    origin.write("content/brand/launch/teaser.yaml", post(TEXT + " Now on arm64.", ["brand-x"], minutes_ago(1)))
    origin.push("Say something new")
    fixed = publish(runner, "--format", "json", env=x_env())
    assert fixed.code == 0 and fixed.by_status("published") == [TARGET]
    entry = origin.entry("brand/launch/teaser", "brand-x")
    assert entry["status"] == "published" and entry["attempts"] == 2
    assert [p["text"] for p in x_server.posts] == [TEXT + " Now on arm64."]
    assert _status(runner)[0] == 0


def test_a_missed_target_given_a_new_time_goes_out(origin):
    origin.write("content/brand/launch/old.yaml", post("Old news", ["brand-outbox"], "2026-03-03T01:00:00Z"))
    origin.push()
    runner = origin.clone()
    assert publish(runner, now="2026-03-03T09:00:00+00:00").code == 1
    assert origin.entry("brand/launch/old", "brand-outbox")["status"] == "missed"
    origin.write("content/brand/launch/old.yaml", post("Old news", ["brand-outbox"], "2026-03-03T10:00:00Z"))
    origin.push("Rescheduled")
    run = publish(runner, "--format", "json", now="2026-03-03T10:00:00+00:00")
    assert run.code == 0 and run.by_status("published") == ["brand/launch/old@brand-outbox"]


def _unknown(tmp_path, x_server, state_branch=None) -> tuple[Origin, str]:
    """A target left unknown by a 503; returns the origin and main's commit with that record."""
    origin = _org(tmp_path, x_server, state_branch)
    x_server.fail("POST", "/2/tweets", "status", status=503)
    assert publish(origin.clone(), env=x_env()).code == 1
    assert origin.entry("brand/launch/teaser", "brand-x")["status"] == "unknown"
    return origin, git.Repo(origin.bare).git.rev_parse("main")


def test_an_unknown_target_is_resolved_by_a_person_as_posted_and_the_check_accepts_it(tmp_path, x_server):
    origin, before = _unknown(tmp_path, x_server)
    person = origin.clone("alice")
    code, status = _status(person)
    [unknown] = status["groups"]["unknown"]
    assert code == 1 and "accord resolve brand/launch/teaser --account brand-x" in unknown["todo"]
    url = "https://x.com/brand/status/1234"
    done = accord(person, "resolve", "brand/launch/teaser", "--account", "brand-x", "--posted", url,
                  "--reason", "It is on the timeline; posted by hand at 09:02", env=PERSON)
    assert done.code == 0, done.err
    assert "recorded by Alice <alice@example.org>; committed and pushed" in done.out
    [(author, subject)] = origin.log()[:1]
    assert author == "Alice" and subject == f"accord resolve brand/launch/teaser@brand-x: posted {url}"
    entry = origin.entry("brand/launch/teaser", "brand-x")
    assert entry["status"] == "published" and entry["url"] == url and entry["id"] == "1234"
    assert entry["resolved"]["by"] == "Alice <alice@example.org>" and entry["resolved"]["answer"] == "posted"
    assert _status(person)[0] == 0
    # the check takes exactly that change, as a pull request would bring it, and nothing more
    check = accord(person, "check", "--base", before, "--format", "json")
    assert "published.ledger-written" not in check.out, check.out
    record = person / "state/ledger/brand/launch/teaser.json"
    data = json.loads(record.read_text())
    data["targets"]["brand-x"]["attempts"] = 0
    record.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    check = accord(person, "check", "--base", before, "--format", "json")
    assert [f["rule"] for f in json.loads(check.out)["findings"]].count("published.ledger-written") == 1
    # and the publisher leaves it alone
    assert publish(origin.clone(), "--format", "json", env=x_env()).report["outcomes"] == []
    assert len(x_server.requests_to("POST", "/2/tweets")) == 1


@pytest.mark.parametrize("state_branch", LEDGER_MODES)
def test_an_unknown_target_resolved_not_posted_is_due_again_once_its_post_changes(tmp_path, x_server, state_branch):
    origin, _ = _unknown(tmp_path, x_server, state_branch)
    person = origin.clone("alice")
    done = accord(person, "resolve", "brand/launch/teaser", "--account", "brand-x", "--not-posted",
                  "--reason", "Not on the timeline at 09:10", env=PERSON)
    assert done.code == 0, done.err
    entry = origin.entry("brand/launch/teaser", "brand-x")
    assert entry["status"] == "failed" and "not posted, says Alice" in entry["error"]
    assert origin.log()[0] == ("Alice", "accord resolve brand/launch/teaser@brand-x: not posted")
    again = accord(person, "resolve", "brand/launch/teaser", "--account", "brand-x", "--not-posted",
                   "--reason", "twice", env=PERSON)
    assert again.code == 2 and "is failed; only an unknown outcome is resolved" in again.err
    runner = origin.clone()
    assert publish(runner, "--format", "json", env=x_env()).report["outcomes"] == []  # not blind
    origin.write("content/brand/launch/teaser.yaml", post(TEXT, ["brand-x"], minutes_ago(0)))
    origin.push("Once more, now")
    run = publish(runner, "--format", "json", env=x_env())
    assert run.by_status("published") == [TARGET] and len(x_server.posts) == 1


def test_resolve_says_what_is_wrong_in_a_sentence(origin):
    origin.write("content/brand/launch/a.yaml", post("A", ["brand-outbox"], "2026-03-03T08:59:00Z"))
    origin.push()
    person = origin.clone("alice")
    cases = [
        (("brand/launch/a", "--account", "brand-outbox", "--reason", "x"), "say --posted URL or --not-posted"),
        (("brand/launch/nope", "--account", "brand-outbox", "--not-posted", "--reason", "x"), "no post brand/launch/nope"),
        (("brand/launch/a", "--account", "news-outbox", "--not-posted", "--reason", "x"), "is not for account 'news-outbox'"),
        (("brand/launch/a", "--account", "brand-outbox", "--not-posted", "--reason", "x"), "has no record"),
    ]
    for args, says in cases:
        run = accord(person, "resolve", *args, env=PERSON)
        assert run.code == 2 and says in run.err and "Traceback" not in run.err, (args, run.err)

"""accord publish through the real CLI against a real origin: what a social-media lead sees."""
from __future__ import annotations

import json

import git
import pytest

from .conftest import accord, post, publish, thread

NOW = "2026-03-03T09:00:00+00:00"


def test_fresh_init_repository_publishes_to_the_outbox_without_credentials_or_network(tmp_path):
    made = accord(tmp_path, "init", "hello", "--org", "Hello Co")
    assert made.code == 0, made.err
    root = tmp_path / "hello"
    first = publish(root)
    # published, and says what did not happen: with no origin, nothing was pushed (exit 1)
    assert first.code == 1, first.out + first.err
    assert "published" in first.out and "social/hello-accord/first-post" in first.out
    assert "problem: the ledger was committed here but not pushed (this repository has no origin)" in first.out
    assert first.out.rstrip().endswith("summary: 1 published, 1 problem")
    files = list((root / "outbox" / "social-outbox").glob("*.json"))
    assert len(files) == 1
    sent = json.loads(files[0].read_text())
    assert "Hello from Hello Co" in sent["text"] and "utm_source=outbox" in sent["text"]
    # the ledger is on the state branch accord init sets up: main has only people's commits
    repo = git.Repo(root)
    rec = json.loads(repo.git.show("accord-state:state/ledger/social/hello-accord/first-post.json"))
    assert rec["targets"]["social-outbox"]["status"] == "published"
    assert not repo.is_dirty(untracked_files=True)  # outbox/ git-ignored
    assert not (root / "state").exists()
    assert [c.summary for c in repo.iter_commits("main")] == ["Start an accord content repository"]
    assert repo.commit("accord-state").author.name == "accord publisher"
    status = accord(root, "status", "--format", "json")
    assert status.code == 0 and [r["post"] for r in json.loads(status.out)["groups"]["published"]] == [
        "social/hello-accord/first-post"]
    assert accord(root, "check").code == 0
    again = publish(root, "--no-push")  # local on purpose: nothing to say
    assert again.code == 0 and "nothing due" in again.out
    assert len(list((root / "outbox" / "social-outbox").glob("*.json"))) == 1


def test_due_post_goes_out_once_and_the_ledger_reaches_origin(origin):
    origin.write("content/brand/launch/teaser.yaml", post(
        "Twice as fast.", ["brand-outbox", "news-outbox"], "2026-03-03T08:55:00Z", link="https://example.org/launch"))
    origin.push()
    runner = origin.clone()
    run = publish(runner, "--format", "json", now=NOW)
    assert run.code == 0, run.err
    assert run.by_status("published") == ["brand/launch/teaser@brand-outbox", "brand/launch/teaser@news-outbox"]
    assert run.outcome("brand/launch/teaser@brand-outbox")["lateness_s"] == 300
    [sent] = origin.outbox_files("brand-outbox")
    assert sent["text"] == ("Twice as fast.\n\nhttps://example.org/launch"
                            "?utm_source=outbox&utm_medium=social&utm_campaign=launch&utm_content=teaser")
    rec = origin.ledger("brand/launch/teaser")
    entry = rec["targets"]["brand-outbox"]
    assert entry["status"] == "published" and entry["published_at"] == NOW
    assert entry["lateness_s"] == 300 and entry["attempts"] == 1 and entry["url"].startswith("file://")
    assert len(entry["parts"]) == 1 and rec["fingerprint"]
    text = git.Repo(origin.bare).git.show("main:state/ledger/brand/launch/teaser.json", strip_newline_in_stdout=False)
    assert text.endswith("}\n") and text == json.dumps(rec, indent=2, sort_keys=True) + "\n"
    authors = {a for a, _ in origin.log()[:3]}
    assert authors == {"accord publisher"}
    assert any("published brand/launch/teaser@brand-outbox" in s for _, s in origin.log())
    # another runner, later: nothing twice
    again = publish(origin.clone(), "--format", "json", now="2026-03-03T09:30:00+00:00")
    assert again.code == 0 and again.report["outcomes"] == []
    assert len(origin.outbox_files("brand-outbox")) == 1


def test_look_ahead_waits_inside_the_run_and_posts_on_time(origin):
    origin.write("content/brand/launch/soon.yaml", post("Soon", ["brand-outbox"], "2026-03-03T09:10:00Z"))
    origin.write("content/brand/launch/later.yaml", post("Later", ["brand-outbox"], "2026-03-03T09:20:00Z"))
    origin.push()
    runner = origin.clone()
    no_wait = publish(runner, "--look-ahead", "0", "--format", "json", now=NOW)
    assert no_wait.code == 0 and no_wait.by_status("published") == []
    assert no_wait.by_status("waiting") == ["brand/launch/later@brand-outbox", "brand/launch/soon@brand-outbox"]
    run = publish(runner, "--format", "json", now=NOW)  # look_ahead 15m from accord.yaml
    assert run.by_status("published") == ["brand/launch/soon@brand-outbox"]
    assert run.outcome("brand/launch/soon@brand-outbox")["lateness_s"] == 0
    assert origin.entry("brand/launch/soon", "brand-outbox")["published_at"] == "2026-03-03T09:10:00+00:00"
    later = run.outcome("brand/launch/later@brand-outbox")
    assert later["status"] == "waiting" and later["due_at"] == "2026-03-03T09:20:00+00:00"
    text = publish(runner, now="2026-03-03T09:19:00+00:00")
    assert "published  brand/launch/later → brand-outbox (outbox): on time" in text.out


def test_late_posts_go_out_with_their_lateness_but_stale_ones_are_missed_never_posted(origin):
    origin.write("content/brand/launch/late.yaml", post("Late", ["brand-outbox"], "2026-03-03T04:00:00Z"))
    origin.write("content/brand/launch/stale.yaml", post("Stale", ["brand-outbox"], "2026-03-03T02:00:00Z"))
    origin.push()
    runner = origin.clone()
    run = publish(runner, "--format", "json", now=NOW)
    assert run.code == 1
    assert run.by_status("published") == ["brand/launch/late@brand-outbox"]
    assert run.outcome("brand/launch/late@brand-outbox")["lateness_s"] == 5 * 3600
    assert run.by_status("missed") == ["brand/launch/stale@brand-outbox"]
    assert "max_lateness (6h)" in run.outcome("brand/launch/stale@brand-outbox")["detail"]
    assert [f["text"] for f in origin.outbox_files()] == ["Late"]
    missed = origin.entry("brand/launch/stale", "brand-outbox")
    assert missed["status"] == "missed" and missed["lateness_s"] == 7 * 3600
    again = publish(runner, "--format", "json", now=NOW)
    assert again.code == 0 and again.report["outcomes"] == []
    text = publish(runner, now=NOW)
    assert "summary: nothing due" in text.out


def test_freeze_scopes_publish_nothing_and_say_why(origin):
    origin.write("content/brand/launch/a.yaml", post("Brand news", ["brand-outbox"], "2026-03-03T08:59:00Z"))
    origin.write("content/news/weekly/b.yaml", post("Weekly news", ["news-outbox"], "2026-03-03T08:59:00Z"))
    origin.push()
    seed = origin.seed
    team = accord(seed, "freeze", "--reason", "Incident INC-7: hold brand posts", "--team", "brand", "--now", NOW)
    assert team.code == 0, team.err
    freeze_file = (seed / "policies/freeze.yaml").read_text()
    assert "Incident INC-7" in freeze_file and "team: brand" in freeze_file
    bad = accord(seed, "freeze", "--reason", "x", "--account", "brand-outbx")
    assert bad.code == 2 and "did you mean 'brand-outbox'" in bad.err
    runner = origin.clone()
    run = publish(runner, "--format", "json", now=NOW)
    assert run.code == 0
    assert run.by_status("published") == ["news/weekly/b@news-outbox"]
    frozen = run.outcome("brand/launch/a@brand-outbox")
    assert frozen["status"] == "frozen" and "team brand" in frozen["detail"] and "INC-7" in frozen["detail"]
    assert origin.ledger("brand/launch/a") is None and origin.outbox_files() == []
    # everything frozen, then lifted scope by scope
    assert accord(seed, "freeze", "--reason", "Company-wide pause").code == 0
    assert accord(seed, "unfreeze", "--team", "brand").code == 0
    everything = publish(runner, "--format", "json", now=NOW)
    assert everything.by_status("frozen") == ["brand/launch/a@brand-outbox"]
    assert "everything" in everything.outcome("brand/launch/a@brand-outbox")["detail"]
    unfreeze = accord(seed, "unfreeze")
    assert unfreeze.code == 0 and not (seed / "policies/freeze.yaml").exists()
    assert accord(seed, "unfreeze").code == 1  # nothing left to lift
    lifted = publish(runner, "--format", "json", now=NOW)
    assert lifted.by_status("published") == ["brand/launch/a@brand-outbox"]


def test_account_freeze_and_freeze_file_passes_its_schema(origin):
    origin.write("content/brand/launch/a.yaml", post("One", ["brand-outbox", "news-outbox"], "2026-03-03T08:59:00Z"))
    origin.push()
    assert accord(origin.seed, "freeze", "--reason", "Handle compromised", "--account", "news-outbox").code == 0
    check = accord(origin.seed, "check", "policies/freeze.yaml", "--format", "json", "--now", NOW)
    assert [f for f in json.loads(check.out)["findings"] if f["file"] == "policies/freeze.yaml"] == []
    run = publish(origin.clone(), "--format", "json", now=NOW)
    assert run.by_status("published") == ["brand/launch/a@brand-outbox"]
    assert run.by_status("frozen") == ["brand/launch/a@news-outbox"]


def test_a_freeze_that_cannot_be_read_stops_all_publishing(origin):
    """A hand-edited freeze with a key missing, or naming an account that does not exist, may be
    a freeze someone meant to be in force: the publisher posts nothing until it is mended, and
    the check says where it is wrong."""
    origin.write("content/brand/launch/a.yaml", post("Brand news", ["brand-outbox"], "2026-03-03T08:59:00Z"))
    origin.write("policies/freeze.yaml", "freezes:\n  - reason: Incident INC-9\n")
    origin.push()
    runner = origin.clone()
    run = publish(runner, now=NOW)
    assert run.code == 2
    assert "policies/freeze.yaml line 2: missing required key 'since'" in run.err
    assert "nothing is published until the freeze is mended" in run.err
    assert origin.ledger("brand/launch/a") is None and origin.outbox_files() == []
    origin.write("policies/freeze.yaml", "freezes:\n  - reason: Incident INC-9\n    since: '2026-03-03T08:00:00Z'\n"
                                         "    acount: brand-outbox\n")
    origin.push("Freeze, misspelt")
    assert publish(runner, now=NOW).code == 2 and origin.outbox_files() == []
    origin.write("policies/freeze.yaml", "freezes:\n  - reason: Incident INC-9\n    since: '2026-03-03T08:00:00Z'\n"
                                         "    account: brand-outbx\n")
    origin.push("Freeze, an account that does not exist")
    check = accord(origin.seed, "check", "--format", "json", "--now", NOW)
    unknown = [f for f in json.loads(check.out)["findings"] if f["rule"] == "freeze.unknown"]
    assert [(f["file"], f["line"], f["hint"]) for f in unknown] == [
        ("policies/freeze.yaml", 4, "did you mean 'brand-outbox'?")]
    assert publish(runner, now=NOW).code == 2 and origin.outbox_files() == []
    origin.write("policies/freeze.yaml", "freezes:\n  - reason: Incident INC-9\n    since: '2026-03-03T08:00:00Z'\n"
                                         "    account: brand-outbox\n")
    origin.push("Freeze mended")
    mended = publish(runner, "--format", "json", now=NOW)
    assert mended.code == 0 and mended.by_status("frozen") == ["brand/launch/a@brand-outbox"]


def test_retract_deletes_the_post_and_records_it(origin):
    origin.write("content/brand/launch/oops.yaml", post("Wrong price", ["brand-outbox"], "2026-03-03T08:59:00Z"))
    origin.push()
    runner = origin.clone()
    assert publish(runner, now=NOW).code == 0
    assert len(origin.outbox_files()) == 1
    origin.write("content/brand/launch/oops.yaml", post("Wrong price", ["brand-outbox"], "2026-03-03T08:59:00Z",
                                                        status="retracted"))
    origin.push("Retract the wrong price")
    run = publish(runner, "--format", "json", now="2026-03-03T10:00:00+00:00")
    assert run.code == 0 and run.by_status("retracted") == ["brand/launch/oops@brand-outbox"]
    assert origin.outbox_files() == []
    entry = origin.entry("brand/launch/oops", "brand-outbox")
    assert entry["status"] == "retracted" and entry["retracted_at"] == "2026-03-03T10:00:00+00:00"
    assert entry["published_at"] == NOW  # the record of what went out stays
    assert publish(runner, "--format", "json", now="2026-03-03T11:00:00+00:00").report["outcomes"] == []


def test_a_thread_goes_out_part_by_part_as_replies(origin):
    origin.write("content/brand/launch/story.yaml", thread(["One", "Two", "Three"], ["brand-outbox"],
                                                           "2026-03-03T09:00:00Z"))
    origin.push()
    assert publish(origin.clone(), now=NOW).code == 0
    sent = origin.outbox_files()
    assert [s["text"] for s in sent] == ["One", "Two", "Three"]
    entry = origin.entry("brand/launch/story", "brand-outbox")
    ids = [p["id"] for p in entry["parts"]]
    assert [s["reply_to"] for s in sent] == [None, ids[0], ids[1]]


def test_one_targets_failure_never_stops_the_others(origin, tmp_path):
    origin.write("content/brand/accounts/brand-x.yaml", """\
        platform: x
        handle: "@brand"
        credentials_env: BRAND_X
        api_base: http://127.0.0.1:9
        """)
    origin.write("content/brand/accounts/brand-mastodon.yaml", """\
        platform: mastodon
        handle: "@brand@example.social"
        credentials_env: BRAND_MASTODON
        api_base: http://127.0.0.1:9
        """)
    origin.write("content/brand/launch/all.yaml", post("Everywhere", ["brand-x", "brand-mastodon", "brand-outbox"],
                                                       "2026-03-03T08:59:00Z"))
    origin.push()
    summary = tmp_path / "summary.md"
    secret = "s3cr3t-value-never-shown"
    run = publish(origin.clone(), "--format", "json", env={"GITHUB_STEP_SUMMARY": str(summary), "BRAND_X_API_SECRET": secret}, now=NOW)
    assert run.code == 1
    assert run.by_status("published") == ["brand/launch/all@brand-outbox"]
    assert run.by_status("failed") == ["brand/launch/all@brand-mastodon", "brand/launch/all@brand-x"]
    x = run.outcome("brand/launch/all@brand-x")["detail"]
    assert "BRAND_X_API_KEY" in x and secret not in run.out + run.err
    # a missing secret is not recorded: once it is set, the next run posts
    assert origin.entry("brand/launch/all", "brand-x") is None
    md = summary.read_text()
    assert "accord publish" in md and "| failed |" in md and "BRAND_X_API_KEY" in md


def test_dry_run_plans_from_any_branch_and_writes_nothing(origin):
    origin.write("content/brand/launch/a.yaml", post("A", ["brand-outbox"], "2026-03-03T08:59:00Z"))
    origin.push()
    runner = origin.clone()
    git.Repo(runner).git.checkout("-q", "-b", "feature")
    refused = publish(runner, now=NOW)
    assert refused.code == 2 and "default branch 'main'" in refused.err and "Traceback" not in refused.err
    dry = publish(runner, "--now", NOW, "--dry-run", "--format", "json")
    assert dry.code == 0 and dry.by_status("due") == ["brand/launch/a@brand-outbox"]
    assert origin.outbox_files() == [] and origin.ledger("brand/launch/a") is None
    assert not (runner / "state").exists()


def test_account_and_shard_select_targets(origin):
    for i in range(6):
        origin.write(f"content/brand/launch/p{i}.yaml", post(f"P{i}", ["brand-outbox", "news-outbox"],
                                                             "2026-03-03T08:59:00Z"))
    origin.push()
    only = publish(origin.clone(), "--now", NOW, "--dry-run", "--account", "news-outbox", "--format", "json")
    assert {o["account"] for o in only.report["outcomes"]} == {"news-outbox"}
    shards = [set(publish(origin.clone(), "--now", NOW, "--dry-run", "--shard", f"{i}/3", "--format", "json")
                  .by_status("due")) for i in (1, 2, 3)]
    assert set().union(*shards) == {f"brand/launch/p{i}@{a}" for i in range(6) for a in ("brand-outbox", "news-outbox")}
    assert sum(len(s) for s in shards) == 12  # each target in exactly one shard
    bad = publish(origin.seed, "--shard", "4/3")
    assert bad.code == 2 and "--shard" in bad.err


def test_embargo_holds_a_post_until_it_lifts(origin):
    origin.write("content/brand/launch/news.yaml", post("Big news", ["brand-outbox"], "2026-03-03T08:59:00Z",
                                                        embargo="2026-03-03T12:00:00Z"))
    origin.push()
    runner = origin.clone()
    held = publish(runner, "--format", "json", now=NOW)
    assert held.by_status("waiting") == ["brand/launch/news@brand-outbox"]
    assert "embargoed until 2026-03-03 12:00 UTC" in held.outcome("brand/launch/news@brand-outbox")["detail"]
    assert origin.outbox_files() == []
    # scheduled before the lift, the check refuses it (embargo.before-lift), so the publisher does
    blocked = publish(runner, "--format", "json", now="2026-03-03T11:50:00+00:00")
    assert blocked.code == 1 and blocked.by_status("blocked") == ["brand/launch/news@brand-outbox"]
    assert "embargo.before-lift" in blocked.outcome("brand/launch/news@brand-outbox")["detail"]
    assert origin.outbox_files() == [] and origin.ledger("brand/launch/news") is None
    origin.write("content/brand/launch/news.yaml", post("Big news", ["brand-outbox"], "2026-03-03T12:00:00Z",
                                                        embargo="2026-03-03T12:00:00Z"))
    origin.push("Big news at the lift")
    lifted = publish(runner, "--format", "json", now="2026-03-03T11:50:00+00:00")
    assert lifted.by_status("published") == ["brand/launch/news@brand-outbox"]
    assert origin.entry("brand/launch/news", "brand-outbox")["published_at"] == "2026-03-03T12:00:00+00:00"


def test_state_branch_keeps_the_ledger_off_a_protected_main(origin):
    accord_yaml = (origin.seed / "accord.yaml").read_text()
    origin.write("accord.yaml", accord_yaml + "state:\n  path: state\n  branch: accord-state\n")
    origin.write("content/brand/launch/a.yaml", post("A", ["brand-outbox"], "2026-03-03T08:59:00Z"))
    origin.push()
    main_before = git.Repo(origin.bare).git.rev_parse("main")
    runner = origin.clone()
    run = publish(runner, now=NOW)
    assert run.code == 0, run.err
    assert git.Repo(origin.bare).git.rev_parse("main") == main_before  # main untouched
    assert origin.ledger("brand/launch/a", branch="accord-state")["targets"]["brand-outbox"]["status"] == "published"
    # a second runner reads the state branch: nothing twice
    again = publish(origin.clone(), "--format", "json", now=NOW)
    assert again.code == 0 and again.report["outcomes"] == []
    from accord import ledger, model
    root = origin.clone()
    records = ledger.read(root, model.load(root).settings)
    assert records["brand/launch/a"].targets["brand-outbox"].status == "published"


@pytest.mark.parametrize("args, message", [(["--look-ahead", "soon"], "--look-ahead"),
                                           (["--account", "nope"], "no account 'nope'")])
def test_usage_errors_exit_2_with_a_sentence(origin, args, message):
    run = publish(origin.seed, *args)
    assert run.code == 2 and message in run.err and "Traceback" not in run.err


def test_no_push_commits_locally_and_leaves_origin_alone(origin):
    origin.write("content/brand/launch/a.yaml", post("A", ["brand-outbox"], "2026-03-03T08:59:00Z"))
    origin.push()
    runner = origin.clone()
    before = origin.log()
    run = publish(runner, "--no-push", now=NOW)
    assert run.code == 0 and len(origin.outbox_files()) == 1
    assert origin.log() == before and origin.ledger("brand/launch/a") is None
    assert git.Repo(runner).head.commit.author.name == "accord publisher"
    # the next pushing run sends the records it finds unpushed, and posts nothing again
    again = publish(runner, "--format", "json", now=NOW)
    assert again.code == 0 and again.report["outcomes"] == []
    assert origin.entry("brand/launch/a", "brand-outbox")["status"] == "published"


def test_unpushed_commits_by_people_stop_the_run(origin):
    runner = origin.clone()
    (runner / "notes.txt").write_text("mine\n")
    repo = git.Repo(runner)
    repo.git.add("notes.txt")
    with repo.git.custom_environment(GIT_AUTHOR_NAME="Bob", GIT_AUTHOR_EMAIL="b@example.org",
                                     GIT_COMMITTER_NAME="Bob", GIT_COMMITTER_EMAIL="b@example.org"):
        repo.git.commit("-q", "-m", "local work")
    run = publish(runner, now=NOW)
    assert run.code == 2 and "not on origin/main" in run.err


def test_media_outside_the_repository_is_never_uploaded(origin, tmp_path):
    """A post naming a file elsewhere on the publisher's machine (here a real PNG beside the
    repository) is refused before anything is claimed or posted: the check says so, and the
    publisher's preflight holds it back with that finding."""
    png = tmp_path / "elsewhere.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    origin.write("content/brand/launch/a.yaml", post("A picture", ["brand-outbox"], "2026-03-03T08:59:00Z")
                 + f"media: [{{path: '{png}', alt: A hall}}]\n")
    origin.write("content/brand/launch/b.yaml", post("No picture", ["brand-outbox"], "2026-03-03T08:58:00Z"))
    origin.push()
    check = accord(origin.seed, "check", "--format", "json", "--now", NOW)
    assert "platform.media-outside" in [f["rule"] for f in json.loads(check.out)["findings"]]
    run = publish(origin.clone(), "--format", "json", now=NOW)
    refused = run.outcome("brand/launch/a@brand-outbox")
    assert refused["status"] == "blocked" and "platform.media-outside" in refused["detail"]
    assert run.code == 1
    assert run.by_status("published") == ["brand/launch/b@brand-outbox"]
    assert origin.ledger("brand/launch/a") is None
    assert [f["text"] for f in origin.outbox_files()] == ["No picture"]


CLAIMED = {"status": "claimed", "run": "gh-1.1-aaaa", "claimed_at": "2026-03-03T08:00:00+00:00", "parts": []}


@pytest.mark.parametrize("damage, says", [
    ({**CLAIMED, "claimed_at": "yesterday"}, "claimed_at 'yesterday' is not a time with an offset"),
    ({**CLAIMED, "claimed_at": "2026-03-03T08:00:00"}, "claimed_at '2026-03-03T08:00:00' is not a time with an offset"),
    ({**CLAIMED, "parts": 7}, "parts is not a list of posted parts"),
    ({**CLAIMED, "parts": [{"id": "1"}]}, "each with its platform id and url"),
    ({**CLAIMED, "attempts": "many"}, "attempts and lateness_s are whole numbers"),
    ({**CLAIMED, "status": "posted"}, "status 'posted' is not one of"),
    ("other-post", "it records post brand/launch/other, not brand/launch/a"),
    ("a folder", "cannot be read as a ledger record"),
])
def test_a_damaged_ledger_record_stops_the_run_with_a_sentence(origin, damage, says):
    """Each of these used to end the run in a traceback (or, for an unknown status, wait for ever):
    the run names the file and what is wrong with it, and posts nothing until it is restored."""
    origin.write("content/brand/launch/a.yaml", post("First", ["brand-outbox"], "2026-03-03T08:58:00Z"))
    origin.write("content/brand/launch/b.yaml", post("Second", ["brand-outbox"], "2026-03-03T08:59:00Z"))
    record = origin.seed / "state/ledger/brand/launch/a.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    if damage == "a folder":
        (record / "x").mkdir(parents=True)
        (record / "x" / ".keep").write_text("")
    else:
        data = ({"post": "brand/launch/other", "targets": {}} if damage == "other-post"
                else {"post": "brand/launch/a", "targets": {"brand-outbox": damage}})
        record.write_text(json.dumps(data))
    origin.push()
    run = publish(origin.clone(), now=NOW)
    assert run.code == 2 and "Traceback" not in run.err and len(run.err.strip().splitlines()) == 1
    assert "state/ledger/brand/launch/a.json" in run.err and says in run.err
    assert origin.outbox_files() == []


def test_after_origin_refused_a_claim_the_next_run_says_why_and_posts_nothing(origin):
    """A protected branch refuses the claim: that run posts nothing; the next one finds the claim
    commit still unpushed and stops with a sentence (it ended in a traceback)."""
    origin.write("content/brand/launch/a.yaml", post("First", ["brand-outbox"], "2026-03-03T08:58:00Z"))
    origin.push()
    hook = origin.bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch hook declined' >&2\nexit 1\n")
    hook.chmod(0o755)
    runner = origin.clone()
    first = publish(runner, "--format", "json", now=NOW)
    assert first.code == 1 and first.by_status("failed") == ["brand/launch/a@brand-outbox"]
    second = publish(runner, now=NOW)
    assert second.code == 2 and "Traceback" not in second.err
    assert "cannot be pushed" in second.err and "protected branch hook declined" in second.err
    assert origin.outbox_files() == []


def test_content_not_committed_is_never_published(origin):
    """An edit or a new post on the publisher's machine was never reviewed: the run refuses,
    posts nothing and says which file (it used to publish them and push only the ledger)."""
    origin.write("content/brand/launch/a.yaml", post("Reviewed", ["brand-outbox"], "2026-03-03T08:58:00Z"))
    origin.push()
    runner = origin.clone()
    (runner / "content/brand/launch/new.yaml").write_text(post("Never reviewed", ["brand-outbox"], "2026-03-03T08:59:00Z"))
    run = publish(runner, now=NOW)
    assert run.code == 2 and "content/brand/launch/new.yaml not committed" in run.err
    assert origin.outbox_files() == []
    (runner / "content/brand/launch/new.yaml").unlink()
    (runner / "content/brand/launch/a.yaml").write_text(post("Edited here", ["brand-outbox"], "2026-03-03T08:58:00Z"))
    assert publish(runner, now=NOW).code == 2 and origin.outbox_files() == []
    # a plan from here is still shown, and says what the real run would refuse
    dry = publish(runner, "--now", NOW, "--dry-run")
    assert dry.code == 1 and "problem: content/brand/launch/a.yaml not committed" in dry.out, dry.out


def test_freeze_is_committed_in_your_name_pushed_and_says_who_froze_what_and_why(origin):
    from .conftest import PERSON

    origin.write("content/brand/launch/a.yaml", post("Brand news", ["brand-outbox"], "2026-03-03T08:59:00Z"))
    origin.push()
    person = origin.clone("alice")
    first = accord(person, "freeze", "--reason", "INC-7: handle compromised", "--account", "brand-outbox",
                   "--now", "2026-03-03T08:00:00+00:00", env=PERSON)
    assert first.code == 0, first.err
    assert first.out.strip() == ("policies/freeze.yaml: froze account brand-outbox since 2026-03-03T08:00:00+00:00 by "
                                 "Alice <alice@example.org>: INC-7: handle compromised; committed and pushed to origin/main")
    assert origin.log("main")[0] == ("Alice", "accord freeze account brand-outbox: INC-7: handle compromised")
    # frozen again, for another reason: the first reason and time stand, the new one is added
    again = accord(origin.clone("bob"), "freeze", "--reason", "Legal review too", "--account", "brand-outbox",
                   "--now", "2026-03-03T08:30:00+00:00", env=PERSON)
    assert again.code == 0, again.err
    assert "was frozen already since 2026-03-03T08:00:00+00:00 by Alice <alice@example.org>: INC-7" in again.out
    import yaml
    [entry] = yaml.safe_load(git.Repo(origin.bare).git.show("main:policies/freeze.yaml"))["freezes"]
    assert entry["reason"] == "INC-7: handle compromised" and entry["since"] == "2026-03-03T08:00:00+00:00"
    assert entry["also"] == [{"reason": "Legal review too", "since": "2026-03-03T08:30:00+00:00",
                              "by": "Alice <alice@example.org>"}]
    run = publish(origin.clone(), "--format", "json", now=NOW)
    assert run.code == 0 and "INC-7" in run.outcome("brand/launch/a@brand-outbox")["detail"]
    # --no-push stages it only; unfreeze commits and pushes too, naming what it lifts
    staged = accord(person, "unfreeze", "--account", "brand-outbox", "--no-push", env=PERSON)
    assert staged.code == 0 and "staged (--no-push)" in staged.out
    assert git.Repo(person).git.diff("--cached", "--name-status").split() == ["D", "policies/freeze.yaml"]
    git.Repo(person).git.reset("-q", "--hard", "HEAD")
    lifted = accord(person, "unfreeze", "--account", "brand-outbox", env=PERSON)
    assert lifted.code == 0, lifted.err
    assert "unfroze account brand-outbox (frozen since 2026-03-03T08:00:00+00:00 by Alice" in lifted.out
    assert origin.log("main")[0] == ("Alice", "accord unfreeze account brand-outbox")
    assert publish(origin.clone(), "--format", "json", now=NOW).by_status("published") == ["brand/launch/a@brand-outbox"]


def test_freeze_that_cannot_be_pushed_says_so_and_exits_1(origin, tmp_path):
    from .conftest import PERSON

    person = origin.clone("alice")
    git.Repo(person).git.remote("set-url", "origin", str(tmp_path / "gone.git"))
    run = accord(person, "freeze", "--reason", "Incident", env=PERSON)
    assert run.code == 1 and "froze everything" in run.out and "committed here" in run.out
    assert "not pushed, so the publisher does not know yet" in run.err

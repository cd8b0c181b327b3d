"""Never twice, on every network: publishers racing on one origin, and publishers killed
(SIGKILL) at each step of the protocol, then run again. Each test runs once per network of
tests/networks.py, against its imitation server, which counts every post it is asked to create."""
from __future__ import annotations

import subprocess
import time
from collections import Counter

import pytest
from networks import NETWORKS

from .conftest import LEDGER_MODES, Origin, child_env, minutes_ago, post, publish, publish_cmd, thread, x_env

SINGLES = ["Build caches, explained.", "Twice as fast on arm64.", "Resume from failure is here."]
THREAD = ["A thread on flaky tests: 1/2", "Retry less, quarantine more. 2/2"]


# Every network with its ledger on a state branch (what accord init sets up), and X with the ledger
# on main as well: where the ledger lives is the publisher's business, the same on every network.
NETWORK_AND_LEDGER = [pytest.param(n, mode, id=f"{n.name}-{mode or 'main'}") for n in NETWORKS for mode in LEDGER_MODES
                      if mode is not None or n.name == "x"]


def _texts(network) -> list[str]:
    """What the batch posts: a network without threads gets the thread's parts as one post."""
    return SINGLES + (THREAD if network.threads else ["\n\n".join(THREAD)])


def _batch(origin: Origin, network) -> list[tuple[str, str]]:
    """Three posts and a two-part thread (one post where the network has no threads) to the
    network's account, due a minute ago; returns (post id, account)."""
    due, account = minutes_ago(1), network.account_id
    for i, text in enumerate(SINGLES):
        origin.write(f"content/brand/launch/single-{i}.yaml", post(text, [account], due))
    origin.write("content/brand/launch/flaky.yaml", thread(THREAD, [account], due) if network.threads
                 else post("\n\n".join(THREAD), [account], due))
    origin.push("A batch of posts")
    return [(f"brand/launch/single-{i}", account) for i in range(len(SINGLES))] + [("brand/launch/flaky", account)]


def _assert_once(server, network, origin: Origin, targets) -> None:
    posts = server.posts
    texts = Counter(p["text"] for p in posts)
    assert all(n == 1 for n in texts.values()), texts
    creates = server.requests_to(*network.create)
    assert len(creates) == len(texts)  # not even a refused second attempt
    for post_id, account in targets:
        entry = origin.entry(post_id, account)
        assert entry is not None, post_id
        assert entry["status"] in ("published", "unknown"), entry
        if entry["status"] == "unknown":
            assert entry["error"]
    published = {p["id"] for post_id, a in targets
                 for p in (origin.entry(post_id, a).get("parts") or [])}
    assert published <= {p["id"] for p in posts}


@pytest.mark.parametrize("network, state_branch", NETWORK_AND_LEDGER)
@pytest.mark.parametrize("runners", [2, 3])
def test_publishers_started_at_once_never_post_twice(tmp_path, network, state_branch, runners):
    # The imitation runs in its own process here, as a network is: the publishers race on it.
    with network.apart(tmp_path / "network-state.json") as server:
        origin = Origin(tmp_path, accounts={network.account_id: network.account(server.base)},
                        state_branch=state_branch)
        targets = _batch(origin, network)
        for i in range(3):
            origin.write(f"content/news/weekly/n{i}.yaml", post(f"Weekly {i}", ["news-outbox", "brand-outbox"],
                                                               minutes_ago(1)))
        origin.push("Newsletter blurbs")
        clones = [origin.clone() for _ in range(runners)]
        procs = [subprocess.Popen(publish_cmd(c, "--format", "json"), cwd=c, env=child_env(network.env()),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in clones]
        results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
        assert [code for _, _, code in results] == [0] * runners, [err for _, err, _ in results]
        _assert_once(server, network, origin, targets)
        assert sorted(p["text"] for p in server.posts) == sorted(_texts(network))
    for account in ("news-outbox", "brand-outbox"):
        assert [f["text"] for f in origin.outbox_files(account)] == ["Weekly 0", "Weekly 1", "Weekly 2"]
        for i in range(3):
            assert origin.entry(f"news/weekly/n{i}", account)["status"] == "published"


# Where the run dies: after the claim is committed but not pushed; after the claim is pushed;
# after the platform answered but before anything was recorded (first and a later post); between
# the parts of a thread; after a record was committed but not pushed; after a record was pushed.
CRASH_POINTS = ["committed:1", "claimed", "posted:1", "posted:4", "part:1", "committed:3", "recorded:2"]


@pytest.mark.parametrize("network, state_branch", NETWORK_AND_LEDGER)
@pytest.mark.parametrize("step", CRASH_POINTS)
def test_a_publisher_killed_at_any_step_leaves_nothing_twice_and_everything_recorded(tmp_path, network, state_branch,
                                                                                    step):
    if step.startswith("part") and not network.threads:
        pytest.skip(f"{network.name} has no threads, so no run stops between a thread's parts")
    with network.serve() as server:
        origin = Origin(tmp_path, claim_timeout="1s", accounts={network.account_id: network.account(server.base)},
                        state_branch=state_branch)
        targets = _batch(origin, network)
        runner = origin.clone()
        killed = publish(runner, env={**network.env(), "ACCORD_TEST_CRASH_AT": step})
        assert killed.code == -9, killed.err  # SIGKILL, as a runner dying mid-run
        time.sleep(1.2)  # the dead run's claims are now older than claim_timeout
        again = publish(runner, "--format", "json", env=network.env())
        assert again.code in (0, 1), again.err
        _assert_once(server, network, origin, targets)
        assert {origin.entry(p, a)["status"] for p, a in targets} == {"published"}
        # a third run, from a fresh clone as CI would make: nothing more happens
        before = len(server.requests_to(*network.create))
        third = publish(origin.clone(), "--format", "json", env=network.env())
        assert third.code == 0 and third.report["outcomes"] == []
        assert len(server.requests_to(*network.create)) == before


@pytest.mark.parametrize("state_branch", LEDGER_MODES)
def test_a_thread_resumes_from_the_last_recorded_part_after_a_crash(tmp_path, state_branch):
    origin = Origin(tmp_path, claim_timeout="10m", state_branch=state_branch)
    origin.write("content/brand/launch/story.yaml", thread(["One", "Two", "Three"], ["brand-outbox"],
                                                           "2026-03-03T09:00:00Z"))
    origin.push()
    runner = origin.clone()
    killed = publish(runner, env={"ACCORD_TEST_CRASH_AT": "part:1"}, now="2026-03-03T09:00:00+00:00")
    assert killed.code == -9
    entry = origin.entry("brand/launch/story", "brand-outbox")
    assert entry["status"] == "claimed" and len(entry["parts"]) == 1
    assert [f["text"] for f in origin.outbox_files()] == ["One"]
    # within claim_timeout another run leaves it alone: the claimant may still be alive
    busy = publish(origin.clone(), "--format", "json", now="2026-03-03T09:05:00+00:00")
    assert "claimed by run" in busy.outcome("brand/launch/story@brand-outbox")["detail"]
    resumed = publish(origin.clone(), "--format", "json", now="2026-03-03T09:15:00+00:00")
    assert resumed.code == 0, resumed.err
    assert resumed.by_status("published") == ["brand/launch/story@brand-outbox"]
    sent = origin.outbox_files()
    assert [f["text"] for f in sent] == ["One", "Two", "Three"]
    entry = origin.entry("brand/launch/story", "brand-outbox")
    ids = [p["id"] for p in entry["parts"]]
    assert entry["status"] == "published" and entry["attempts"] == 2 and len(ids) == 3
    assert [f["reply_to"] for f in sent] == [None, ids[0], ids[1]]


def test_a_thread_edited_down_after_its_first_part_went_out_is_recorded_not_left_claimed(tmp_path):
    """Killed after part 1 of 2, then edited to one part: that part is all the post has now, and it
    went out. It is recorded published (saying so), where it stayed claimed for ever with no outcome."""
    origin = Origin(tmp_path, claim_timeout="10m")
    origin.write("content/brand/launch/story.yaml", thread(["One", "Two"], ["brand-outbox"], "2026-03-03T09:00:00Z"))
    origin.push()
    runner = origin.clone()
    killed = publish(runner, env={"ACCORD_TEST_CRASH_AT": "part:1"}, now="2026-03-03T09:00:00+00:00")
    assert killed.code == -9
    origin.write("content/brand/launch/story.yaml", post("One", ["brand-outbox"], "2026-03-03T09:00:00Z"))
    origin.push("One part is enough")
    later = publish(origin.clone(), "--format", "json", now="2026-03-03T09:15:00+00:00")
    assert later.code == 0, later.err
    outcome = later.outcome("brand/launch/story@brand-outbox")
    assert outcome["status"] == "published" and "1 went out before it was edited" in outcome["detail"]
    assert origin.entry("brand/launch/story", "brand-outbox")["status"] == "published"
    assert [f["text"] for f in origin.outbox_files()] == ["One"]


@pytest.mark.parametrize("state_branch", LEDGER_MODES)
def test_a_run_claims_all_it_will_send_in_one_commit_before_any_network_call(tmp_path, x_server, state_branch):
    """Two posts now and one the run waits for: one claim commit, pushed before the first request
    to X; each record after it. Subjects name the run and what it did."""
    origin = Origin(tmp_path, x_base=x_server.base, state_branch=state_branch)
    for i, at in enumerate(["2026-03-03T09:00:00Z", "2026-03-03T09:00:00Z", "2026-03-03T09:05:00Z"]):
        origin.write(f"content/brand/launch/single-{i}.yaml", post(SINGLES[i], ["brand-x"], at))
    origin.push()
    before = len(origin.log())
    killed = publish(origin.clone(), env={**x_env(), "ACCORD_TEST_CRASH_AT": "claimed"}, now="2026-03-03T09:00:00+00:00")
    assert killed.code == -9 and x_server.requests_to("POST", "/2/tweets") == []
    [(author, claim)] = [c for c in origin.log()[:len(origin.log()) - before] if "state branch" not in c[1]]
    assert author == "accord publisher"
    assert claim.startswith("accord local-") and claim.endswith(
        ": claim 3 targets: brand/launch/single-0@brand-x, brand/launch/single-1@brand-x, "
        "brand/launch/single-2@brand-x [skip ci]")
    for i in range(3):
        assert origin.entry(f"brand/launch/single-{i}", "brand-x")["status"] == "claimed"


@pytest.mark.parametrize("state_branch", LEDGER_MODES)
def test_a_claim_for_a_target_the_run_waits_for_is_not_stale_before_it_is_due(tmp_path, state_branch):
    """A run claims at 09:00 what is due at 09:14 (look-ahead 15m) and waits; another run at 09:12,
    past claim_timeout (10m) from the claim but not from the time due, leaves it alone."""
    origin = Origin(tmp_path, state_branch=state_branch)
    origin.write("content/brand/launch/later.yaml", post("Later", ["brand-outbox"], "2026-03-03T09:14:00Z"))
    origin.push()
    killed = publish(origin.clone(), env={"ACCORD_TEST_CRASH_AT": "claimed"}, now="2026-03-03T09:00:00+00:00")
    assert killed.code == -9
    busy = publish(origin.clone(), "--format", "json", now="2026-03-03T09:12:00+00:00")
    assert "claimed by run" in busy.outcome("brand/launch/later@brand-outbox")["detail"]
    assert origin.outbox_files() == []

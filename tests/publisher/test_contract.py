"""`accord publish` does alike on every network of tests/networks.py: real runs in clones of a real
origin, each network's real client library over real HTTP to its imitation. What only one network
does is in its own test module (test_x.py, test_mastodon.py, ...). The `network` and `server`
fixtures: tests/conftest.py."""
from __future__ import annotations

import time

from .conftest import Origin, minutes_ago, one_post, post, publish

TEXT = "Twice as fast (on every runner)."


def _org(tmp_path, network, server) -> Origin:
    return one_post(tmp_path, network, server.base, TEXT)


def _target(network) -> str:
    return f"brand/launch/teaser@{network.account_id}"


def test_a_rate_limit_with_a_near_reset_is_waited_for(tmp_path, network, server):
    origin = _org(tmp_path, network, server)
    # a few seconds ahead: Mastodon.py drops a reset already past when the call is made
    server.fail(*network.create, "rate_limit", reset=int(time.time()) + 5)
    run = publish(origin.clone(), "--format", "json", env=network.env())
    assert run.code == 0 and run.by_status("published") == [_target(network)], run.out + run.err
    assert len(server.requests_to(*network.create)) == 2 and len(server.posts) == 1


def test_a_rate_limit_with_a_far_reset_leaves_the_target_for_the_next_run(tmp_path, network, server):
    origin = _org(tmp_path, network, server)
    server.fail(*network.create, "rate_limit", reset=int(time.time()) + 3600)
    runner = origin.clone()
    run = publish(runner, "--format", "json", env=network.env())
    waiting = run.outcome(_target(network))
    assert run.code == 0 and waiting["status"] == "waiting"
    assert "rate limit" in waiting["detail"] and "next run" in waiting["detail"]
    assert origin.entry("brand/launch/teaser", network.account_id) is None and server.posts == []
    later = publish(runner, "--format", "json", env=network.env())
    assert later.by_status("published") == [_target(network)] and len(server.posts) == 1


def test_a_server_error_is_reconciled_and_recorded_unknown_never_retried_blind(tmp_path, network, server):
    origin = _org(tmp_path, network, server)
    server.fail(*network.create, "status", status=503)
    runner = origin.clone()
    run = publish(runner, "--format", "json", env=network.env())
    unknown = run.outcome(_target(network))
    assert run.code == 1 and unknown["status"] == "unknown"
    assert "503" in unknown["detail"] and "look there" in unknown["detail"]
    assert server.requests_to(*network.find)  # it asked before giving up
    entry = origin.entry("brand/launch/teaser", network.account_id)
    assert entry["status"] == "unknown" and "503" in entry["error"]
    again = publish(runner, "--format", "json", env=network.env())
    assert again.code == 0 and again.report["outcomes"] == []
    assert len(server.requests_to(*network.create)) == 1 and server.posts == []


def test_a_connection_dropped_after_the_post_was_made_is_found_by_reconciling(tmp_path, network, server):
    origin = _org(tmp_path, network, server)
    server.fail(*network.create, "drop")
    run = publish(origin.clone(), "--format", "json", env=network.env())
    assert run.code == 0, run.out
    [made] = server.posts
    assert origin.entry("brand/launch/teaser", network.account_id)["id"] == made["id"]
    assert len(server.requests_to(*network.create)) == 1


def test_retract_deletes_the_post(tmp_path, network, server):
    origin = _org(tmp_path, network, server)
    runner = origin.clone()
    assert publish(runner, env=network.env()).code == 0
    origin.write("content/brand/launch/teaser.yaml", post(TEXT, [network.account_id], minutes_ago(1), status="retracted"))
    origin.push("Retract")
    run = publish(runner, "--format", "json", env=network.env())
    assert run.by_status("retracted") == [_target(network)]
    assert server.posts == [] and server.requests_to(*network.delete)
    assert origin.entry("brand/launch/teaser", network.account_id)["status"] == "retracted"


def test_missing_credentials_are_named_and_nothing_is_claimed(tmp_path, network, server):
    origin = _org(tmp_path, network, server)
    run = publish(origin.clone(), "--format", "json", env={})
    assert run.code == 1
    detail = run.outcome(_target(network))["detail"]
    assert all(variable in detail for variable in network.env()), detail
    assert origin.entry("brand/launch/teaser", network.account_id) is None and server.requests_to("POST", "*") == []


def test_refused_credentials_fail_the_run_but_leave_the_target_for_the_next(tmp_path, network, server):
    origin = _org(tmp_path, network, server)
    runner = origin.clone()
    *_, variable = network.env()
    run = publish(runner, "--format", "json", env={**network.env(), variable: "wrong-wrong-wrong-1234"})
    assert run.code == 1
    failed = run.outcome(_target(network))
    assert failed["status"] == "failed" and f"credentials of account '{network.account_id}'" in failed["detail"]
    assert "renew" in failed["detail"] and variable in failed["detail"]
    assert "next run tries again" in failed["detail"] and "wrong-wrong" not in run.out + run.err
    assert origin.entry("brand/launch/teaser", network.account_id) is None  # not failed for good
    renewed = publish(runner, "--format", "json", env=network.env())
    assert renewed.by_status("published") == [_target(network)] and len(server.posts) == 1

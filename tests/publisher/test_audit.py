"""The audit trail: a publish record names the commit its post went out from and, with a GitHub
token, the pull request that merged it and who approved it; `accord status` shows it."""
from __future__ import annotations

import json
import socket

import git
import pytest

from imitation_github import OWNER, REPO, ImitationGitHub
from .conftest import accord, post, publish

NOW = "2026-03-03T09:00:00+00:00"
POST = "content/brand/launch/out.yaml"


@pytest.fixture
def proposed(origin):
    """Carol's post, merged into main; its commit's sha."""
    origin.write(POST, post("Out now", ["brand-outbox"], "2026-03-03T08:58:00Z"))
    origin.push("Carol's post")
    return git.Repo(origin.seed).head.commit.hexsha


def _env(gh, **extra):
    return {"GITHUB_TOKEN": gh.token, "GITHUB_API_URL": gh.base, "GITHUB_REPOSITORY": f"{OWNER}/{REPO}", **extra}


def test_the_record_names_the_commit_the_pull_request_and_its_approvers(origin, proposed):
    with ImitationGitHub(token="audit-token") as gh:
        gh.pull(12, author="carol", head=proposed, base="0" * 40, commits=[(proposed, "carol", [POST])])
        gh.review(12, "carol", "APPROVED", proposed)  # her own: never an approval
        gh.review(12, "bob", "APPROVED", proposed)
        gh.review(12, "dave", "APPROVED", proposed)
        gh.review(12, "dave", "DISMISSED", proposed)
        gh.review(12, "erin", "COMMENTED", proposed)
        gh.merged(12, proposed)
        ledger_when_asked = []
        gh.on_request = lambda method, path: ledger_when_asked.append(origin.ledger("brand/launch/out"))
        runner = origin.clone()
        run = publish(runner, "--format", "json", now=NOW, env=_env(gh, GITHUB_RUN_ID="4242"))
    assert run.code == 0, run.out + run.err
    assert gh.requested("GET", f"/repos/{OWNER}/{REPO}/commits/{proposed}/pulls")
    # GitHub was asked only once the claim was on the origin
    assert ledger_when_asked and all(r and r["targets"]["brand-outbox"]["status"] == "claimed"
                                     for r in ledger_when_asked)
    entry = origin.ledger("brand/launch/out")["targets"]["brand-outbox"]
    assert entry["status"] == "published"
    assert entry["audit"] == {
        "commit": proposed,
        "run_url": f"https://github.com/{OWNER}/{REPO}/actions/runs/4242",
        "pull_request": {"number": 12, "url": f"https://github.com/{OWNER}/{REPO}/pull/12", "proposed_by": "carol",
                         "merged_at": "2026-11-23T11:00:00Z", "approved_by": ["bob"]}}
    status = json.loads(accord(runner, "status", "--format", "json", "--now", NOW).out)
    [row] = status["groups"]["published"]
    assert row["audit"]["pull_request"]["approved_by"] == ["bob"] and row["run"] == entry["run"]


def test_without_a_token_the_record_names_the_commit_only(origin, proposed):
    run = publish(origin.clone(), "--format", "json", now=NOW)
    assert run.code == 0, run.out + run.err
    assert origin.ledger("brand/launch/out")["targets"]["brand-outbox"]["audit"] == {"commit": proposed}


def test_an_unreachable_github_never_fails_the_publish(origin, proposed):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    env = {"GITHUB_TOKEN": "t", "GITHUB_API_URL": closed, "GITHUB_REPOSITORY": f"{OWNER}/{REPO}"}
    run = publish(origin.clone(), "--format", "json", now=NOW, env=env)
    assert run.code == 0, run.out + run.err
    assert run.by_status("published") == ["brand/launch/out@brand-outbox"]
    assert origin.ledger("brand/launch/out")["targets"]["brand-outbox"]["audit"] == {"commit": proposed}
    assert any("name the commit only" in n and "cannot reach" in n for n in run.report["notices"])

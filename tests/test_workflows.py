"""The shipped workflows keep the promises PRODUCT.md makes about them."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def test_check_runs_on_pull_requests_with_a_read_only_token_and_no_secrets():
    wf = load("check.yml")
    assert "pull_request" in wf[True]  # PyYAML reads the key `on` as true
    assert wf["permissions"] == {"contents": "read"}
    assert "secrets." not in (WORKFLOWS / "check.yml").read_text()
    steps = wf["jobs"]["check"]["steps"]
    assert any("accord check --format github" in s.get("run", "") for s in steps)


def test_a_pull_requests_first_check_starts_from_mains_caches():
    """Pushes to main are checked too and keep their caches under main's key; a pull request
    keeps its own, and falls back to main's: its first check parses only what it changed."""
    wf = load("check.yml")
    assert wf[True]["push"] == {"branches": ["main"]}
    steps = wf["jobs"]["check"]["steps"]
    cache = next(s["with"] for s in steps if s.get("uses", "").startswith("actions/cache@"))
    own = "accord-check-${{ github.event.pull_request.number || 'main' }}-"
    assert cache["key"].startswith(own) and cache["path"] == ".accord-cache"
    assert cache["restore-keys"].split("\n")[:2] == [own, "accord-check-main-"]
    run = next(s["run"] for s in steps if "accord check" in s.get("run", ""))
    assert '${BASE_SHA:+--base "$BASE_SHA"}' in run  # a push has no base to compare with


def test_publisher_is_serialised_never_cancelled_and_may_push():
    wf = load("publish.yml")
    assert wf["concurrency"] == {"group": "publisher", "cancel-in-progress": False}
    assert wf["permissions"] == {"contents": "write"}
    triggers = wf[True]
    minutes = triggers["schedule"][0]["cron"].split()[0]
    assert "0" not in minutes.split(","), "the cron runs off the top of the hour"
    assert triggers["push"] == {"branches": ["main"]} and "workflow_dispatch" in triggers


@pytest.mark.skipif(shutil.which("zizmor") is None, reason="zizmor is a test dependency")
def test_zizmor_finds_nothing():
    result = subprocess.run(["zizmor", "--offline", "--no-progress", str(WORKFLOWS)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _pages_workflows(tmp_path) -> list[tuple[str, dict]]:
    """This repository's pages.yml and the one `accord init` writes into a new repository."""
    made = subprocess.run([sys.executable, "-m", "accord", "init", str(tmp_path / "new")], capture_output=True,
                          text=True)
    assert made.returncode == 0, made.stderr
    new = tmp_path / "new" / ".github" / "workflows" / "pages.yml"
    return [("this repository", load("pages.yml")), ("accord init", yaml.safe_load(new.read_text()))]


def test_pages_builds_the_site_from_main_and_deploys_it_with_the_official_actions_pinned(tmp_path):
    for where, wf in _pages_workflows(tmp_path):
        triggers = wf[True]
        assert triggers["push"] == {"branches": ["main"]} and "schedule" in triggers, where
        assert wf["permissions"] == {}, where  # each job asks for what it needs, no more
        build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
        assert build["permissions"] == {"contents": "read"}, where
        assert deploy["permissions"] == {"pages": "write", "id-token": "write"}, where
        assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages", where
        runs = "\n".join(s.get("run", "") for s in build["steps"])
        assert "accord site -o _site" in runs and "--format ics" in runs and "-o _site/calendar.ics" in runs, where
        uses = [s["uses"] for job in (build, deploy) for s in job["steps"] if "uses" in s]
        assert {u.split("@")[0] for u in uses} >= {"actions/upload-pages-artifact", "actions/deploy-pages"}, where
        assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), (where, uses)
        checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout@"))
        assert checkout["with"]["persist-credentials"] is False, where


@pytest.mark.skipif(shutil.which("zizmor") is None, reason="zizmor is a test dependency")
def test_zizmor_finds_nothing_in_the_workflows_accord_init_writes(tmp_path):
    _pages_workflows(tmp_path)
    result = subprocess.run(["zizmor", "--offline", "--no-progress", str(tmp_path / "new" / ".github" / "workflows")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

"""The shipped workflows keep the promises PRODUCT.md makes about them."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"
INIT = Path(__file__).resolve().parents[1] / "tools" / "accord" / "templates" / "init" / "dot-github" / "workflows"


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


@pytest.mark.parametrize("folder", [WORKFLOWS, INIT])
def test_metrics_pull_runs_daily_off_the_hour_beside_the_publisher_never_cancelled(folder):
    wf = yaml.safe_load((folder / "metrics.yml").read_text())
    minute, hour, *every_day = wf[True]["schedule"][0]["cron"].split()
    assert minute not in ("0", "*") and hour.isdigit() and every_day == ["*", "*", "*"]
    assert "workflow_dispatch" in wf[True]
    # its own group: joining the publisher's would let GitHub cancel a pending publish run
    assert wf["concurrency"] == {"group": "metrics", "cancel-in-progress": False}
    assert wf["permissions"] == {"contents": "write"}
    steps = wf["jobs"]["pull"]["steps"]
    assert any(s.get("run", "").strip() == "accord metrics pull" for s in steps)
    assert all("@" in s["uses"] and len(s["uses"].split("@")[1].split()[0]) == 40 for s in steps if "uses" in s)


@pytest.mark.skipif(shutil.which("zizmor") is None, reason="zizmor is a test dependency")
def test_zizmor_finds_nothing():
    # the init template's files by name: zizmor finds workflows by folder only under .github/
    result = subprocess.run(["zizmor", "--offline", "--no-progress", str(WORKFLOWS), *map(str, sorted(INIT.glob("*.yml")))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

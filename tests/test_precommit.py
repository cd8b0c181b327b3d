"""The hook this repository ships, run by the real pre-commit against a scratch content repo."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import git
import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def content_repo(tmp_path):
    subprocess.run([sys.executable, "-m", "accord", "init", "content-repo"], cwd=tmp_path, check=True,
                   capture_output=True)
    return tmp_path / "content-repo"


def try_repo(content: Path, tmp_path: Path, *files: str) -> subprocess.CompletedProcess:
    # pre-commit builds a virtualenv for the hook and pip-installs this repository into it, with
    # its dependencies, as it does for a user: from the package index (this machine and CI reach
    # it; pip's cache keeps a second run quick). Nothing of this environment's site-packages is
    # seen, so the hook's own install is what is tested.
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"), PIP_DISABLE_PIP_VERSION_CHECK="1")
    for leak in ("VIRTUALENV_SYSTEM_SITE_PACKAGES", "PIP_NO_INDEX", "PYTHONPATH"):
        env.pop(leak, None)
    args = ["pre-commit", "try-repo", str(REPO), "accord-check", "--color", "never"]
    args += ["--files", *files] if files else ["--all-files"]
    return subprocess.run(args, cwd=content, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is a test dependency")
def test_hook_passes_good_content_and_fails_bad_with_our_message(content_repo, tmp_path):
    good = try_repo(content_repo, tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "accord check" in good.stdout and "Passed" in good.stdout

    post = content_repo / "content/social/hello-accord/second.yaml"
    post.write_text("text: Hello again\naccounts: [social-outbox]\non_merge: true\nstauts: ready\n")
    repo = git.Repo(content_repo)
    repo.index.add([str(post)])
    bad = try_repo(content_repo, tmp_path, "content/social/hello-accord/second.yaml")
    assert bad.returncode == 1
    assert "Failed" in bad.stdout
    assert ("content/social/hello-accord/second.yaml:4:1: error[schema.unknown-key] unknown key 'stauts'"
            in bad.stdout)
    assert "did you mean 'status'?" in bad.stdout

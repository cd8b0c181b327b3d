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
    assert {".github/workflows/check.yml", ".github/workflows/publish.yml", ".github/workflows/pages.yml",
            ".github/workflows/metrics.yml", "policies/voice.yaml",
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


def test_the_tool_source_is_recorded_and_github_set_up_is_printed(tmp_path):
    source = "accord @ git+https://github.com/example/accord@0123456789abcdef0123456789abcdef01234567"
    result = accord("init", "org", "--github", "Kestrel/social", "--tool-source", source, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "org"
    assert f'tool:\n  source: "{source}"' in (root / "accord.yaml").read_text()
    assert "github_team: kestrel/social" in (root / "content/social/team.yaml").read_text()
    assert "One-time set-up of Kestrel/social on GitHub:" in result.stdout
    assert "require the status checks `check` and `approvals`" in result.stdout
    assert "not on the package index" not in result.stdout
    assert accord("check", cwd=root).returncode == 0


def test_without_a_tool_source_init_says_the_workflows_need_one(tmp_path):
    result = accord("init", "org", cwd=tmp_path)
    assert result.returncode == 0
    assert "is not on the package index yet" in result.stdout and "--tool-source" in result.stdout
    bad = accord("init", "other", "--tool-source", 'accord"; curl evil', cwd=tmp_path)
    assert bad.returncode == 2 and "--tool-source" in bad.stderr


def test_init_with_networks_adds_an_account_on_each_that_passes_check(tmp_path):
    result = accord("init", "org", "--org", "Hello Co", "--with", "mastodon", "--with", "x", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "org"
    mastodon = (root / "content/social/accounts/social-mastodon.yaml").read_text()
    assert "platform: mastodon" in mastodon and "credentials_env: SOCIAL_MASTODON" in mastodon
    assert "api_base: https://mastodon.example" in mastodon and "scopes read and write" in mastodon
    assert "credentials_env: SOCIAL_X" in (root / "content/social/accounts/social-x.yaml").read_text()
    assert "set SOCIAL_MASTODON_ACCESS_TOKEN for the publisher" in result.stdout
    assert "SOCIAL_X_API_KEY, SOCIAL_X_API_SECRET, SOCIAL_X_ACCESS_TOKEN and SOCIAL_X_ACCESS_TOKEN_SECRET" in result.stdout
    assert not git.Repo(root).is_dirty(untracked_files=True)  # committed with the rest
    check = accord("check", cwd=root)
    assert check.returncode == 0, check.stdout


def test_init_with_an_unknown_network_is_a_usage_error(tmp_path):
    result = accord("init", "org", "--with", "myspace", cwd=tmp_path)
    assert result.returncode == 2 and "myspace" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "org").exists()


def test_init_with_bluesky_and_linkedin_names_their_credentials_and_passes_check(tmp_path):
    result = accord("init", "org", "--org", "Hello Co", "--with", "bluesky", "--with", "linkedin", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "org"
    bluesky = (root / "content/social/accounts/social-bluesky.yaml").read_text()
    assert "platform: bluesky" in bluesky and "credentials_env: SOCIAL_BLUESKY" in bluesky and "App passwords" in bluesky
    linkedin = (root / "content/social/accounts/social-linkedin.yaml").read_text()
    assert "author: urn:li:organization:" in linkedin and "60 days" in linkedin
    assert "set SOCIAL_BLUESKY_HANDLE and SOCIAL_BLUESKY_APP_PASSWORD for the publisher" in result.stdout
    assert "set SOCIAL_LINKEDIN_ACCESS_TOKEN for the publisher" in result.stdout
    check = accord("check", cwd=root)
    assert check.returncode == 0, check.stdout
def test_init_writes_codeowners_in_sync_with_its_teams(tmp_path):
    assert accord("init", "hello", cwd=tmp_path).returncode == 0
    root = tmp_path / "hello"
    text = (root / ".github/CODEOWNERS").read_text()
    assert "/content/social/ @example-org/social" in text
    assert ".github/CODEOWNERS" in git.Repo(root).git.ls_files().splitlines()
    assert accord("codeowners", "--check", cwd=root).returncode == 0


def test_init_refuses_a_folder_with_files_and_with_force_commits_only_its_own(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "diary.txt").write_text("private\n")
    refused = accord("init", str(folder), cwd=tmp_path)
    assert refused.returncode == 2 and "is not empty (diary.txt)" in refused.stderr and "--force" in refused.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["diary.txt"]
    forced = accord("init", str(folder), "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    repo = git.Repo(folder)
    assert "diary.txt" not in repo.git.ls_files().splitlines() and "accord.yaml" in repo.git.ls_files().splitlines()
    assert repo.untracked_files == ["diary.txt"]

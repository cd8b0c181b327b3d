"""What git says about the repository's history, for the read side: whether a revision exists,
which files a change touches, files as they were at a revision, and how often and when each
file changed.

The check calls git through here as a plain subprocess (GitPython costs more to import than a
check of a small org takes); the publisher's writes (commit, push) are gitsync's.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

# What git's --name-status letters mean, in a reviewer's words.
_STATUS = {"A": "added", "M": "edited", "D": "removed", "T": "edited"}


class GitError(Exception):
    """git could not answer (not a repository, no such revision, git missing); the message says why."""


@dataclass(frozen=True)
class ChangedFile:
    path: str  # relative to the repository root
    how: str  # added, edited or removed


def git_paths(root: Path, *commands: tuple[str, ...]) -> list[list[str]]:
    """Each command's paths (-z: as they are, unquoted); the commands run at once (each is a few
    ms, most of it git starting)."""
    running: list[subprocess.Popen] = []
    try:
        for args in commands:
            running.append(subprocess.Popen(["git", "-C", str(root), *args], stdin=subprocess.DEVNULL,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    except OSError as exc:
        for proc in running:
            proc.kill()
            proc.communicate()
        raise GitError(f"git cannot run ({exc.strerror})") from None
    out = []
    for proc in running:
        stdout, stderr = proc.communicate()
        if proc.returncode != 0:
            for rest in running:
                rest.communicate()
            raise GitError(stderr.strip().splitlines()[-1] if stderr.strip() else "git failed")
        out.append([p for p in stdout.split("\0") if p])
    return out


def is_commit(root: Path, rev: str) -> bool:
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return done.returncode == 0


def fork_point(root: Path, base: str) -> str:
    """The commit this checkout forked from `base` at: a change is compared with it, so that what
    landed on the base since is not taken for the change's own."""
    return git_paths(root, ("merge-base", base, "HEAD"))[0][0].strip()


def changed_since(root: Path, since: str) -> list[ChangedFile]:
    """Every file the change touches compared with commit `since`: committed or not, and files
    git does not track yet (as a pre-commit run sees them). Sorted by path."""
    status, untracked = git_paths(root, ("diff", "-z", "--name-status", "--no-renames", "--relative", since),
                                  ("ls-files", "-z", "--others", "--exclude-standard"))
    found = {path: _STATUS.get(letter[:1], "edited") for letter, path in zip(status[0::2], status[1::2], strict=False)}
    found.update((path, "added") for path in untracked)
    return [ChangedFile(path, how) for path, how in sorted(found.items())]


def tracked_at(root: Path, rev: str, *folders: str) -> list[str]:
    """The files under `folders` at commit `rev`."""
    return git_paths(root, ("ls-tree", "-r", "-z", "--name-only", "--full-tree", rev, "--", *folders))[0]


def files_at(root: Path, rev: str, paths: list[str]) -> dict[str, bytes]:
    """The bytes of each of `paths` at commit `rev` (one git process for all of them); a path
    the commit does not have is left out."""
    if not paths:
        return {}
    wanted = [p for p in paths if "\n" not in p]
    try:
        done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], capture_output=True,
                              input="".join(f"{rev}:{p}\n" for p in wanted).encode(), timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git cannot read files at {rev} ({exc})") from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode(errors="replace").strip() or "git cat-file failed")
    out, data, at = {}, done.stdout, 0
    for path in wanted:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) != 3:  # missing
            continue
        size = int(header[2])
        if header[1] == b"blob":  # not a folder
            out[path] = data[at:at + size]
        at += size + 1
    return out


@dataclass(frozen=True)
class FileHistory:
    """What HEAD's history says of one file: how many commits changed it, and when the newest did."""

    commits: int
    changed_at: datetime


def history(root: Path, folder: str) -> dict[str, FileHistory]:
    """Every file under `folder` that HEAD's history holds, by repository-relative path, from one
    `git log`: the same for every clone of the same commit. Empty outside a git repository."""
    try:  # (--relative: paths from `root`, which may be a folder inside a larger repository)
        done = subprocess.run(["git", "-C", str(root), "-c", "core.quotePath=off", "log", "--no-renames",
                               "--relative", "--format=%x1e%ct", "--name-only", "-z", "HEAD", "--", folder],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError:
        return {}
    if done.returncode != 0:
        return {}
    out: dict[str, FileHistory] = {}
    for commit in done.stdout.split("\x1e")[1:]:  # newest first
        stamp, *names = commit.split("\0")  # -z: the date and each name end in NUL, a name may hold "\n"
        when = datetime.fromtimestamp(int(stamp), timezone.utc)
        for name in filter(None, (n.removeprefix("\n") for n in names)):
            seen = out.get(name)
            out[name] = FileHistory(seen.commits + 1, seen.changed_at) if seen else FileHistory(1, when)
    return out


def last_commits(root: Path, paths: list[str]) -> dict[str, str]:
    """The newest commit of HEAD's history that changed each of `paths` (repository-relative),
    from one `git log`; a path no commit changed, or no repository, is left out."""
    if not paths:
        return {}
    try:
        done = subprocess.run(["git", "-C", str(root), "-c", "core.quotePath=off", "log", "--no-renames",
                               "--relative", "--format=%x1e%H", "--name-only", "-z", "HEAD", "--", *paths],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError:
        return {}
    if done.returncode != 0:
        return {}
    out: dict[str, str] = {}
    for commit in done.stdout.split("\x1e")[1:]:  # newest first
        sha, *names = commit.split("\0")
        for name in filter(None, (n.removeprefix("\n") for n in names)):
            out.setdefault(name, sha.strip())
    return out

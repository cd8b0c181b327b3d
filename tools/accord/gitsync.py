"""Git around the publisher: fetch before planning, commit and push ledger changes.

A push to the origin is the lock that makes publishing exactly-once: a ledger change is applied,
committed and pushed; when the push is refused because someone else pushed first, the branch is
moved to the origin's and the change is applied again to what is there now (so a claim another
run made first is seen and left alone). Nothing is ever force-pushed.
"""
from __future__ import annotations

import os
import random
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import git

BOT_NAME = "accord publisher"
BOT_EMAIL = "accord-publisher@users.noreply.github.com"
PUSH_ATTEMPTS = 12
_RACES = ("[rejected]", "fetch first", "non-fast-forward", "cannot lock ref", "failed to lock",
          "incorrect old value", "failed to update ref")
_BOT_ENV = {"GIT_AUTHOR_NAME": BOT_NAME, "GIT_AUTHOR_EMAIL": BOT_EMAIL,
            "GIT_COMMITTER_NAME": BOT_NAME, "GIT_COMMITTER_EMAIL": BOT_EMAIL,
            "GIT_TERMINAL_PROMPT": "0"}


@dataclass(frozen=True)
class Person:
    """Who a commit is by, when not the publisher."""

    name: str
    email: str


class SyncError(Exception):
    """The repository is not in a state the publisher can work from; the message says why."""


class PushFailed(Exception):
    """A ledger change could not reach the origin (not a race: a refusal, no network...)."""


class Sync:
    """The publisher's view of the repository for one run.

    `base` is the folder the ledger lives under: the checkout itself, or a worktree of the
    state branch (accord.yaml `state.branch`) kept inside .git.
    """

    def __init__(self, root: Path, settings, *, push: bool = True, dry_run: bool = False):
        self.root = root
        self.settings = settings
        self.dry_run = dry_run
        self.push_enabled = push and not dry_run
        self.base = root
        self.repo: git.Repo | None = None  # None: not a git repository, files only
        self.state: git.Repo | None = None  # the repository ledger commits go to
        self.branch = settings.default_branch
        self.notices: list[str] = []
        self.problems: list[str] = []  # what did not happen that should have (see Report.problems)
        self.unpushed: str | None = None  # why ledger commits stayed local, push wanted

    # --- before planning -------------------------------------------------------------------

    def prepare(self) -> None:
        try:
            self._prepare()
        except git.GitCommandError as exc:
            raise SyncError(f"git failed while preparing the run: {_reason(exc)}") from None
        except PushFailed as exc:  # ledger commits an earlier run left unpushed
            raise SyncError(f"the ledger commits an earlier run made cannot be pushed ({exc}); nothing is "
                            f"published until origin takes them") from None

    def _prepare(self) -> None:
        try:
            self.repo = git.Repo(self.root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            if not self.dry_run:
                self.notices.append(f"{self.root} is not a git repository: the ledger is written "
                                    f"but not committed, and nothing stops a second run from posting again")
            return
        try:
            current = self.repo.active_branch.name
        except TypeError:
            current = None
        if current != self.settings.default_branch and not self.dry_run:
            where = f"on branch '{current}'" if current else "on a detached HEAD"
            raise SyncError(f"accord publish runs on the default branch "
                            f"'{self.settings.default_branch}' (accord.yaml default_branch); this "
                            f"checkout is {where}. Use --dry-run to see the plan from here.")
        # What goes out is what was reviewed and merged: not an edit or a new file on this machine.
        dirty = self.repo.git.status("--porcelain", "--untracked-files=all", "--",
                                     *(str(self.root / name) for name in ("content", "policies", "accord.yaml"))
                                     ).splitlines()
        if dirty:
            why = (f"{dirty[0][3:]}{f' and {len(dirty) - 1} more' if len(dirty) > 1 else ''} not committed: "
                   f"the publisher posts what is committed on '{self.settings.default_branch}'")
            if not self.dry_run:
                raise SyncError(f"{why}; commit and push it, or stash it")
            self.problems.append(f"{why}, so a real run would refuse to start (this plan includes it)")
        if self.dry_run:
            self._open_state(fetch=False)
            return
        if self._has_origin():
            self._fetch()
            self._catch_up(self.repo, self.settings.default_branch)
        self._open_state(fetch=True)

    def _has_origin(self) -> bool:
        return self.repo is not None and "origin" in [r.name for r in self.repo.remotes]

    def _fetch(self) -> None:
        try:
            with self.repo.git.custom_environment(GIT_TERMINAL_PROMPT="0"):
                self.repo.git.fetch("origin", "--prune")
        except git.GitCommandError as exc:
            raise SyncError(f"cannot fetch from origin: {_reason(exc)}") from None

    def _catch_up(self, repo: git.Repo, branch: str) -> None:
        """Fast-forward `branch` to origin's. Ledger commits a killed run left unpushed are
        pushed now; anything else unpushed is the user's to sort out."""
        upstream = f"origin/{branch}"
        if not _ref_exists(repo, upstream):
            return
        if not repo.head.is_valid():
            repo.git.reset("--keep", upstream)
            return
        ahead, behind = (int(n) for n in repo.git.rev_list("--left-right", "--count",
                                                          f"HEAD...{upstream}").split())
        if not ahead:
            if behind:
                try:
                    repo.git.merge("--ff-only", upstream)
                except git.GitCommandError as exc:
                    raise SyncError(f"cannot fast-forward {branch} to {upstream}: {_reason(exc)}") from None
            return
        authors = set(repo.git.log("--format=%an", f"{upstream}..HEAD").splitlines())
        if authors != {BOT_NAME}:
            raise SyncError(f"{branch} has {ahead} commit(s) that are not on {upstream}; push or "
                            f"drop them before publishing, so the ledger everyone sees is the origin's")
        if behind:
            try:
                repo.git.rebase(upstream)
            except git.GitCommandError:
                repo.git.rebase("--abort")
                raise SyncError(f"ledger commits left by an earlier run conflict with {upstream}; "
                                f"reset {branch} to {upstream} (the next run reconciles with the platform)") from None
        if self.push_enabled:
            _push(repo, branch)

    def _open_state(self, fetch: bool) -> None:
        """Where ledger commits go: this checkout, or the state branch's worktree."""
        self.state = self.repo
        name = self.settings.state_branch
        if not name:
            return
        self.branch = name
        path = Path(self.repo.git_dir) / "accord-state"
        if not path.exists():
            if _ref_exists(self.repo, f"origin/{name}"):
                self.repo.git.worktree("add", "-f", "-B", name, str(path), f"origin/{name}")
            elif _ref_exists(self.repo, name):
                self.repo.git.worktree("add", "-f", str(path), name)
            else:
                self._new_state_branch(name)
                self.repo.git.worktree("add", "-f", str(path), name)
        self.state = git.Repo(path)
        self.base = path / os.path.relpath(self.root, self.repo.working_tree_dir)
        if fetch and self._has_origin():
            self._catch_up(self.state, name)

    def _new_state_branch(self, name: str) -> None:
        """An orphan branch that holds only machine state, starting from an empty commit."""
        # (stdin an empty pipe, not /dev/null: on a machine where that became a plain file, git
        # read whatever it held and refused it as a tree)
        empty_tree = self.repo.git.hash_object("-t", "tree", "-w", "--stdin", istream=subprocess.PIPE)
        with self.repo.git.custom_environment(**_BOT_ENV):
            commit = self.repo.git.commit_tree(empty_tree, "-m", "accord: state branch for the publisher's ledger")
        self.repo.git.branch(name, commit)

    # --- ledger changes ----------------------------------------------------------------------

    def change(self, message: str, folder: Path, apply: Callable[[], bool], *,
               author: Person | None = None) -> None:
        """Apply a ledger change and make it stick: committed, and pushed when there is an origin.

        `apply` edits files under `folder` reading what is there now and returns whether it changed
        anything. It runs again after every refused push, on top of what the origin holds then.
        The commit is the publisher's, or `author`'s (a person's answer: `accord resolve`).
        Raises PushFailed when the change cannot reach the origin.
        """
        for attempt in range(PUSH_ATTEMPTS):
            if not apply() or self.state is None:
                return
            try:
                self._commit(message, folder, author)
            except git.GitCommandError as exc:
                raise PushFailed(f"cannot commit the ledger: {_reason(exc)}") from None
            if not self.push_enabled:
                return
            if not self._has_origin():
                self.unpushed = "this repository has no origin"
                return
            if _push(self.state, self.branch):
                return
            time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))
            self._refresh()
        raise PushFailed(f"gave up after {PUSH_ATTEMPTS} refused pushes to origin/{self.branch}")

    def _commit(self, message: str, folder: Path, author: Person | None = None) -> None:
        repo = self.state
        spec = os.path.relpath(folder, repo.working_tree_dir)
        repo.git.add("-A", "--", spec)
        if not repo.git.status("--porcelain", "--", spec).strip():
            return
        who = _BOT_ENV if author is None else {
            "GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email, "GIT_TERMINAL_PROMPT": "0"}
        with repo.git.custom_environment(**who):
            repo.git.commit("-q", "-m", message, "--", spec)
        crash_point("committed")

    def _refresh(self) -> None:
        """Move the ledger's branch to the origin's, keeping nothing of ours: the change is
        applied again on top."""
        repo = self.state
        try:
            with repo.git.custom_environment(GIT_TERMINAL_PROMPT="0"):
                repo.git.fetch("origin", self.branch)
            repo.git.reset("--keep", f"origin/{self.branch}")
        except git.GitCommandError as exc:
            raise PushFailed(f"cannot catch up with origin/{self.branch}: {_reason(exc)}") from None


def _push(repo: git.Repo, branch: str) -> bool:
    """True when pushed; False when someone pushed first (a race to retry)."""
    try:
        with repo.git.custom_environment(GIT_TERMINAL_PROMPT="0"):
            repo.git.push("--porcelain", "origin", f"HEAD:refs/heads/{branch}")
        return True
    except git.GitCommandError as exc:
        text = f"{exc.stdout}\n{exc.stderr}"
        if any(r in text for r in _RACES):
            return False
        raise PushFailed(f"origin refused the push: {_reason(exc)}") from None


def person(repo: git.Repo, env) -> Person:
    """Who is at the keyboard, from git's configuration (or GIT_AUTHOR_*): a person's change
    (a freeze, an answer for the ledger) is committed in their name."""
    reader = repo.config_reader()
    name = reader.get_value("user", "name", "") if reader.has_option("user", "name") else ""
    email = reader.get_value("user", "email", "") if reader.has_option("user", "email") else ""
    name, email = env.get("GIT_AUTHOR_NAME", name), env.get("GIT_AUTHOR_EMAIL", email)
    if not name or not email:
        raise SyncError("git does not know who you are, and the change is committed in your name "
                        "(git config user.name / user.email)")
    return Person(str(name), str(email))


def catch_up(root: Path, branch: str) -> None:
    """Before a person's change (a freeze): fast-forward `branch` to the origin's, so the change
    is made to what is there now. Nothing to do outside git, without an origin, or on another
    branch (commit_people says so). Raises SyncError when it cannot fast-forward."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
        if repo.active_branch.name != branch or "origin" not in [r.name for r in repo.remotes]:
            return
        with repo.git.custom_environment(GIT_TERMINAL_PROMPT="0"):
            repo.git.fetch("origin", branch)
        if _ref_exists(repo, f"origin/{branch}"):
            repo.git.merge("--ff-only", "-q", f"origin/{branch}")
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, TypeError):
        return
    except git.GitCommandError as exc:
        raise SyncError(f"cannot catch up with origin/{branch} first: {_reason(exc)}") from None


def commit_people(root: Path, rels: list[str], message: str, branch: str, *, push: bool, env) -> str:
    """A person's change to these files, on `branch`: committed in their name and pushed to the
    origin (rebased on it when someone pushed first), or with push=False only staged. Returns
    what was done, as words for the user; raises SyncError when it cannot be committed and
    PushFailed when it is committed but cannot be pushed."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return "written (not a git repository: commit it where the publisher reads it)"
    try:
        repo.git.add("-A", "--", *rels)
        if not push:
            return "staged (--no-push): commit and push it to take effect"
        try:
            current = repo.active_branch.name
        except TypeError:
            current = None
        if current != branch:
            where = f"branch '{current}'" if current else "a detached HEAD"
            raise SyncError(f"this checkout is on {where}, and the publisher reads '{branch}': the change is "
                            f"written and staged, not committed")
        who = person(repo, env)
        with repo.git.custom_environment(GIT_AUTHOR_NAME=who.name, GIT_AUTHOR_EMAIL=who.email,
                                         GIT_COMMITTER_NAME=who.name, GIT_COMMITTER_EMAIL=who.email):
            repo.git.commit("-q", "-m", message, "--", *rels)
    except git.GitCommandError as exc:
        raise SyncError(f"cannot commit it: {_reason(exc)}") from None
    if "origin" not in [r.name for r in repo.remotes]:
        return "committed (this repository has no origin: nothing pushed)"
    for attempt in range(PUSH_ATTEMPTS):
        if _push(repo, branch):
            return f"committed and pushed to origin/{branch}"
        time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))
        try:
            with repo.git.custom_environment(GIT_TERMINAL_PROMPT="0"):
                repo.git.fetch("origin", branch)
                repo.git.rebase("--autostash", f"origin/{branch}")
        except git.GitCommandError:
            try:
                repo.git.rebase("--abort")
            except git.GitCommandError:
                pass
            raise PushFailed(f"origin/{branch} changed the same lines meanwhile; the commit is here: "
                             f"`git pull --rebase`, resolve, push") from None
    raise PushFailed(f"gave up after {PUSH_ATTEMPTS} refused pushes to origin/{branch}")


def _ref_exists(repo: git.Repo, ref: str) -> bool:
    try:
        repo.git.rev_parse("--verify", "-q", f"{ref}^{{commit}}")
        return True
    except git.GitCommandError:
        return False


def _reason(exc: git.GitCommandError) -> str:
    lines = [ln.strip() for ln in f"{exc.stderr or ''}".splitlines() if ln.strip()]
    lines = [ln.removeprefix("stderr: ").strip("'").strip() for ln in lines]
    return "; ".join(ln for ln in lines if ln) or str(exc)


def crash_point(step: str) -> None:
    """Tests kill the publisher here: ACCORD_TEST_CRASH_AT=<step>[:<nth time>] sends SIGKILL to
    this process, as a runner dying mid-run would."""
    wanted = os.environ.get("ACCORD_TEST_CRASH_AT")
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != step:
        return
    _seen[step] = _seen.get(step, 0) + 1
    if _seen[step] >= int(nth or 1):
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


_seen: dict[str, int] = {}

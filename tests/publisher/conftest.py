"""A content repository with a real bare git repository as its origin, clones of it, and
`accord publish` run as a real subprocess in a clone."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import git
import pytest

PERSON = {"GIT_AUTHOR_NAME": "Alice", "GIT_AUTHOR_EMAIL": "alice@example.org",
          "GIT_COMMITTER_NAME": "Alice", "GIT_COMMITTER_EMAIL": "alice@example.org"}

ACCORD = """\
org: Test Org
timezone: UTC
default_branch: main
publisher:
  look_ahead: 15m
  max_lateness: 6h
  claim_timeout: {claim_timeout}
  outbox_dir: {outbox}
"""
TEAM = """\
name: {name}
github_team: testorg/{team}
members: [alice]
timezone: UTC
"""
OUTBOX = """\
platform: outbox
handle: {handle}
contributors: [{contributors}]
"""
# The tests' posts come close together, on purpose: the check (the publisher's preflight) lets them.
SCHEDULE = """\
defaults: {min_gap: 0s, daily_cap: 1000, lead_time: 0s}
"""
X = """\
platform: x
handle: "@brand"
credentials_env: BRAND_X
api_base: {api_base}
"""
CAMPAIGN = """\
name: Launch
owner: alice
window: {start: 2026-01-01, end: 2027-12-31}
key_message: The new release builds twice as fast.
utm_campaign: launch
objective: {metric: sign_ups, baseline: 100, target: 400, deadline: 2027-12-31}
"""


def post(text: str, accounts: list[str], publish_at: str | None = None, **extra) -> str:
    lines = [f"text: {json.dumps(text)}", f"accounts: {json.dumps(accounts)}"]
    lines.append(f"publish_at: {json.dumps(publish_at)}" if publish_at else "on_merge: true")
    lines += [f"{k}: {json.dumps(v)}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def thread(texts: list[str], accounts: list[str], publish_at: str) -> str:
    parts = "".join(f"  - text: {json.dumps(t)}\n" for t in texts)
    return f"thread:\n{parts}accounts: {json.dumps(accounts)}\npublish_at: {json.dumps(publish_at)}\n"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def report(self) -> dict:
        return json.loads(self.out)

    def by_status(self, status: str) -> list[str]:
        return sorted(o["target"] for o in self.report["outcomes"] if o["status"] == status)

    def outcome(self, target: str) -> dict:
        return next(o for o in self.report["outcomes"] if o["target"] == target)


def publish_cmd(cwd: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "accord", "publish", *args]


def child_env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BRAND_", "GITHUB_", "ACCORD_TEST_"))}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.update(extra or {})
    return env


def publish(cwd: Path, *args: str, env: dict | None = None, timeout: float = 60, now: str | None = None) -> Run:
    """`now`: a real run on a fixed clock, through the publisher's test hook (--now is --dry-run's)."""
    env = {**(env or {}), **({"ACCORD_TEST_NOW": now} if now else {})}
    p = subprocess.run(publish_cmd(cwd, *args), cwd=cwd, capture_output=True, text=True,
                       env=child_env(env), timeout=timeout)
    return Run(p.returncode, p.stdout, p.stderr)


def accord(cwd: Path, *args: str, env: dict | None = None) -> Run:
    p = subprocess.run([sys.executable, "-m", "accord", *args], cwd=cwd, capture_output=True,
                       text=True, env=child_env(env), timeout=60)
    return Run(p.returncode, p.stdout, p.stderr)


class Origin:
    """A bare repository as `origin`, and `seed`: the clone where people commit content."""

    def __init__(self, tmp: Path, *, outbox: Path | None = None, claim_timeout: str = "10m",
                 x_base: str | None = None, accounts: dict[str, str] | None = None,
                 state_branch: str | None = None):
        """`accounts`: more account files of the team brand (id -> YAML). `state_branch`: the
        ledger lives on this branch (accord.yaml state.branch), else on main."""
        self.tmp = tmp
        self.ledger_branch = state_branch or "main"
        self.bare = tmp / "origin.git"
        self.seed = tmp / "seed"
        self.outbox = outbox or tmp / "outbox"
        self.n = 0
        files = {
            ".gitignore": ".accord-cache/\n/outbox/\n",
            "accord.yaml": ACCORD.format(claim_timeout=claim_timeout, outbox=self.outbox)
            + (f"state:\n  branch: {state_branch}\n" if state_branch else ""),
            "content/brand/team.yaml": TEAM.format(name="Brand", team="brand"),
            "content/brand/accounts/brand-outbox.yaml": OUTBOX.format(handle="brand", contributors="news"),
            "content/brand/launch/campaign.yaml": CAMPAIGN,
            "content/news/team.yaml": TEAM.format(name="News", team="news"),
            "content/news/accounts/news-outbox.yaml": OUTBOX.format(handle="news", contributors="brand"),
            "policies/schedule.yaml": SCHEDULE,
            "content/news/weekly/campaign.yaml": CAMPAIGN,
        }
        if x_base:
            files["content/brand/accounts/brand-x.yaml"] = X.format(api_base=x_base)
        for account_id, text in (accounts or {}).items():
            files[f"content/brand/accounts/{account_id}.yaml"] = text
        git.Repo.init(self.bare, bare=True, initial_branch="main")
        repo = git.Repo.init(self.seed, initial_branch="main")
        repo.create_remote("origin", str(self.bare))
        for rel, text in files.items():
            self.write(rel, text)
        self.push("Start the content repository")

    def write(self, rel: str, text: str) -> None:
        path = self.seed / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")

    def push(self, message: str = "Content") -> None:
        repo = git.Repo(self.seed)
        with repo.git.custom_environment(**PERSON):
            repo.git.add("-A")
            repo.git.commit("-q", "-m", message)
            if git.Repo(self.bare).head.is_valid():
                repo.git.pull("--rebase", "-q", "origin", "main")
            repo.git.push("-q", "origin", "HEAD:main")

    def clone(self, name: str | None = None) -> Path:
        self.n += 1
        path = self.tmp / (name or f"runner{self.n}")
        git.Repo.clone_from(str(self.bare), path, branch="main")
        return path

    def ledger(self, post_id: str, branch: str | None = None) -> dict | None:
        try:
            text = git.Repo(self.bare).git.show(f"{branch or self.ledger_branch}:state/ledger/{post_id}.json")
        except git.GitCommandError:
            return None
        return json.loads(text)

    def entry(self, post_id: str, account: str) -> dict | None:
        rec = self.ledger(post_id)
        return (rec or {}).get("targets", {}).get(account)

    def log(self, branch: str | None = None) -> list[tuple[str, str]]:
        """(author, subject) of each commit, newest first: of the ledger's branch unless told."""
        try:
            out = git.Repo(self.bare).git.log("--format=%an\t%s", branch or self.ledger_branch).splitlines()
        except git.GitCommandError:  # the state branch before the first run
            return []
        return [tuple(line.split("\t", 1)) for line in out]

    def outbox_files(self, account: str = "brand-outbox") -> list[dict]:
        folder = self.outbox / account
        return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


def one_post(tmp: Path, network, base: str, text: str, *, claim_timeout: str = "10m", **extra) -> Origin:
    """An origin whose brand/launch/teaser posts `text` (with `extra` fields) to the account of
    `network` (tests/networks.py) at `base`, due a minute ago."""
    origin = Origin(tmp, claim_timeout=claim_timeout, accounts={network.account_id: network.account(base)})
    origin.write("content/brand/launch/teaser.yaml", post(text, [network.account_id], minutes_ago(1), **extra))
    origin.push()
    return origin


LEDGER_MODES = [None, "accord-state"]  # the ledger on main, or on a state branch


@pytest.fixture
def origin(tmp_path: Path) -> Origin:
    return Origin(tmp_path)


@pytest.fixture
def x_server():
    import imitation_x

    secrets = (imitation_x.API_SECRET, imitation_x.ACCESS_TOKEN_SECRET)
    with imitation_x.ImitationX(handle="brand", secrets=secrets) as server:
        yield server


def x_env() -> dict:
    import imitation_x

    return imitation_x.env("BRAND_X")


def minutes_ago(n: float) -> str:
    from datetime import datetime, timedelta, timezone

    return (datetime.now(timezone.utc) - timedelta(minutes=n)).isoformat(timespec="seconds")

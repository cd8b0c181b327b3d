"""Shared test helpers: a small content repository in a tmp dir, and the real CLI."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from networks import NETWORKS

from accord.cli import cli

ACCORD = """\
org: Test Org
timezone: Europe/London
"""
TEAM = """\
name: Brand
github_team: testorg/brand
members: [alice, bob]
region: global
timezone: Europe/London
"""
ACCOUNT = """\
platform: outbox
handle: "@testorg"
"""
CAMPAIGN = """\
name: Launch
owner: alice
window: {start: 2026-12-01, end: 2027-01-31}
key_message: The new release builds twice as fast.
hashtags: ["#TestLaunch"]
utm_campaign: launch
objective: {metric: sign_ups, baseline: 100, target: 400, deadline: 2027-02-28}
"""
POST = """\
text: |
  Our new release builds twice as fast. #TestLaunch
accounts: [brand-outbox]
publish_at: 2026-12-08T10:00:00+00:00
locale: en
"""


class Org:
    """A content repository on disk that tests write files into."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def run(self, *args: str, env: dict | None = None):
        """Run `accord ARGS` in the repository; returns click's Result (exit_code, output)."""
        runner = CliRunner()
        import os

        old = os.getcwd()
        os.chdir(self.root)
        try:
            return runner.invoke(cli, list(args), env=env, catch_exceptions=False)
        finally:
            os.chdir(old)

    def check(self, *args: str) -> tuple[int, list[dict]]:
        """`accord check --format json`: exit code and findings."""
        result = self.run("check", "--format", "json", "--now", "2026-11-23T12:00:00+00:00", *args)
        return result.exit_code, json.loads(result.output)["findings"]


@pytest.fixture
def org(tmp_path: Path) -> Org:
    o = Org(tmp_path / "org")
    o.write("accord.yaml", ACCORD)
    o.write("content/brand/team.yaml", TEAM)
    o.write("content/brand/accounts/brand-outbox.yaml", ACCOUNT)
    o.write("content/brand/launch/campaign.yaml", CAMPAIGN)
    o.write("content/brand/launch/teaser.yaml", POST)
    return o


def rules_at(findings: list[dict]) -> list[tuple[str, str, int]]:
    """(file, rule, line) of each finding, sorted: what a test compares against."""
    return sorted((f["file"], f["rule"], f["line"]) for f in findings)


@pytest.fixture(params=NETWORKS, ids=lambda network: network.name)
def network(request):
    """Each network of tests/networks.py in turn: a test that asks for it runs once per network."""
    return request.param


@pytest.fixture
def server(network):
    """The network's imitation server, in this process."""
    with network.serve() as server:
        yield server

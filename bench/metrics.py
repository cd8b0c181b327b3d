"""Benchmarks of `accord metrics pull` and `accord report` (figures in BENCHMARKS.md).

    python bench/metrics.py pull --targets 10000      # against the imitation X server
    python bench/metrics.py report --repeat 5         # the 10k generated org with a year of metrics

pull: an org of N posts on two X accounts, published within the last ten days (ledger records as
the publisher writes them, ids from the imitation server), a bare origin; `accord metrics pull`
runs as a fresh process in a clone, then again (nothing moved: no commit). Printed: lookups made
against the floor (ceil(n / 100) per account) and the time of each run.

report: bench/out/org-10000-history (bench/generate.py) with bench/history.py's year of daily metrics
(every target followed daily for 365 days, as-of 2028-01-31); `accord report --format html` and a
warm `accord check` (the results cache replays) run back to back, `--repeat` times, medians and
the ratio of each pair printed.
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))  # the imitation X server

ACCORD = "org: Bench\ntimezone: UTC\ndefault_branch: main\n"
TEAM = "name: Brand\ngithub_team: bench/brand\nmembers: [alice]\ntimezone: UTC\n"
CAMPAIGN = ("name: Bench\nowner: alice\nwindow: {start: 2026-01-01, end: 2028-12-31}\nkey_message: Faster builds.\n"
            "utm_campaign: bench\nobjective: {metric: sign_ups, baseline: 1, target: 9, deadline: 2028-12-31}\n")
GIT_ENV = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def _run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    import os

    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=900)
    return time.perf_counter() - started, proc


def _git(cwd: Path, *args: str) -> None:
    import os

    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def pull(targets: int) -> None:
    import imitation_x

    accounts = ("brand-x", "news-x")
    with imitation_x.ImitationX(handle="brand") as server, tempfile.TemporaryDirectory() as tmp:
        seed, bare = Path(tmp) / "seed", Path(tmp) / "origin.git"
        files = {"accord.yaml": ACCORD, "content/brand/team.yaml": TEAM, "content/brand/bench/campaign.yaml": CAMPAIGN}
        for a in accounts:
            files[f"content/brand/accounts/{a}.yaml"] = (f'platform: x\nhandle: "@{a}"\ncredentials_env: BRAND_X\n'
                                                         f"api_base: {server.base}\n")
        now = datetime.now(timezone.utc)
        for n in range(targets):
            account = accounts[n % len(accounts)]
            at = now - timedelta(days=1 + n % 9, minutes=n % 600)
            pid = f"brand/bench/p{n:05d}"
            files[f"content/{pid}.yaml"] = (f"text: Post {n}\naccounts: [{account}]\n"
                                            f"publish_at: {at.isoformat(timespec='seconds')}\n")
            tweet = server.post_at(f"Post {n}", at)["id"]
            files[f"state/ledger/{pid}.json"] = json.dumps({"post": pid, "fingerprint": "0" * 16, "targets": {account: {
                "status": "published", "platform": "x", "id": tweet, "url": f"https://x.com/{account}/status/{tweet}",
                "parts": [{"id": tweet, "url": f"https://x.com/{account}/status/{tweet}", "at": at.isoformat()}],
                "published_at": at.isoformat(timespec="seconds"), "lateness_s": 1, "attempts": 1}}}, sort_keys=True)
        for rel, text in files.items():
            path = seed / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        _git(Path(tmp), "init", "-q", "--bare", "-b", "main", str(bare))
        _git(seed, "init", "-q", "-b", "main")
        _git(seed, "add", "-A")
        _git(seed, "commit", "-q", "-m", "bench org")
        _git(seed, "remote", "add", "origin", str(bare))
        _git(seed, "push", "-q", "origin", "main")
        env = {**imitation_x.env("BRAND_X"), "PYTHONPATH": str(ROOT / "tools")}
        cmd = [sys.executable, "-m", "accord", "metrics", "pull", "--format", "json"]
        floor = sum(math.ceil(len(range(i, targets, len(accounts))) / 100) for i in range(len(accounts)))
        for label in ("first pull", "again, nothing moved"):
            before = len(server.requests_to("GET", "/2/tweets"))
            took, proc = _run(cmd, seed, env)
            if proc.returncode != 0:
                raise SystemExit(f"accord metrics pull failed ({proc.returncode}):\n{proc.stderr}{proc.stdout}")
            report = json.loads(proc.stdout)
            lookups = len(server.requests_to("GET", "/2/tweets")) - before
            print(f"{label}: {targets} targets, {lookups} lookups (floor {floor}), {report['changed']} files "
                  f"changed, {took:.2f} s")


def report(repeat: int, posts: int) -> None:
    # An org of its own: the history's ledger records make the posts published, and bench/run.py's
    # edited run on bench/out/org-N would then edit a published post (published.edited).
    org = HERE / "out" / f"org-{posts}-history"
    if not (org / "accord.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(org), "--posts", str(posts)], check=True)
    if not (org / "state" / "metrics").exists():
        subprocess.run([sys.executable, str(HERE / "history.py"), str(org), "--as-of", "2028-01-31T12:00:00+00:00",
                        "--window", "365", "--stale", "none"], check=True)
    env = {"PYTHONPATH": str(ROOT / "tools")}
    accord = [sys.executable, "-m", "accord"]
    _run(accord + ["check"], org, env)  # the caches, once
    _run(accord + ["report", "--format", "html", "-o", str(HERE / "out" / "report.html")], org, env)
    reports, checks = [], []
    for _ in range(repeat):
        took, proc = _run(accord + ["report", "--format", "html", "--now", "2028-01-31T12:00:00+00:00",
                                    "-o", str(HERE / "out" / "report.html")], org, env)
        if proc.returncode != 0:
            raise SystemExit(f"accord report failed:\n{proc.stderr}")
        reports.append(took)
        checks.append(_run(accord + ["check"], org, env)[0])
    size = (HERE / "out" / "report.html").stat().st_size
    ratios = [r / c for r, c in zip(reports, checks, strict=True)]
    print(f"report --format html: median {statistics.median(reports):.2f} s (min {min(reports):.2f}, max "
          f"{max(reports):.2f}), {size / 1e6:.1f} MB")
    print(f"warm check (replayed): median {statistics.median(checks):.2f} s; report / check in pairs: median "
          f"{statistics.median(ratios):.1f}x")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    p = sub.add_parser("pull")
    p.add_argument("--targets", type=int, default=10_000)
    r = sub.add_parser("report")
    r.add_argument("--repeat", type=int, default=5)
    r.add_argument("--posts", type=int, default=10_000)
    args = ap.parse_args(argv)
    if args.what == "pull":
        pull(args.targets)
    else:
        report(args.repeat, args.posts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

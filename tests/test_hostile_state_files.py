"""The machine's files and the business exports (state/metrics/*.json, state/business/*.csv) are
read through the same guard as every other file: a link leading out of the repository, a pipe,
socket or device, or a file over its documented size limit is refused at the file, and nothing of
what it points to is read or printed. Through the real CLI, as test_hostile_files.py."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import rules_at
from test_hostile_files import NOW, SECRET, _measured, check, findings, shown

GOOD_CSV = "date,metric,value,campaign\n2026-11-20,sign_ups,3,brand/launch\n"
BAD_CSV = "date,metric,value,campaign\n20-11-2026,sign_ups,3,brand/launch\n"
METRICS = "state/metrics/brand/launch/teaser.json"


def published(org) -> None:
    """The teaser went out: the report and the site read its metrics."""
    org.write("state/ledger/brand/launch/teaser.json", json.dumps({"post": "brand/launch/teaser", "targets": {
        "brand-outbox": {"status": "published", "platform": "outbox", "id": "1", "url": "file:///outbox/1",
                         "published_at": "2026-11-20T10:00:00+00:00", "attempts": 1, "parts": []}}}))


def accord(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "accord", *args], cwd=root, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    away = tmp_path / "away"
    away.mkdir()
    (away / "export.csv").write_text(f"date,metric,value,campaign\n2026-11-20,{SECRET},1,{SECRET}\n")
    (away / "metrics.json").write_text(json.dumps({"post": SECRET, "targets": {}}))
    return away


def test_business_csvs_leading_outside_or_not_files_are_findings_and_the_rest_is_checked(org, outside):
    business = org.root / "state/business"
    business.mkdir(parents=True)
    (business / "leak.csv").symlink_to(outside / "export.csv")
    (business / "passwd.csv").symlink_to("/etc/passwd")
    os.mkfifo(business / "pipe.csv")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(business / "socket.csv"))
    (business / "good.csv").write_text(GOOD_CSV)
    (business / "bad.csv").write_text(BAD_CSV)
    try:
        runs = [check(org.root), check(org.root)]  # the second one from the caches
        text = check(org.root, fmt="text")
    finally:
        server.close()
    for run in runs:
        assert run.returncode == 1
        assert rules_at(findings(run)) == [("state/business/bad.csv", "business.date", 2),
                                           ("state/business/leak.csv", "file.outside", 1),
                                           ("state/business/passwd.csv", "file.outside", 1),
                                           ("state/business/pipe.csv", "file.special", 1),
                                           ("state/business/socket.csv", "file.special", 1)]
    assert "state/business/leak.csv:1:1: error[file.outside] a symbolic link that leads outside" in text.stdout
    assert SECRET not in shown(org.root, *runs, text) and "root:" not in text.stdout
    report = accord(org.root, "report", "--format", "json", "--now", NOW)  # the good file still counts
    assert report.returncode == 0, report.stderr
    [launch] = json.loads(report.stdout)["campaigns"]
    assert launch["moved"] == 3 and SECRET not in report.stdout + report.stderr


def test_a_business_csv_over_its_limit_is_one_finding_in_little_memory(org, tmp_path):
    business = org.root / "state/business"
    business.mkdir(parents=True)
    with open(business / "huge.csv", "w") as fh:
        fh.write("date,metric,value,campaign\n")
        row = "2026-11-20,sign_ups,1,brand/launch\n"
        fh.write(row * (20_000_000 // len(row)))
    (business / "bad.csv").write_text(BAD_CSV)
    code, out, err, peak_mb, seconds = _measured(
        ["-m", "accord", "check", "--format", "json", "--now", NOW], org.root, tmp_path)
    assert code == 1 and not err
    found = json.loads(out)["findings"]
    assert rules_at(found) == [("state/business/bad.csv", "business.date", 2),
                               ("state/business/huge.csv", "file.too-large", 1)]
    assert found[1]["message"].startswith("19.1 MiB: accord reads files of up to 16 MiB")
    assert peak_mb < 500, f"peak resident set {peak_mb:.0f} MB"


@pytest.mark.parametrize("command", [["report", "--format", "json"], ["site", "-o", "built"]])
def test_a_metrics_file_leading_outside_is_named_and_nothing_of_it_is_read(org, outside, command):
    published(org)
    path = org.root / METRICS
    path.parent.mkdir(parents=True)
    path.symlink_to(outside / "metrics.json")
    run = accord(org.root, *command, "--now", NOW)
    assert run.returncode == 2 and not run.stdout
    assert run.stderr.strip() == (f"accord: {METRICS}: a symbolic link that leads outside the repository: accord "
                                  f"reads nothing through it; put the file itself in the repository; it is "
                                  f"machine-written: restore it from git history, or delete it and pull again")
    assert SECRET not in run.stderr


def test_a_metrics_folder_leading_outside_is_refused(org, outside):
    published(org)
    (org.root / "state/metrics").symlink_to(outside)
    run = accord(org.root, "report", "--now", NOW)
    assert run.returncode == 2 and run.stderr.startswith("accord: state/metrics: a symbolic link that leads outside")
    assert SECRET not in run.stdout + run.stderr


def test_a_metrics_file_that_is_a_pipe_or_too_large_is_a_sentence_not_a_hang(org, tmp_path):
    published(org)
    path = org.root / METRICS
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    run = accord(org.root, "report", "--now", NOW)
    assert run.returncode == 2
    assert run.stderr.strip().startswith(f"accord: {METRICS}: not a regular file (a device, pipe or socket)")
    path.unlink()
    with open(path, "w") as fh:
        fh.write('{"post": "brand/launch/teaser", "targets": {}, "padding": "' + "x" * (5 << 20) + '"}')
    code, out, err, peak_mb, _ = _measured(["-m", "accord", "report", "--now", NOW], org.root, tmp_path)
    assert code == 2 and err.startswith(f"accord: {METRICS}: 5.0 MiB: accord reads files of up to 4 MiB here")
    assert peak_mb < 500

"""Files a pull request can add to break out of the repository or exhaust the check: links that
lead outside it, devices, pipes and sockets, and files far larger than any post. Each is a
finding at the file, the rest of the repository is checked as usual, and nothing of a file outside
the repository reaches the output (the check workflow prints it into public logs)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import POST, rules_at

NOW = "2026-11-23T12:00:00+00:00"
SECRET = "hunter2-Kx9Qz"  # what an outside file holds: never to be printed
OUTSIDE_YAML = f"text: {SECRET}\naccounts: [brand-outbox]\n{SECRET}_key: 1\npublish_at: nonsense\n"
TYPO = POST.replace("twice as fast", "three times as fast").replace("10:00", "15:00") + "colour: blue\n"


def check(root: Path, *args: str, fmt: str = "json") -> subprocess.CompletedProcess:
    """The real CLI in a process of its own, as pre-commit and CI run it."""
    return subprocess.run([sys.executable, "-m", "accord", "check", "--format", fmt, "--now", NOW, *args],
                          cwd=root, capture_output=True, text=True, timeout=120)


def findings(run: subprocess.CompletedProcess) -> list[dict]:
    assert not run.stderr, run.stderr
    return json.loads(run.stdout)["findings"]


def shown(root: Path, *runs: subprocess.CompletedProcess) -> str:
    """Everything a user or a log sees of these runs, and what accord keeps in its caches."""
    kept = b"".join(p.read_bytes() for p in (root / ".accord-cache").glob("*") if p.is_file())
    return "".join(r.stdout + r.stderr for r in runs) + kept.decode("latin-1")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repository, holding what a link could point at."""
    away = tmp_path / "away"
    away.mkdir()
    (away / "secret.yaml").write_text(OUTSIDE_YAML)
    (away / "record.json").write_text(json.dumps({"post": SECRET, "targets": {}}))
    (away / "owners").write_text(f"* @{SECRET}\n")
    return away


def test_links_that_lead_outside_the_repository_are_findings_and_nothing_of_them_is_read(org, outside):
    launch = org.root / "content/brand/launch"
    (launch / "leak.yaml").symlink_to(outside / "secret.yaml")
    (org.root / "content/brand/accounts/leak.yaml").symlink_to(outside / "secret.yaml")
    (org.root / "policies").mkdir()
    (org.root / "policies/voice.yaml").symlink_to(outside / "secret.yaml")
    (launch / "round.yaml").symlink_to("../../../../away/secret.yaml")  # relative, through ..
    (launch / "stray.txt.yaml").symlink_to("/etc/passwd")  # not YAML outside: still not read
    (launch / "notes.txt").symlink_to("/etc/passwd")  # a file accord would never read: still a finding
    (org.root / "content/brand/away").symlink_to(outside)  # a folder
    (org.root / "content/brand/launch/misplaced").mkdir()
    (org.root / "content/brand/launch/misplaced/deep.yaml").write_text(TYPO)
    org.write("content/brand/launch/typo.yaml", TYPO)
    runs = [check(org.root), check(org.root)]  # the second one from the caches
    for run in runs:
        assert run.returncode == 1
        assert [(f, r, n) for f, r, n in rules_at(findings(run)) if r == "file.outside"] == [
            ("content/brand/accounts/leak.yaml", "file.outside", 1),
            ("content/brand/away", "file.outside", 1),
            ("content/brand/launch/leak.yaml", "file.outside", 1),
            ("content/brand/launch/notes.txt", "file.outside", 1),
            ("content/brand/launch/round.yaml", "file.outside", 1),
            ("content/brand/launch/stray.txt.yaml", "file.outside", 1),
            ("policies/voice.yaml", "file.outside", 1),
        ]
        # the rest is checked as usual
        assert ("content/brand/launch/typo.yaml", "schema.unknown-key", 6) in rules_at(findings(run))
    text = check(org.root, fmt="text")
    github = check(org.root, fmt="github")
    assert "content/brand/launch/leak.yaml:1:1: error[file.outside] a symbolic link that leads outside the " \
           "repository" in text.stdout
    assert SECRET not in shown(org.root, *runs, text, github)
    assert "root:" not in text.stdout  # nor /etc/passwd
    narrowed = check(org.root, "content/brand/launch/leak.yaml")  # as pre-commit passes it
    assert narrowed.returncode == 1 and rules_at(findings(narrowed)) == [
        ("content/brand/launch/leak.yaml", "file.outside", 1)]
    assert SECRET not in narrowed.stdout


def test_a_link_inside_the_repository_reads_as_the_file_it_names(org):
    """The README's promise: a link to a file inside the repository is followed."""
    org.write("content/brand/.drafts/typo.yaml", TYPO)  # a hidden folder: not read for itself
    (org.root / "content/brand/launch/typo.yaml").symlink_to("../.drafts/typo.yaml")
    run = check(org.root)
    assert run.returncode == 1
    assert rules_at(findings(run)) == [("content/brand/launch/typo.yaml", "schema.unknown-key", 6)]


def test_content_or_policies_as_a_link_leading_outside_is_not_walked(org, outside):
    (outside / "policies").mkdir()
    (outside / "policies/voice.yaml").write_text(OUTSIDE_YAML)
    (org.root / "policies").symlink_to(outside / "policies")
    run = check(org.root)
    assert run.returncode == 1
    assert rules_at(findings(run)) == [("policies", "file.outside", 1)]
    assert SECRET not in shown(org.root, run)


def test_a_ledger_record_or_codeowners_leading_outside_is_a_finding_at_the_link(org, outside):
    ledger = org.root / "state/ledger/brand/launch"
    ledger.mkdir(parents=True)
    (ledger / "teaser.json").symlink_to(outside / "record.json")
    (org.root / ".github").mkdir()
    (org.root / ".github/CODEOWNERS").symlink_to(outside / "owners")
    run = check(org.root)
    assert run.returncode == 1
    found = findings(run)
    assert rules_at(found) == [(".github/CODEOWNERS", "file.outside", 1),
                               ("state/ledger/brand/launch/teaser.json", "published.ledger", 1)]
    assert "a symbolic link that leads outside the repository" in found[1]["message"]
    codeowners = subprocess.run([sys.executable, "-m", "accord", "codeowners", "--check"], cwd=org.root,
                                capture_output=True, text=True, timeout=60)
    writing = subprocess.run([sys.executable, "-m", "accord", "codeowners"], cwd=org.root,
                             capture_output=True, text=True, timeout=60)
    assert codeowners.returncode == 2 and writing.returncode == 2
    assert "CODEOWNERS: a symbolic link that leads outside the repository" in codeowners.stderr
    assert (outside / "owners").read_text() == f"* @{SECRET}\n"  # not written through the link
    assert SECRET not in shown(org.root, run, codeowners, writing)


def test_accord_yaml_leading_outside_stops_the_check_with_a_sentence(org, outside):
    (outside / "accord.yaml").write_text(f"org: {SECRET}\ntimezone: Europe/London\n")
    org.remove("accord.yaml")
    (org.root / "accord.yaml").symlink_to(outside / "accord.yaml")
    run = check(org.root)
    assert run.returncode == 2 and not run.stdout
    assert run.stderr.strip() == ("accord: accord.yaml cannot be used: line 1: a symbolic link that leads "
                                  "outside the repository: accord reads nothing through it; put the file "
                                  "itself in the repository")
    assert SECRET not in shown(org.root, run)


def test_a_ledger_record_over_its_limit_is_not_read(org):
    ledger = org.root / "state/ledger/brand/launch"
    ledger.mkdir(parents=True)
    (ledger / "teaser.json").write_text(json.dumps({"post": "brand/launch/teaser", "targets": {},
                                                    "padding": "x" * (2 << 20)}))
    run = check(org.root)
    assert run.returncode == 1
    found = findings(run)
    assert rules_at(found) == [("state/ledger/brand/launch/teaser.json", "published.ledger", 1)]
    assert "2.0 MiB: accord reads files of up to 1 MiB" in found[0]["message"]


def test_media_leading_outside_or_not_a_file_is_a_finding_at_the_post(org, outside):
    (outside / "hero.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    media = org.root / "content/brand/launch/media"
    media.mkdir()
    (media / "hero.png").symlink_to(outside / "hero.png")
    os.mkfifo(media / "pipe.png")
    org.write("content/brand/launch/teaser.yaml", POST + "media:\n  - {path: media/hero.png, alt: A hall}\n"
                                                         "  - {path: media/pipe.png, alt: A hall}\n")
    run = check(org.root)
    assert run.returncode == 1
    assert rules_at(findings(run)) == [("content/brand/launch/media/hero.png", "file.outside", 1),
                                       ("content/brand/launch/teaser.yaml", "platform.media-outside", 7),
                                       ("content/brand/launch/teaser.yaml", "platform.media-special", 8)]
    assert SECRET not in shown(org.root, run)


def test_pipes_sockets_and_devices_named_yaml_are_findings_not_hangs(org, tmp_path):
    launch = org.root / "content/brand/launch"
    os.mkfifo(launch / "pipe.yaml")
    os.mkfifo(org.root / "content/brand/stray.yaml")  # not a file accord knows: refused all the same
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(launch / "socket.yaml"))
    expected = [("content/brand/launch/pipe.yaml", "file.special", 1),
                ("content/brand/launch/socket.yaml", "file.special", 1),
                ("content/brand/stray.yaml", "file.special", 1)]
    try:
        os.mknod(launch / "null.yaml", 0o600 | 0o020000, os.makedev(1, 3))  # a character device
        expected.insert(0, ("content/brand/launch/null.yaml", "file.special", 1))
    except (PermissionError, OSError):  # no CAP_MKNOD here: the pipe and the socket still count
        pass
    try:
        run = check(org.root)
    finally:
        server.close()
    assert run.returncode == 1
    assert rules_at(findings(run)) == expected


def _measured(args: list[str], cwd: Path, logs: Path) -> tuple[int, str, str, float, float]:
    """accord in a child process, reaped with wait4 so that its own peak resident set (ru_maxrss,
    kB on Linux) is known: (exit code, stdout, stderr, peak MB, seconds)."""
    out, err = logs / "out.txt", logs / "err.txt"
    started = time.monotonic()
    with open(out, "w") as o, open(err, "w") as e:
        pid = os.fork()
        if pid == 0:  # the child: becomes accord
            try:
                os.chdir(cwd)
                os.dup2(o.fileno(), 1)
                os.dup2(e.fileno(), 2)
                os.execv(sys.executable, [sys.executable, *args])
            finally:
                os._exit(127)
        _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - started
    return os.waitstatus_to_exitcode(status), out.read_text(), err.read_text(), usage.ru_maxrss / 1024, seconds


def test_a_50_mb_post_is_one_finding_quickly_in_little_memory(org, tmp_path):
    huge = org.root / "content/brand/launch/huge.yaml"
    with open(huge, "w") as fh:
        fh.write("text: |\n")
        line = "  " + "All work and no play makes a very long post. " * 20 + "\n"
        while fh.tell() < 50_000_000:
            fh.write(line)
    org.write("content/brand/launch/typo.yaml", TYPO)
    org.write("policies/voice.yaml", "rules:\n" + "  - {id: x, level: warning}\n" * 50_000)  # 1.3 MB
    code, out, err, peak_mb, seconds = _measured(
        ["-m", "accord", "check", "--format", "json", "--now", NOW], org.root, tmp_path)
    assert code == 1 and not err
    found = json.loads(out)["findings"]
    assert rules_at(found) == [("content/brand/launch/huge.yaml", "file.too-large", 1),
                               ("content/brand/launch/typo.yaml", "schema.unknown-key", 6),
                               ("policies/voice.yaml", "file.too-large", 1)]
    assert found[0]["message"].startswith("47.7 MiB: accord reads files of up to 1 MiB")
    assert peak_mb < 500, f"peak resident set {peak_mb:.0f} MB"
    assert seconds < 15, f"{seconds:.1f} s"

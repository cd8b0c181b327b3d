"""What every view shares (accord.views): -o FILE, and the summary cap."""
from __future__ import annotations

import os
import stat
import threading

from accord import views


def test_output_to_a_file_that_is_not_a_plain_one_writes_into_it_and_leaves_it_what_it_is(org, tmp_path):
    # As `-o /dev/null` or `-o /dev/stdout` would: accord runs as root in CI, where moving a
    # temporary file into place once replaced the machine's /dev/null with a plain file.
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text("utf-8")), daemon=True)
    reader.start()
    result = org.run("calendar", "--format", "json", "--now", "2026-12-07T09:00:00+00:00", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert "brand/launch/teaser" in got[0]


def test_output_to_a_plain_file_is_written_whole(org, tmp_path):
    out = tmp_path / "deep" / "calendar.json"
    result = org.run("calendar", "--format", "json", "--now", "2026-12-07T09:00:00+00:00", "-o", str(out))
    assert result.exit_code == 0 and "brand/launch/teaser" in out.read_text("utf-8")
    assert [p.name for p in out.parent.iterdir()] == ["calendar.json"]  # no temporary file left


def test_markdown_over_a_summary_is_cut_at_a_line_with_a_note():
    text = "".join(f"| row {i} | {'x' * 60} |\n" for i in range(30_000))
    cut = views.capped(text)
    assert len(cut.encode()) <= 1024 * 1024
    assert cut.rstrip().endswith("over GitHub's 1 MiB limit._")
    assert all(line.startswith("| row") for line in cut.split("\n\n")[0].splitlines())

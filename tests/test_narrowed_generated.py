"""`accord check FILE` on a believable org full of findings: the benchmark's generator, its
schedule limits tightened and texts copied across teams, must get from each narrowed run exactly
what the full check says of that file (the narrowed load builds only a few of its posts)."""
from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Org

BENCH = Path(__file__).resolve().parents[1] / "bench"
SLOW = "content/{team}/accounts/{team}-x.yaml"  # the account given a five-day minimum gap


def _tighten(root: Path) -> None:
    schedule = root / "policies/schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    text = re.sub(r"min_gap: \w+", "min_gap: 2d", text)
    schedule.write_text(re.sub(r"daily_cap: \d+", "daily_cap: 1", text), encoding="utf-8")
    for account in root.glob("content/*/accounts/*.yaml"):
        text = account.read_text(encoding="utf-8")
        text = re.sub(r"daily_cap: \d+", "daily_cap: 1", re.sub(r"min_gap: \w+", "min_gap: 2d", text))
        account.write_text(text, encoding="utf-8")


def _copy_texts(root: Path, posts: list[Path], rng: random.Random, count: int) -> None:
    """Give `count` posts another post's one-line text with a word changed: near copies, within
    days of each other or not, on the same accounts or not."""
    lines = {p: p.read_text(encoding="utf-8").split("\n") for p in posts}
    single = [p for p in posts if "text: |-" in lines[p]]
    for target in rng.sample(single, count):
        source = rng.choice(single)
        words = lines[source][lines[source].index("text: |-") + 1].split()
        words[rng.randrange(len(words))] = "zebra"
        at = lines[target].index("text: |-") + 1
        lines[target][at] = "  " + " ".join(words)
        target.write_text("\n".join(lines[target]), encoding="utf-8")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Org:
    root = tmp_path_factory.mktemp("generated") / "org"
    subprocess.run([sys.executable, str(BENCH / "generate.py"), str(root), "--posts", "600", "--teams", "6"],
                   check=True, capture_output=True, timeout=120)
    _tighten(root)
    team = sorted(p.name for p in (root / "content").iterdir() if p.is_dir())[0]
    slow = root / SLOW.format(team=team)
    slow.write_text(slow.read_text(encoding="utf-8").replace("min_gap: 2d", "min_gap: 5d"), encoding="utf-8")
    posts = sorted(p for p in root.glob("content/*/*/*.yaml") if p.name != "campaign.yaml" and p.parent.name != "accounts")
    _copy_texts(root, posts, random.Random(7), 60)
    org = Org(root)
    org.slow = f"{team}-x"
    org.posts = [p.relative_to(root).as_posix() for p in posts]
    return org


@pytest.mark.parametrize("flags", [(), ("--no-cache",)])
def test_each_narrowed_run_says_what_the_full_run_says(generated, flags):
    code, full = generated.check(*flags)
    rules = {f["rule"] for f in full}
    assert {"duplicates.cross-team", "duplicates.same-account", "schedule.min-gap",
            "schedule.daily-cap"} <= rules  # the org is full of what a narrowed run must find
    flagged = sorted({f["file"] for f in full if f["rule"].startswith("duplicates.")})
    slow = sorted({f["file"] for f in full if generated.slow in f["message"]})[:6]
    sample = sorted(set(flagged) | set(slow) | set(random.Random(11).sample(generated.posts, 12)))
    for rel in sample:
        (generated.root / ".accord-cache/results-v1.marshal").unlink(missing_ok=True)  # no replay
        got = generated.check(*flags, rel)[1]
        assert got == [f for f in full if f["file"] == rel], rel

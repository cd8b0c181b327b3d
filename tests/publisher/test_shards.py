"""Three shards of one publisher run at once (a GitHub Actions matrix over --shard i/3) against
one bare origin: no target is posted twice, and no shard's ledger commit is lost as their pushes
rebase on each other."""
from __future__ import annotations

import json
import subprocess
from collections import Counter

from .conftest import Origin, child_env, minutes_ago, post, publish_cmd


def test_three_shards_at_once_post_every_target_once_and_keep_every_commit(origin: Origin):
    posts = {}
    for i in range(9):
        team, account = ("brand", "brand-outbox") if i % 2 else ("news", "news-outbox")
        pid = f"{team}/{'launch' if team == 'brand' else 'weekly'}/p{i}"
        origin.write(f"content/{pid}.yaml", post(f"Post number {i} of the day.", [account], minutes_ago(3)))
        posts[pid] = account
    origin.push("nine posts due now")
    runners = [origin.clone(f"shard{i}") for i in range(3)]
    running = [subprocess.Popen(publish_cmd(cwd, "--shard", f"{i}/3", "--format", "json"), cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env())
               for i, cwd in enumerate(runners, 1)]
    try:
        ends = [proc.communicate(timeout=120) for proc in running]
    finally:
        for proc in running:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    outcomes = []
    for proc, (out, err) in zip(running, ends, strict=True):
        assert proc.returncode == 0, err
        outcomes.append({o["target"]: o["status"] for o in json.loads(out)["outcomes"]})
    # Each target in exactly one shard, and published by it.
    mine = [set(t for t, s in o.items() if s == "published") for o in outcomes]
    assert sum(len(m) for m in mine) == 9 and set().union(*mine) == {f"{p}@{a}" for p, a in posts.items()}
    # Posted once: one file per target in the outbox, each target tried once (the outbox would
    # refuse a second post of it, which would show as a failed outcome above).
    sent = Counter(f["key"].partition("#")[0] for account in ("brand-outbox", "news-outbox")
                   for f in origin.outbox_files(account))
    assert sent == Counter({f"{p}@{a}": 1 for p, a in posts.items()})
    # Every shard's records reached origin: nothing a rebase dropped.
    for pid, account in posts.items():
        entry = origin.entry(pid, account)
        assert (entry["status"], entry["attempts"]) == ("published", 1), pid
    authors = Counter(author for author, _ in origin.log())
    assert authors["accord publisher"] >= 3

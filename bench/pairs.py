"""Two versions of accord on the same org, in interleaved pairs: which is faster.

    python bench/pairs.py BEFORE AFTER --org bench/out/org-10000 --pairs 10

BEFORE and AFTER are source trees (each with tools/accord), e.g. `git archive` of two commits.
Each gets its own copy of the org (a cache written by one accord is foreign to the other), and
each pair runs them one after the other, the first of the pair alternating, so that both see
the same moments of a shared machine. The figure is the CPU time (user + system, from wait4) of
the `accord check` process itself, not wall time: on a busy machine wall times swing by 2x. A
forked helper's share is not in it (its process is another).

Kinds: cold (.accord-cache/ removed), warm (nothing changed), edited (one post's text changed),
one (then `accord check THAT-POST`).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run import Edit, drop_cache, post_files  # noqa: E402  (bench/ is not a package)

KINDS = ("cold", "warm", "edited", "one")


def cpu(tree: Path, org: Path, *args: str) -> float:
    """CPU seconds of one `accord check` run of this tree's accord; stops on findings or errors."""
    env = {**os.environ, "PYTHONPATH": str(tree / "tools")}
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([sys.executable, "-m", "accord", "check", *args], cwd=org, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)  # (Popen.wait would reap it without the usage)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            out.seek(0)
            raise SystemExit(f"{tree}: accord check {' '.join(args)} exited {code}:\n{out.read().decode()[-3000:]}")
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--org", type=Path, required=True, help="a generated org (bench/generate.py)")
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--kinds", default=",".join(KINDS))
    args = ap.parse_args()
    trees = (args.before.resolve(), args.after.resolve())
    for tree in trees:  # as pip install does: no run pays for compiling accord
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "tools" / "accord")], check=True)
    orgs = []
    for side in ("before", "after"):
        copy = args.org.parent / f"{args.org.name}-{side}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(args.org, copy, symlinks=True)
        orgs.append(copy)
    edits = [Edit(org, post_files(org)) for org in orgs]
    time.sleep(2.1)  # the caches trust no file changed in the last two seconds (the copies are new)
    got: dict[str, tuple[list[float], list[float]]] = {}
    try:
        for kind in args.kinds.split(","):
            runs: tuple[list[float], list[float]] = ([], [])
            for i in range(args.pairs):
                for side in ((0, 1) if i % 2 == 0 else (1, 0)):
                    tree, org, edit = trees[side], orgs[side], edits[side]
                    if kind == "cold":
                        drop_cache(org)
                    else:
                        cpu(tree, org)  # the caches as this accord leaves them
                    if kind in ("edited", "one"):
                        edit()
                    runs[side].append(cpu(tree, org, *([edit.rel] if kind == "one" else [])))
            got[kind] = runs
            before, after = (statistics.median(r) for r in runs)
            print(f"{kind:7} before {before:.3f} s (min {min(runs[0]):.3f})  after {after:.3f} s "
                  f"(min {min(runs[1]):.3f})  {100 * (after / before - 1):+.1f}%", flush=True)
    finally:
        for edit in edits:
            edit.restore()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

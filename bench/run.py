"""Time `accord check` on a synthetic org against check-jsonschema on the same post files.

    python bench/run.py                      # 10k posts, generated into bench/out/org-10000
    python bench/run.py --posts 100000 --repeat 3
    python bench/run.py --profile cold       # cProfile top list of one accord run (cold|warm)

Every figure is the median of --repeat runs, each a fresh process:
  cold   `accord check` with no parse cache (it parses every file, then writes the cache)
  nocache `accord check --no-cache` (parses every file, reads and writes no cache)
  check-jsonschema  `check-jsonschema --schemafile post.schema.json POSTS...` (chunked argv, summed)
  warm   `accord check` again, cache populated, nothing changed
  1-file `accord check ONE-POST` with a warm cache, as pre-commit runs it
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCHEMA = REPO / "tools" / "accord" / "schemas" / "post.schema.json"
ARGV_BUDGET = 100_000  # bytes of file names per check-jsonschema call, well under ARG_MAX


# Run in the org: where a check spends its time, family by family.
BREAKDOWN = """
import time
t0 = time.perf_counter()
from pathlib import Path
from accord import model, rules
from datetime import datetime, timezone
t1 = time.perf_counter()
print(f"  import accord.model, accord.rules  {t1 - t0:7.3f} s")
root = Path.cwd()
for label, use_cache in (("load, no cache", False), ("load, cold cache", True), ("load, warm cache", True)):
    if label == "load, cold cache":
        import shutil; shutil.rmtree(root / ".accord-cache", ignore_errors=True)
    t = time.perf_counter(); org = model.load(root, use_cache=use_cache)
    print(f"  {label:32s} {time.perf_counter() - t:7.3f} s")
ctx = rules.Context(now=datetime.now(timezone.utc))
import signal, sys
def too_long(*_):
    raise TimeoutError
signal.signal(signal.SIGALRM, too_long)
for fam in rules.FAMILIES:
    t = time.perf_counter(); mod = rules.import_module(f"accord.rules.{fam}")
    signal.alarm(int(sys.argv[1]))
    try:
        found = mod.check(org, ctx)
        print(f"  rules.{fam:25s} {time.perf_counter() - t:7.3f} s  ({len(found)} findings)")
    except TimeoutError:
        print(f"  rules.{fam:25s}   > {sys.argv[1]} s  (stopped)")
    signal.alarm(0)
"""


def accord_cmd() -> list[str]:
    exe = shutil.which("accord")
    return [exe] if exe else [sys.executable, "-m", "accord"]


TIMEOUT = 600.0  # seconds a single run may take before it is reported as "> TIMEOUT"


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess | None]:
    """Wall time of one fresh process; inf (and no result) when it runs past TIMEOUT."""
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return float("inf"), None
    return time.perf_counter() - t, proc


def ensure_org(org: Path, posts: int, teams: int, seed: int, regenerate: bool) -> None:
    stamp = org / ".accord-bench"
    want = f"posts={posts} teams={teams} seed={seed}"
    if not regenerate and stamp.is_file() and stamp.read_text().strip().endswith(want):
        print(f"reusing {org} ({want})")
        return
    t = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(org), "--posts", str(posts),
                    "--teams", str(teams), "--seed", str(seed)], check=True)
    print(f"generated in {time.perf_counter() - t:.1f} s")


def post_files(org: Path) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(org / "content"):
        dirnames[:] = sorted(d for d in dirnames if d not in ("accounts", "media"))
        rel = os.path.relpath(dirpath, org)
        if rel.count(os.sep) == 2:  # content/<team>/<campaign>
            out.extend(os.path.join(rel, f) for f in sorted(filenames)
                       if f.endswith(".yaml") and f != "campaign.yaml")
    return out


def chunks(files: list[str]):
    batch, size = [], 0
    for f in files:
        if batch and size + len(f) + 1 > ARGV_BUDGET:
            yield batch
            batch, size = [], 0
        batch.append(f)
        size += len(f) + 1
    if batch:
        yield batch


def drop_cache(org: Path) -> None:
    shutil.rmtree(org / ".accord-cache", ignore_errors=True)


def median_of(n: int, fn) -> float:
    return statistics.median(fn() for _ in range(n))


def main(argv: list[str] | None = None) -> int:
    global TIMEOUT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--teams", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--org", type=Path, default=None, help="where the org goes (default bench/out/org-POSTS)")
    ap.add_argument("--regenerate", action="store_true", help="generate even if the org is there")
    ap.add_argument("--repeat", type=int, default=5, help="runs per accord figure (median)")
    ap.add_argument("--baseline-repeat", type=int, default=1,
                    help="runs of check-jsonschema (median); 0 skips it")
    ap.add_argument("--profile", choices=("cold", "warm"), default=None,
                    help="print a cProfile top list of one accord check run instead of timing")
    ap.add_argument("--breakdown", action="store_true",
                    help="time start-up, loading (cold and warm) and each rule family in one process")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds before one run is cut off")
    args = ap.parse_args(argv)
    TIMEOUT = args.timeout
    org = (args.org or HERE / "out" / f"org-{args.posts}").resolve()
    ensure_org(org, args.posts, args.teams, args.seed, args.regenerate)
    accord = accord_cmd()
    posts = post_files(org)
    one = posts[len(posts) // 2]

    if args.breakdown:
        proc = subprocess.run([sys.executable, "-c", BREAKDOWN, str(int(args.timeout))], cwd=org,
                              capture_output=True, text=True)
        print(proc.stdout, proc.stderr, sep="")
        return proc.returncode

    if args.profile:
        if args.profile == "cold":
            drop_cache(org)
        else:
            subprocess.run(accord + ["check"], cwd=org, capture_output=True)
        code = ("import cProfile, pstats, sys\n"
                "from accord.cli import cli\n"
                "p = cProfile.Profile(); p.enable()\n"
                "try:\n    cli(['check'], standalone_mode=False)\n"
                "except SystemExit:\n    pass\n"
                "p.disable(); s = pstats.Stats(p, stream=sys.stderr)\n"
                "s.sort_stats('cumulative').print_stats(35); s.sort_stats('tottime').print_stats(25)\n")
        proc = subprocess.run([sys.executable, "-c", code], cwd=org, capture_output=True, text=True)
        print(proc.stderr)
        return 0

    print(f"{len(posts)} posts; accord = {' '.join(accord)}; {args.repeat} runs per figure, median")
    figures: dict[str, float] = {}

    def cold() -> float:
        drop_cache(org)
        t, proc = timed(accord + ["check"], org)
        if proc is not None and proc.returncode != 0:
            print(proc.stdout[-3000:], proc.stderr[-2000:], sep="\n")
            raise SystemExit(f"accord check exited {proc.returncode} on the generated org: fix the generator")
        return t

    figures["cold"] = median_of(args.repeat, cold)
    print(f"  accord check, cold (no cache):   {figures['cold']:7.3f} s")
    figures["nocache"] = median_of(args.repeat, lambda: timed(accord + ["check", "--no-cache"], org)[0])
    print(f"  accord check --no-cache:         {figures['nocache']:7.3f} s")
    if args.baseline_repeat:
        def baseline() -> float:
            total = 0.0
            for batch in chunks(posts):
                t, proc = timed(["check-jsonschema", "--schemafile", str(SCHEMA), *batch], org)
                if proc is not None and proc.returncode != 0:
                    print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n")
                    raise SystemExit("check-jsonschema found errors in the generated posts")
                total += t
            return total
        figures["check-jsonschema"] = median_of(args.baseline_repeat, baseline)
        print(f"  check-jsonschema (posts only):   {figures['check-jsonschema']:7.3f} s")
    timed(accord + ["check"], org)  # populate the cache (it is written before the rules run)
    figures["warm"] = median_of(args.repeat, lambda: timed(accord + ["check"], org)[0])
    print(f"  accord check, warm cache:        {figures['warm']:7.3f} s")
    figures["1-file"] = median_of(args.repeat, lambda: timed(accord + ["check", one], org)[0])
    print(f"  accord check ONE-POST, warm:     {figures['1-file']:7.3f} s   ({one})")

    print("targets:")
    n = len(posts)
    if "check-jsonschema" in figures:
        ratio = figures["cold"] / figures["check-jsonschema"]
        ratio_nc = figures["nocache"] / figures["check-jsonschema"]
        print(f"  cold / check-jsonschema = {ratio:.3f} (--no-cache {ratio_nc:.3f}); target <= 0.15"
              + ("" if n == 10_000 else f" (target is stated at 10k posts; this is {n})")
              + (" MET" if ratio <= 0.15 else " NOT MET"))
    print(f"  1-file run = {figures['1-file']:.3f} s; target < 0.3 s at 10k"
          + ("" if n == 10_000 else f" (this is {n})") + (" MET" if figures["1-file"] < 0.3 else " NOT MET"))
    print(f"  warm re-check = {figures['warm']:.3f} s; target < 1.5 s at 100k"
          + ("" if n == 100_000 else f" (this is {n})") + (" MET" if figures["warm"] < 1.5 else " NOT MET"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time `accord check` on a synthetic org against check-jsonschema on the same post files.

    python bench/run.py                      # 10k posts, generated into bench/out/org-10000
    python bench/run.py --posts 100000 --repeat 1 --no-baseline --timeout 300
    python bench/run.py --breakdown          # start-up, loading and each rule family in one process
    python bench/run.py --profile edited     # cProfile top list of one accord run (cold|warm|edited|one)

Every figure is the median of --repeat runs, each a fresh process:
  cold          `accord check` with .accord-cache/ deleted first (parses every file, writes the caches)
  --no-cache    `accord check --no-cache` (parses every file, reads and writes no cache)
  check-jsonschema  `check-jsonschema --schemafile post.schema.json POSTS...` (chunked argv, summed)
  warm          `accord check` again, caches populated, nothing changed
  fresh clone, cache kept  every file's timestamps renewed (as a checkout does), .accord-cache/
                kept (as the check workflow restores it), then `accord check`
  warm, edited  one post's text changed before each run, then `accord check` (every other file's
                parse is cached; the results of the last run no longer apply)
  1-file, edited  the same edit, then `accord check THAT-POST`, as pre-commit runs on a staged change
  site          `accord site -o DIR`: the planning hub, every page, into a folder beside the org
The edited post gets its original bytes back at the end. The run stops if accord reports any
finding on the generated org: the generator is meant to pass every rule.
"""
from __future__ import annotations

import argparse
import os
import re
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
FINDING = re.compile(r"^\S[^\n]*:\d+:\d+: (?:error|warning|notice)\[", re.MULTILINE)  # text reporter lines
NUMBER = re.compile(r"(?<![\w,])[1-9]\d(?![\w,])")  # a two-digit number in a post's text


# Run in the org: where a check spends its time, family by family, one after another (accord check
# itself runs duplicates and secrets in a forked child beside the others on a large org).
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
    t = time.perf_counter(); org = model.load(root, use_cache=use_cache, focus=None)
    print(f"  {label:32s} {time.perf_counter() - t:7.3f} s")
ctx = rules.Context(now=datetime.now(timezone.utc))
import signal, sys
def too_long(*_):
    raise TimeoutError
signal.signal(signal.SIGALRM, too_long)
import gc; gc.disable()  # as rules.run runs them: without the cyclic collector
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


def compile_accord() -> None:
    """Byte-compile accord's sources, as `pip install` does for an installed package. An editable
    install under PYTHONDONTWRITEBYTECODE (set on some machines) would otherwise compile every
    module in every run, about 0.1 s that no installed accord pays."""
    import accord

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(accord.__file__).parent)], check=True)


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


def times_of(n: int, fn) -> list[float]:
    return [fn() for _ in range(n)]


def seconds(t: float) -> str:
    return f"{t:7.3f} s" if t != float("inf") else f"  > {TIMEOUT:g} s (cut off)"


class Edit:
    """One post whose text a writer touches before each edited run: a two-digit number in it takes
    another value each time (same length, so every network's count and every rule still hold), so
    its size stays, its content and mtime change. Its original bytes go back with restore()."""

    def __init__(self, org: Path, posts: list[str]):
        middle = len(posts) // 2
        for rel in posts[middle:] + posts[:middle]:
            path = org / rel
            text = path.read_text(encoding="utf-8")
            lines = text.split("\n")
            if "text: |-" not in lines or "status: draft" in text or "on_merge: true" in text:
                continue
            at = lines.index("text: |-") + 1  # the generator writes a text on one line
            found = NUMBER.search(lines[at])
            if found is None or self._translated(path, rel):
                continue
            self.rel, self.path, self.original = rel, path, path.read_bytes()
            self.lines, self.at, self.span, self.was = lines, at, found.span(), int(found.group())
            self.count = 0
            return
        raise SystemExit("no post with a two-digit number in a one-part text to edit: check bench/generate.py")

    @staticmethod
    def _translated(path: Path, rel: str) -> bool:
        """Whether a translation names this post (editing its source would make it stale, a finding);
        the generator writes a translation into its source's campaign."""
        ref = f"  post: {rel.removeprefix('content/').removesuffix('.yaml')}\n"
        return any(ref in p.read_text(encoding="utf-8") for p in path.parent.glob("*.yaml"))

    def __call__(self) -> None:
        self.count += 1
        number = 10 + (self.was - 10 + self.count) % 90  # never the original: count < 90 runs apart
        line = self.lines[self.at]
        lines = list(self.lines)
        lines[self.at] = f"{line[:self.span[0]]}{number}{line[self.span[1]:]}"
        self.path.write_text("\n".join(lines), encoding="utf-8")

    def restore(self) -> None:
        if self.count:
            self.path.write_bytes(self.original)


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
                    help="runs of check-jsonschema (median), each right after a cold accord run")
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip check-jsonschema (it takes minutes at 100k posts)")
    ap.add_argument("--profile", choices=("cold", "warm", "edited", "one"), default=None,
                    help="print a cProfile top list of one accord check run instead of timing "
                         "(edited: after one post's text changed; one: then `accord check THAT-POST`)")
    ap.add_argument("--breakdown", action="store_true",
                    help="time start-up, loading (cold and warm) and each rule family in one process")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds before one run is cut off")
    args = ap.parse_args(argv)
    TIMEOUT = args.timeout
    org = (args.org or HERE / "out" / f"org-{args.posts}").resolve()
    ensure_org(org, args.posts, args.teams, args.seed, args.regenerate)
    accord = accord_cmd()
    posts = post_files(org)
    compile_accord()

    if args.breakdown:
        proc = subprocess.run([sys.executable, "-c", BREAKDOWN, str(int(args.timeout))], cwd=org,
                              capture_output=True, text=True)
        print(proc.stdout, proc.stderr, sep="")
        return proc.returncode

    if args.profile:
        edit = Edit(org, posts)
        if args.profile == "cold":
            drop_cache(org)
        else:
            subprocess.run(accord + ["check"], cwd=org, capture_output=True)
            if args.profile in ("edited", "one"):
                edit()
        code = ("import cProfile, pstats, sys\n"
                "from accord.cli import cli\n"
                "p = cProfile.Profile(); p.enable()\n"
                f"try:\n    cli(['check', *{[edit.rel] if args.profile == 'one' else []!r}], standalone_mode=False)\n"
                "except SystemExit:\n    pass\n"
                "p.disable(); s = pstats.Stats(p, stream=sys.stderr)\n"
                "s.sort_stats('cumulative').print_stats(35); s.sort_stats('tottime').print_stats(25)\n")
        try:
            proc = subprocess.run([sys.executable, "-c", code], cwd=org, capture_output=True, text=True)
        finally:
            edit.restore()
        print(proc.stderr)
        return 0

    def check(*extra: str) -> float:
        """One `accord check` run; stops the benchmark if it reports anything."""
        t, proc = timed(accord + ["check", *extra], org)
        if proc is not None and (proc.returncode != 0 or FINDING.search(proc.stdout)):
            print(proc.stdout[-3000:], proc.stderr[-2000:], sep="\n")
            run = " ".join(["accord check", *extra])
            if FINDING.search(proc.stdout):
                raise SystemExit(f"{run} reported findings on the generated org (exit {proc.returncode}): "
                                 "fix bench/generate.py, not the rules")
            raise SystemExit(f"{run} exited {proc.returncode} without reporting a finding: see its output above")
        return t

    def cold() -> float:
        drop_cache(org)
        return check()

    def baseline() -> float:
        total = 0.0
        for batch in chunks(posts):
            t, proc = timed(["check-jsonschema", "--schemafile", str(SCHEMA), *batch], org)
            if proc is not None and proc.returncode != 0:
                print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n")
                raise SystemExit("check-jsonschema found errors in the generated posts")
            total += t
        return total

    edit = Edit(org, posts)
    renewed = [0]

    def restored() -> float:
        """A fresh clone with the pull request's last .accord-cache/ restored, as the check
        workflow runs: every file's timestamps new (a checkout writes them all), so the results
        cache cannot replay and the parse cache knows the files by their bytes."""
        renewed[0] += 1
        then = time.time() - 3600 - renewed[0]
        for folder, dirs, names in os.walk(org):
            dirs[:] = [d for d in dirs if d != ".accord-cache"]
            for name in names:
                os.utime(os.path.join(folder, name), (then, then))
        time.sleep(2.1)  # as in CI, the checkout is seconds old when accord runs (see cache.RACY_NS)
        return check()

    def edited(*extra: str) -> float:
        edit()
        return check(*extra)

    def site() -> float:
        """The planning hub built from the org (the parse cache warm), into a folder beside it."""
        t, proc = timed(accord + ["site", "-o", str(org.parent / f"{org.name}-site")], org)
        if proc is not None and proc.returncode != 0:
            raise SystemExit(f"accord site exited {proc.returncode}: {proc.stderr[-2000:]}")
        return t

    print(f"{len(posts)} posts; accord = {' '.join(accord)}; {args.repeat} runs per figure: median (fastest-slowest)")
    figures: dict[str, float] = {}

    def figure(key: str, label: str, runs: list[float], note: str = "") -> None:
        figures[key] = statistics.median(runs)
        spread = f"  ({min(runs):.2f}-{max(runs):.2f})" if len(runs) > 1 else ""
        print(f"  {label:36s} {seconds(figures[key])}{spread}{note}", flush=True)

    try:
        figure("cold", "accord check, cold", times_of(args.repeat, cold))
        figure("nocache", "accord check --no-cache", times_of(args.repeat, lambda: check("--no-cache")))
        if not args.no_baseline and args.baseline_repeat > 0:
            if shutil.which("check-jsonschema") is None:
                raise SystemExit("check-jsonschema is not installed (pip install -e '.[test]'), "
                                 "or pass --no-baseline")
            # Each check-jsonschema run right after a cold accord run: the machine's speed drifts
            # (by a third within minutes on a shared one), and a ratio of two moments says little.
            pairs = [(cold(), baseline()) for _ in range(args.baseline_repeat)]
            figure("baseline", "check-jsonschema (posts only)", [b for _, b in pairs])
            figure("paired", "accord check, cold, in those pairs", [a for a, _ in pairs])
            paired = statistics.median(a / b for a, b in pairs)
        check()  # the caches hold this state from here on
        figure("warm", "accord check, warm, nothing changed", times_of(args.repeat, check))
        figure("restored", "accord check, fresh clone, cache kept", times_of(args.repeat, restored))
        figure("edited", "accord check, warm, one post edited", times_of(args.repeat, edited),
               f"   ({edit.rel})")
        figure("1-file", "accord check ONE-POST after an edit", times_of(args.repeat, lambda: edited(edit.rel)))
        figure("site", "accord site -o DIR (every page)", times_of(args.repeat, site))
    finally:
        edit.restore()

    n = len(posts)

    def verdict(met: bool, at: int) -> str:
        return (" MET" if met else " NOT MET") + ("" if n == at else f" (the target is stated at {at:,} posts)")

    print("targets:")
    if "baseline" in figures:
        print(f"  cold / check-jsonschema, run back to back = {paired:.3f} (median of {len(pairs)} pairs); "
              f"target <= 0.15{verdict(paired <= 0.15, 10_000)}")
        for key, label in (("cold", "cold"), ("restored", "fresh clone, cache kept"), ("edited", "warm, one post edited")):
            ratio = figures[key] / figures["baseline"]
            print(f"  {label} / check-jsonschema = {ratio:.3f}; target <= 0.15{verdict(ratio <= 0.15, 10_000)}")
    else:
        print("  ratios to check-jsonschema: not measured (--no-baseline)")
    print(f"  1-file after an edit = {figures['1-file']:.3f} s; target < 0.3 s"
          + verdict(figures["1-file"] < 0.3, 10_000))
    print(f"  warm, nothing changed = {figures['warm']:.3f} s; target < 1.5 s" + verdict(figures["warm"] < 1.5, 100_000))
    if n == 100_000:
        print(f"  warm, one post edited = {figures['edited']:.3f} s (for information)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Verdict latency: the cold path (a new Python per check) against the warm path
(a fork of the pre-imported worker), side by side, for every exercise of a lesson.

    python benchmarks/latency.py                 # lesson 1, 7 repeats, table + benchmarks/latency.json
    python benchmarks/latency.py --tiny          # one exercise, one repeat (what the test suite runs)

Latency is measured as the front ends see it: from `Checker.check()` being
called on a saved file to the verdict in hand, with the tutor already running
(and, for the warm path, its worker already warm). Each file is checked with
`force_run`, so the untouched stub really runs instead of being recognised
from its text. Also measured: a one-shot `dltutor check` command, and the
worker's resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.check.checker import Checker  # noqa: E402
from tutor.course.manifest import load_course  # noqa: E402
from tutor.check.runner import ColdRunner  # noqa: E402
from tutor.check.warm import WarmRunner  # noqa: E402


def _time(checker: Checker, ex, path: Path, repeats: int) -> tuple[float, list[str]]:
    times, kinds = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        verdict = checker.check(ex, path, force_run=True)
        times.append(time.perf_counter() - start)
        kinds.append(verdict.kind)
    return statistics.median(times), sorted(set(kinds))


def _one_shot(ex, repeats: int) -> float:
    """`dltutor check EX` as a fresh command, with the solution in a private workspace."""
    tmp = Path(tempfile.mkdtemp(prefix="dltutor-bench-"))
    try:
        env = dict(os.environ, DLTUTOR_WORKSPACE=str(tmp / "ws"), DLTUTOR_STATE_DIR=str(tmp / "st"), DLTUTOR_LANG="en")
        target = ex.workspace_path(tmp / "ws")
        target.parent.mkdir(parents=True)
        shutil.copy(ex.solution_path, target)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "tutor", "check", ex.short], env=env, cwd=tmp,
                           capture_output=True, check=False)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="tensors")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--tiny", action="store_true", help="one exercise, one repeat")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "latency.json")
    args = parser.parse_args(argv)
    course = load_course(ROOT)
    exercises = list(course.lesson(args.lesson).exercises)
    repeats = 1 if args.tiny else args.repeats
    if args.tiny:
        exercises = exercises[:1]
    cold = Checker(runner=ColdRunner())
    warm_runner = WarmRunner()
    warm = Checker(runner=warm_runner)
    warm.check(exercises[0], exercises[0].solution_path, force_run=True)  # wait for the worker to be warm
    rows = []
    for ex in exercises:
        for kind, path in (("solution", ex.solution_path), ("stub", ex.stub_path)):
            cold_s, cold_kinds = _time(cold, ex, path, repeats)
            warm_s, warm_kinds = _time(warm, ex, path, repeats)
            rows.append({"exercise": ex.key, "file": kind, "cold_median_s": round(cold_s, 4),
                         "warm_median_s": round(warm_s, 4), "speedup": round(cold_s / warm_s, 1),
                         "verdicts_cold": cold_kinds, "verdicts_warm": warm_kinds})
    status = warm_runner.status()
    warm_runner.close()
    one_shot = _one_shot(exercises[0], max(1, repeats // 2))
    result = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()},
        "repeats": repeats, "rows": rows,
        "warm_worker_rss_mb": round(status.get("rss_kb", 0) / 1024, 1),
        "warm_worker_cuda_initialized": status.get("cuda_initialized"),
        "one_shot_check_median_s": round(one_shot, 3),
    }
    print(f"{'exercise':30} {'file':9} {'cold (s)':>9} {'warm (s)':>9} {'speedup':>8}  verdicts")
    for r in rows:
        same = "same" if r["verdicts_cold"] == r["verdicts_warm"] else "DIFFER"
        print(f"{r['exercise']:30} {r['file']:9} {r['cold_median_s']:9.3f} {r['warm_median_s']:9.3f} "
              f"{r['speedup']:7.1f}x  {','.join(r['verdicts_warm'])} ({same})")
    print(f"warm worker RSS: {result['warm_worker_rss_mb']} MB; CUDA initialised in it: {result['warm_worker_cuda_initialized']}")
    print(f"one-shot `dltutor check {exercises[0].short}`: {result['one_shot_check_median_s']} s (median)")
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

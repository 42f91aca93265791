"""Grading throughput: a synthetic class built from the project's answer files, re-checked three ways.

    python benchmarks/grading.py                     # 24 students x lessons 1-3, jobs 1 and 2, a 2-worker Dask cluster
    python benchmarks/grading.py --students 8 --lessons tensors

Each student hands in, per exercise, one of: a correct answer (the reference
solution or a `correct_*.py` variant), a wrong answer (`wrong_*.py`), nothing,
or the reference copied. Hand-ins are v2 reports built from a real `dltutor
report --json` (see tests/grading_class.py). Measured: checks per second with
`--jobs 1`, `--jobs 2`, and on a Dask scheduler with two one-thread workers on
127.0.0.1, each run from an empty cache. Writes benchmarks/grading.json. Also
times each required exercise's reference solution once, for the projection to
a class of 70 on a 16-core server.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from grading_class import handin  # noqa: E402
from tutor.course.manifest import load_course  # noqa: E402


def build_class(folder: Path, base: dict, course, lessons: list[str], students: int, rng: random.Random) -> None:
    """Write `students` hand-ins, each exercise correct, wrong, missing or copied (weights 5:3:1:1)."""
    answers = ROOT / "tests" / "answers"
    folder.mkdir(parents=True)
    exercises = [ex for ex in course.exercises if ex.lesson_id in lessons and not ex.optional and not ex.gpu]
    for i in range(students):
        work = {}
        for ex in exercises:
            kind = rng.choices(["correct", "wrong", "missing", "copied"], [5, 3, 1, 1])[0]
            pool = sorted((answers / ex.lesson_id / ex.id).glob(f"{'correct' if kind == 'correct' else 'wrong'}_*.py"))
            if kind == "missing":
                continue
            source = ex.solution_path if kind == "copied" or not pool else rng.choice(pool)
            work[ex.key] = (source.read_text(encoding="utf-8"), "passed" if kind != "wrong" else "attempted")
        (folder / f"s{i:03d}.json").write_text(json.dumps(handin(base, f"s{i:03d}", f"学生 {i}", work), ensure_ascii=False),
                                               encoding="utf-8")


def run_grade(args: list[str]) -> tuple[float, dict]:
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "tutor", "grade", *args], check=True, capture_output=True, text=True,
                   stdin=subprocess.DEVNULL)
    seconds = time.monotonic() - start
    out = Path(args[args.index("--out") + 1])
    return seconds, json.loads((out / "grades.json").read_text(encoding="utf-8"))["run"]


def dask_cluster(tmp: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)]
    for i in range(2):
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", f"tcp://127.0.0.1:{port}",
                                       "--nthreads", "1", "--no-dashboard", "--memory-limit", "0",
                                       "--local-directory", str(tmp / f"w{i}")], env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, start_new_session=True))
    from distributed import Client

    with Client(f"tcp://127.0.0.1:{port}", timeout=120) as client:
        client.wait_for_workers(2, timeout=120)
    return f"tcp://127.0.0.1:{port}", procs


def solution_seconds(course) -> float:
    """The sum over required exercises of one warm check of the reference solution (the cost of one student)."""
    from tutor.check.checker import Checker
    from tutor.check.warm import WarmRunner

    runner = WarmRunner()
    try:
        checker = Checker(runner=runner)
        return sum(checker.check(ex, ex.solution_path, seed=1).duration_s for ex in course.exercises
                   if not ex.optional and not ex.gpu)
    finally:
        runner.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--lessons", nargs="+", default=["tensors", "regression", "logistic"])
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--no-projection", action="store_true")
    args = parser.parse_args()
    course = load_course(ROOT)
    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                     "load_average_at_start": os.getloadavg(), "students": args.students, "lessons": args.lessons}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "DLTUTOR_STATE_DIR": str(tmp / "st"), "DLTUTOR_WORKSPACE": str(tmp / "ws")}
        base = json.loads(subprocess.run([sys.executable, "-m", "tutor", "report", "--json"], env=env, check=True,
                                         capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout)
        build_class(tmp / "class", base, course, args.lessons, args.students, random.Random(7))
        runs = [("local, --jobs 1", ["--jobs", "1"]), ("local, --jobs 2", ["--jobs", "2"])]
        procs = []
        if not args.no_dask:
            address, procs = dask_cluster(tmp)
            runs.append(("Dask, 2 workers x 1 thread", ["--scheduler", address]))
        try:
            for label, extra in runs:
                out = tmp / label.replace(" ", "_").replace(",", "")
                seconds, run = run_grade([str(tmp / "class"), "--out", str(out), *extra])
                results[label] = {"seconds": round(seconds, 1), "checks": run["checks_run"],
                                  "checks_per_s": round(run["checks_run"] / seconds, 2)}
                print(f"{label:32} {run['checks_run']:4} checks in {seconds:6.1f} s: {run['checks_run'] / seconds:5.2f} checks/s")
            seconds, run = run_grade([str(tmp / "class"), "--out", str(tmp / "local_--jobs_2"), "--jobs", "2"])
            results["again, all cached"] = {"seconds": round(seconds, 1), "cached": run["checks_cached"]}
            print(f"{'again (cache)':32} {run['checks_cached']:4} cached in {seconds:6.1f} s")
        finally:
            for p in procs:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    if not args.no_projection:
        one = solution_seconds(course)
        results["one_student_all_required_s"] = round(one, 1)
        results["projection_70_students_16_cores_min"] = round(70 * one / 16 / 60, 1)
        print(f"one student, every required exercise (reference solutions, warm): {one:.1f} s of check time;"
              f" 70 students on 16 cores: about {70 * one / 16 / 60:.1f} min if checks scale with cores")
    (ROOT / "benchmarks" / "grading.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Experiments: how long each study's default design (the reference solution's SETTINGS) takes,
and how much memory each setting holds, through the real engine (`tutor.study.run_study`).

    python benchmarks/experiments.py                  # every experiment, on the CPU
    python benchmarks/experiments.py --device auto    # on the GPU with the most free memory, if any
    python benchmarks/experiments.py --only experiments/01-mlp-design

Each setting runs as `dltutor run` runs it: in its own child forked from the
warm worker, with the checks' limits and one torch thread, into a fresh store
(nothing cached). Per setting: its wall-clock seconds (child start, data, training
and the tutor's test measurement) and its peak resident memory (the runner's
sample of the child's process tree). Per study: the wall-clock seconds from the
first child (reading the design) to the last. The machine, its
load average before and after, and the device are printed with the figures and
written to benchmarks/experiments.json. The issue's targets are 5 minutes per
study on 2 CPU cores and 1 minute on a GPU; nothing here asserts them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.check.checker import Checker  # noqa: E402
from tutor.check.warm import WarmRunner  # noqa: E402
from tutor.course.manifest import load_course  # noqa: E402
from tutor.machine.gpus import place  # noqa: E402
from tutor.progress.store import Store  # noqa: E402
from tutor.study import run_study  # noqa: E402


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def bench(ex, checker: Checker, device: str, tmp: Path) -> dict:
    """Run one experiment's reference design from scratch; its figures."""
    path = tmp / ex.lesson_id / f"{ex.id}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ex.solution_text(), encoding="utf-8")
    store = Store.open(tmp / f"{ex.id}.sqlite")
    placed = place(None if device == "default" else device, ex.gpu)
    load_before, started = _load(), time.monotonic()
    try:
        study = run_study(checker, store, ex, path, placed.device, placed.visible)
    finally:
        store.close()
    wall = time.monotonic() - started
    return {
        "exercise": ex.key, "device": placed.device, "settings": len(study.rows), "wall_s": round(wall, 1),
        "load_before": load_before, "load_after": _load(),
        "error": study.error.en if study.error else None,
        "rows": [{"label": r.label, "status": r.status, "epochs": len(r.history), "seconds": round(r.seconds, 1),
                  "peak_rss_mb": round(r.peak_rss_mb), "val_acc": r.final.get("val_acc"), "test_acc": r.test_acc,
                  "device": r.device} for r in study.rows],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu (default), cuda, cuda:N or auto")
    parser.add_argument("--only", action="append", help="only these experiments (ids)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "experiments.json"))
    args = parser.parse_args()
    course = load_course(ROOT)
    chosen = [ex for ex in course.exercises if ex.is_experiment and (not args.only or ex.key in args.only)]
    machine = {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
               "device": args.device}
    print(f"machine: {machine['platform']}, {machine['cpus']} CPUs; load average now {_load()}")
    runner = WarmRunner()
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="dltutor-bench-exp-") as tmp:
            for ex in chosen:
                result = bench(ex, Checker(runner=runner), args.device, Path(tmp))
                results.append(result)
                print(f"\n{result['exercise']} on {result['device']}: {result['settings']} settings, "
                      f"{result['wall_s']} s wall, "
                      f"load {result['load_before']} -> {result['load_after']}" + (f"  ERROR {result['error']}" if result["error"] else ""))
                for row in result["rows"]:
                    acc = f"val {100 * row['val_acc']:.2f}% test {100 * row['test_acc']:.2f}%" if row["test_acc"] is not None else ""
                    print(f"  {row['label']:55s} {row['status']:8s} {row['epochs']:3d} ep {row['seconds']:7.1f} s "
                          f"{row['peak_rss_mb']:6d} MiB  {acc}")
    finally:
        runner.close()
    Path(args.out).write_text(json.dumps({"machine": machine, "studies": results}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One prepared GPU run that proves the GPU paths (issue 21): about 5-8 minutes on a CUDA machine.

    python benchmarks/gpu_smoke.py --out $OUT             # on a lent GPU machine (after `pip install -e .`)
    python benchmarks/gpu_smoke.py --cpu-rehearsal        # every step on the CPU, to prove the script here
    python benchmarks/gpu_smoke.py --cpu-rehearsal --only tensors

Without CUDA (and without --cpu-rehearsal) it says so in one line and exits 0.
On CUDA it: 1. runs `dltutor doctor --json` and prints the GPUs and the one a
check would use; 2. checks every exercise's reference solution with
`--device cuda` cold (a new Python) and warm (a fork of the warm worker), the
untouched stub and one wrong answer per lesson, and prints a table with
verdicts, times and whether they match the CPU's (the expected verdict);
3. passes the GPU lesson's optional 7.7; 4. runs the hostile cases that matter
on a GPU (a huge allocation gives the GPU out-of-memory verdict and leaves no
memory held by the run; an endless GPU loop ends in time; a cancelled run
leaves no process on the GPU); 5. runs one study of an experiment exercise,
if the course has one. Results: a Markdown table and JSON in --out.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.check.checker import Checker  # noqa: E402
from tutor.check.runner import CancelToken, ColdRunner  # noqa: E402
from tutor.check.warm import WarmRunner  # noqa: E402
from tutor.course.manifest import load_course  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "minicourse"
ANSWERS = ROOT / "tests" / "answers"
PROBE = ("import json, torch; a = torch.cuda.is_available(); print(json.dumps({'torch': torch.__version__, "
         "'cuda_build': torch.version.cuda, 'available': a, 'name': torch.cuda.get_device_name(0) if a else None}))")
HUGE = ("import torch\nDEV = 'cuda' if torch.cuda.is_available() else 'cpu'\nHOG = torch.empty(10**13, device=DEV)\n"
        "def add(a, b):\n    return a + b\n")
SPIN = ("import torch\nDEV = 'cuda' if torch.cuda.is_available() else 'cpu'\n"
        "def add(a, b):\n    x = torch.ones(1 << 20, device=DEV)\n    while True:\n        x = x * 1.0000001\n")


def cuda_facts() -> dict:
    """torch's view of CUDA, asked in a child (this process never imports torch)."""
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"available": False, "error": (out.stderr or "no answer")[-300:]}


def smi(*query: str) -> str:
    """nvidia-smi's CSV answer, or '' where there is none."""
    exe = shutil.which("nvidia-smi")
    if not exe:
        return ""
    out = subprocess.run([exe, *query, "--format=csv,noheader"], capture_output=True, text=True, timeout=60)
    return out.stdout.strip()


def gpu_pids() -> set[str]:
    """PIDs with a CUDA context, as nvidia-smi sees them."""
    return {line.split(",")[0].strip() for line in smi("--query-compute-apps=pid,used_memory").splitlines() if line.strip()}


def header(path: Path) -> str | None:
    m = re.search(r"#\s*expect:\s*(\S+)", path.read_text(encoding="utf-8")[:400])
    return m.group(1) if m else None


def exercise_table(course, device: str, only: list[str] | None) -> list[dict]:
    """Solutions cold and warm, stubs, one wrong answer per lesson; each with the verdict it must match."""
    cold, warm_runner = Checker(runner=ColdRunner()), WarmRunner()
    warm = Checker(runner=warm_runner)
    rows, wrong_done = [], set()
    try:
        for ex in course.exercises:
            if only and ex.lesson_id not in only:
                continue
            ok = ("passed", "no_gpu") if device == "cpu" and ex.gpu else ("passed", "unavailable") if ex.optional else ("passed",)
            cases = [("solution", ex.solution_path, ok), ("stub", ex.stub_path, None)]
            wrong = sorted((ANSWERS / ex.lesson_id / ex.id).glob("wrong_*.py"))
            if wrong and ex.lesson_id not in wrong_done:
                wrong_done.add(ex.lesson_id)
                cases.append((f"wrong ({wrong[0].stem})", wrong[0], (header(wrong[0]),)))
            for what, path, expect in cases:
                row = {"exercise": ex.key, "case": what}
                for name, checker in (("cold", cold), ("warm", warm)):
                    if name == "cold" and what != "solution":
                        continue
                    v = checker.check(ex, path, device=device, seed=101, force_run=(what == "stub"))
                    row[name] = f"{v.kind} {v.duration_s:.2f}s"
                    row[f"{name}_kind"] = v.kind
                kinds = [row[k] for k in ("cold_kind", "warm_kind") if k in row]
                row["matches"] = all(k != "passed" for k in kinds) if expect is None else all(k in expect for k in kinds)
                rows.append(row)
                print(f"  {ex.key:28} {what:28} {row.get('cold', '-'):22} {row['warm']:22} {'ok' if row['matches'] else 'MISMATCH'}",
                      flush=True)
    finally:
        warm_runner.close()
    return rows


def hostile(device: str) -> list[dict]:
    """The cases that matter on a GPU, on the minicourse's first exercise (3 s limit)."""
    course = load_course(MINI)
    ex = course.find("1.1")
    checker = Checker(runner=ColdRunner())
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "basics" / "01-add.py"
        path.parent.mkdir()
        for name, code, want in (("huge allocation", HUGE, ("oom", "resource")), ("endless GPU loop", SPIN, ("timeout",))):
            before = gpu_pids()
            path.write_text(code, encoding="utf-8")
            start = time.monotonic()
            v = checker.check(ex, path, device=device, seed=1)
            left = gpu_pids() - before
            out.append({"case": name, "verdict": v.kind, "seconds": round(time.monotonic() - start, 2),
                        "left_on_gpu": sorted(left), "ok": v.kind in want and not left,
                        "detail": v.detail.en if v.detail else ""})
        # A run cancelled mid-way (a newer save, the student quitting) leaves nothing on the GPU.
        before, cancel = gpu_pids(), CancelToken()
        path.write_text(SPIN, encoding="utf-8")
        timer = threading.Timer(1.5, cancel.cancel)
        timer.start()
        start = time.monotonic()
        v = checker.check(ex, path, device=device, seed=1, cancel=cancel)
        time.sleep(0.5)
        left = gpu_pids() - before
        out.append({"case": "cancelled run", "verdict": v.kind, "seconds": round(time.monotonic() - start, 2),
                    "left_on_gpu": sorted(left), "ok": v.kind == "cancelled" and not left, "detail": ""})
    for row in out:
        print(f"  {row['case']:20} {row['verdict']:10} {row['seconds']:6.2f} s  left on GPU: {row['left_on_gpu'] or 'nothing'}"
              f"  {'ok' if row['ok'] else 'FAIL'}", flush=True)
    return out


def study(course, device: str) -> dict | None:
    """One experiment exercise's study through `dltutor run`, if the course has one."""
    ex = next((e for e in course.exercises if getattr(e, "kind", "exercise") == "experiment"), None)
    if ex is None:
        print("  (no experiment exercise in this course yet)")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DLTUTOR_STATE_DIR": f"{tmp}/st", "DLTUTOR_WORKSPACE": f"{tmp}/ws"}
        ws = Path(tmp) / "ws" / ex.lesson_id
        ws.mkdir(parents=True)
        shutil.copy(ex.solution_path, ws / f"{ex.id}.py")
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "tutor", "run", ex.key, "--device", device], env=env,
                              capture_output=True, text=True, timeout=540, stdin=subprocess.DEVNULL)
        seconds = time.monotonic() - start
    print(f"  {ex.key}: exit {proc.returncode} in {seconds:.1f} s on {device}")
    return {"exercise": ex.key, "device": device, "seconds": round(seconds, 1), "exit": proc.returncode}


def write(out: Path, report: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "gpu_smoke.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [f"# GPU smoke: {report['device']}", "", f"GPU: {report.get('gpu')}; driver {report.get('driver')}; "
             f"torch {report['cuda'].get('torch')} (CUDA {report['cuda'].get('cuda_build')})", "",
             "| exercise | case | cold | warm | matches |", "|---|---|---|---|---|"]
    lines += [f"| {r['exercise']} | {r['case']} | {r.get('cold', '-')} | {r['warm']} | {'yes' if r['matches'] else 'NO'} |"
              for r in report["exercises"]]
    lines += ["", "| hostile case | verdict | seconds | left on GPU | ok |", "|---|---|---|---|---|"]
    lines += [f"| {r['case']} | {r['verdict']} | {r['seconds']} | {r['left_on_gpu'] or '-'} | {r['ok']} |"
              for r in report["hostile"]]
    (out / "gpu_smoke.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cpu-rehearsal", action="store_true", help="run every step on the CPU")
    parser.add_argument("--only", nargs="+", metavar="LESSON", help="only these lessons in step 2")
    parser.add_argument("--out", default=os.environ.get("OUT") or "benchmarks/gpu_smoke", help="folder for the results")
    args = parser.parse_args(argv)
    facts = cuda_facts()
    if not facts.get("available") and not args.cpu_rehearsal:
        why = facts.get("error") or ("torch is a CPU build" if not facts.get("cuda_build") else "no CUDA device is visible")
        print(f"no CUDA here (torch {facts.get('torch', '?')}, CUDA build {facts.get('cuda_build')}): {why}; nothing to run")
        return 0
    device = "cpu" if args.cpu_rehearsal else "cuda"
    course = load_course(ROOT)
    report = {"device": device, "cuda": facts, "gpu": smi("--query-gpu=name,memory.total") or None,
              "driver": smi("--query-gpu=driver_version") or None}
    print(f"1. doctor ({device})", flush=True)
    doctor = subprocess.run([sys.executable, "-m", "tutor", "doctor", "--json"], capture_output=True, text=True, timeout=300)
    lines = json.loads(doctor.stdout or "{}").get("lines", [])
    report["doctor"] = [f"{line['status']} {line['label']}: {line['value']}" for line in lines if "GPU" in line["label"] or "CUDA" in line["label"]]
    print("\n".join(f"  {line}" for line in report["doctor"]) or "  (no GPU lines)")
    started = time.monotonic()
    print("2. every exercise: solution (cold, warm), stub, one wrong answer per lesson", flush=True)
    report["exercises"] = exercise_table(course, device, args.only)
    print("3. 7.7 on the GPU is step 2's gpu/07 row (expected: passed on CUDA, needs a GPU on the CPU)")
    print("4. hostile cases", flush=True)
    report["hostile"] = hostile(device)
    print("5. a study", flush=True)
    report["study"] = study(course, device) if not args.only else None
    report["seconds"] = round(time.monotonic() - started, 1)
    write(Path(args.out), report)
    bad = [r for r in report["exercises"] if not r["matches"]] + [r for r in report["hostile"] if not r["ok"]]
    print(f"done in {report['seconds']} s: {len(bad)} mismatches; results in {args.out}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

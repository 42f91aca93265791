"""Hostile and broken student code (issue 8): every case once, with what it left behind.

    python benchmarks/hostile.py                  # every case, cold and warm, table + benchmarks/hostile.json
    python benchmarks/hostile.py --only 1,9       # only these issue items (what the test suite runs)
    python benchmarks/hostile.py --headroom       # also: reference solutions' check times against their timeouts

For each case: the verdict seen, the time to the verdict (from `check()` to
the verdict in hand; for a run that started, also from the student's code
starting), and what was left afterwards: live processes of the run (every
process started here carries a tag in its environment), files in the runs'
temp folder, and GPU memory held by tagged processes (where `nvidia-smi`
exists). Also the cost of the clean-up scan that runs after every check.
Runs on the fixture course (`tests/fixtures/minicourse`: timeouts 3 s and 5 s).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.check import sandbox  # noqa: E402
from tutor.check.checker import Checker  # noqa: E402
from tutor.course.manifest import load_course  # noqa: E402
from tutor.check.runner import ColdRunner  # noqa: E402
from tutor.check.warm import WarmRunner  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "minicourse"
TAG = uuid.uuid4().hex
ADD = "def add(a, b):\n    return a + b\n"

# (issue item, case, student code, checker options). Code runs at import, before `add`.
CASES = [
    (1, "while True: pass", "def add(a, b):\n    while True:\n        pass\n", {}),
    (2, "time.sleep(10**6)", "import time\ntime.sleep(10**6)\n" + ADD, {}),
    (3, "sleep 1000, setsid, double fork, cleared env",
     "import os, subprocess, time\nsubprocess.Popen(['sleep', '1000'])\nsubprocess.Popen(['setsid', 'sleep', '1000'])\n"
     "subprocess.Popen(['sleep', '1000'], start_new_session=True,\n"
     "                 env={'DLTUTOR_BENCH_TAG': os.environ['DLTUTOR_BENCH_TAG']})  # no run marker\n"
     "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        time.sleep(1000)\n    os._exit(0)\n"
     "time.sleep(0.3)\n" + ADD, {}),
    (4, "fork loop (linear, bounded)",
     "import os, time\nfor _ in range(2000):\n    if os.fork() == 0:\n        time.sleep(60)\n        os._exit(0)\n" + ADD, {}),
    (5, "print('x' * 10**9)", "print('x' * 10**9)\n" + ADD, {}),
    (5, "endless print loop", "while True:\n    print('x' * 99)\n" + ADD, {}),
    (6, "100 MB line: escapes, bad UTF-8", "import sys\nsys.stdout.buffer.write(b'\\x1b[2J\\x1b]0;t\\x07\\xff\\xfe' * "
     "(100 * 2**20 // 12))\n" + ADD, {}),
    (7, "bytearray(50 << 30)", "big = bytearray(50 << 30)\n" + ADD, {}),
    (7, "torch.empty(50 << 30)", "import torch\nbig = torch.empty(50 << 30, dtype=torch.uint8)\n" + ADD, {}),
    (8, "growing memory, no RLIMIT_AS (CUDA's guard)", "held = []\nfor _ in range(400):\n    "
     "held.append(bytearray(16 << 20))\n" + ADD, {"memory_mb": 300, "memory_guard": "rss"}),
    (8, "CUDA out of memory (raised by hand)", "class OutOfMemoryError(RuntimeError):\n    pass\n\n"
     "raise OutOfMemoryError('CUDA out of memory. Tried to allocate 80.00 GiB')\n" + ADD, {}),
    (9, "sys.exit(0) at import", "import sys\nsys.exit(0)\n" + ADD, {}),
    (9, "os._exit(0)", "import os\nos._exit(0)\n" + ADD, {}),
    (9, "os.kill(os.getpid(), 9)", "import os\nos.kill(os.getpid(), 9)\n" + ADD, {}),
    (9, "ctypes.string_at(0)", "import ctypes\nctypes.string_at(0)\n" + ADD, {}),
    (10, "fake PASS and records on stdout", "import json\nprint('PASS')\nprint(json.dumps({'type': 'done', "
     "'count': 2}))\ndef add(a, b):\n    return a - b\n", {}),
    (10, "records forged on every pipe", "import json, os, stat\nd = b''.join((json.dumps({'type': t, 'nonce': ''})"
     " + '\\n').encode() for t in ('check', 'done'))\nfor n in os.listdir('/proc/self/fd'):\n    try:\n"
     "        if stat.S_ISFIFO(os.fstat(int(n)).st_mode):\n            os.write(int(n), d)\n    except OSError:\n"
     "        pass\n" + ADD, {}),
    (10, "torch.allclose patched", "import torch\ntorch.allclose = lambda *a, **k: True\n"
     "def add(a, b):\n    return a - b\n", {}),
    (10, "__eq__ always true", "class A:\n    __eq__ = lambda s, o: True\n    shape = property(lambda s: A())\n"
     "def add(a, b):\n    return A()\n", {}),
    (11, "input()", "input()\n" + ADD, {}),
    (12, "100 GB file", "with open('big', 'wb') as fh:\n    for _ in range(100 << 10):\n        fh.write(bytes(1 << 20))\n"
     + ADD, {"file_mb": 64}),
    (13, "DataLoader workers that hang", "import time, torch\nfrom torch.utils.data import DataLoader, Dataset\n"
     "class S(Dataset):\n    __len__ = lambda s: 8\n    def __getitem__(s, i):\n        time.sleep(1000)\n"
     "def add(a, b):\n    for _ in DataLoader(S(), num_workers=2):\n        pass\n", {}),
]


class Recording:
    """A runner that keeps the last `RawRun` (for the time from the student's code starting)."""

    def __init__(self, inner):
        self.inner, self.last = inner, None

    def run(self, job, cancel=None):
        self.last = self.inner.run(job, cancel)
        return self.last


def tagged_pids(skip: set[int]) -> list[int]:
    """Live processes carrying this benchmark's tag (warm workers in `skip` excepted)."""
    needle = f"DLTUTOR_BENCH_TAG={TAG}".encode()
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in skip and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/environ", "rb") as fh:
                    if needle in fh.read().split(b"\0") and sandbox._stat(entry)[1] not in "ZX":
                        out.append(int(entry))
            except (OSError, TypeError):
                pass
    return out


def gpu_mib(pids: list[int]) -> str:
    """GPU memory held by `pids` (MiB), or "n/a" without nvidia-smi."""
    if not shutil.which("nvidia-smi"):
        return "n/a"
    out = subprocess.run(["nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
                         capture_output=True, text=True).stdout
    used = [int(m) for p, m in (line.split(",") for line in out.splitlines() if "," in line) if int(p) in pids]
    return str(sum(used))


def settle(skip: set[int], within: float = 2.0) -> list[int]:
    deadline = time.monotonic() + within
    while (left := tagged_pids(skip)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left


def run_case(runner, name, skip, course, tmp: Path, item, case, source, options) -> dict:
    ex = course.find("basics/01-add")
    path = tmp / "student.py"
    path.write_text(source)
    rec = Recording(runner)
    start = time.monotonic()
    verdict = Checker(runner=rec, **options).check(ex, path)
    total = time.monotonic() - start
    raw = rec.last
    left = settle(skip)
    row = {"item": item, "case": case, "path": name, "verdict": verdict.kind, "passed": verdict.passed,
           "to_verdict_s": round(total, 2),
           "after_student_start_s": round(total - raw.ready_s, 2) if raw is not None and raw.started else None,
           "leftover_processes": len(left), "leftover_temp_files": len(os.listdir(tempfile.gettempdir())),
           "gpu_mib_held": gpu_mib(left), "task_cap": raw.task_cap if raw is not None else ""}
    for pid in left:  # leave the machine clean for the next case, and say so above
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return row


def cli_case(course_root: Path, command: str, signum: int, tmp: Path, skip: set[int]) -> dict:
    """`dltutor check/watch` interrupted during a check: time until the whole tree is gone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLTUTOR_")}
    env.update(DLTUTOR_WORKSPACE=str(tmp / "ws"), DLTUTOR_STATE_DIR=str(tmp / "st"), DLTUTOR_LANG="en",
               DLTUTOR_BENCH_TAG=TAG)
    base = [sys.executable, "-m", "tutor"]
    subprocess.run(base + ["check", "1.1", "--course", str(course_root)], env=env, capture_output=True)
    started = tmp / "started"
    started.unlink(missing_ok=True)
    (tmp / "ws/basics/01-add.py").write_text(
        f"import subprocess, time\nsubprocess.Popen(['sleep', '1000'])\nsubprocess.Popen(['setsid', 'sleep', '1000'])\n"
        f"open({str(started)!r}, 'w').close()\ntime.sleep(1000)\n" + ADD)
    extra = ["--poll"] if command == "watch" else []
    proc = subprocess.Popen(base + [command, "1.1", "--course", str(course_root), *extra], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not started.exists() and proc.poll() is None:
        time.sleep(0.02)
    time.sleep(0.3)
    before = len(tagged_pids(skip)) + 1
    sent = time.monotonic()
    proc.send_signal(signum)
    while (tagged_pids(skip) or proc.poll() is None) and time.monotonic() - sent < 10:
        time.sleep(0.01)
    gone = time.monotonic() - sent
    _, err = proc.communicate(timeout=10)
    left = tagged_pids(skip)
    return {"item": 14, "case": f"{command}: {signal.Signals(signum).name} during a check", "path": "cli",
            "verdict": f"exit {proc.returncode}", "passed": False, "to_verdict_s": round(gone, 2),
            "after_student_start_s": None, "leftover_processes": len(left), "leftover_temp_files": 0,
            "gpu_mib_held": gpu_mib(left), "task_cap": f"{before} processes before",
            "traceback": "Traceback" in err}


def hogs(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def headroom(course, runner, repeats: int, load: int) -> list[dict]:
    """Check time of each reference solution against its exercise's timeout (smallest ratio first)."""
    rows = []
    for ex in course.exercises:
        rec = Recording(runner)
        times, kinds = [], set()
        for _ in range(repeats):
            kinds.add(Checker(runner=rec).check(ex, ex.solution_path).kind)
            times.append(rec.last.duration_s - rec.last.ready_s)
        rows.append({"course": course.id, "exercise": ex.key, "timeout_s": ex.timeout_s, "load": load,
                     "max_check_s": round(max(times), 3), "ratio": round(ex.timeout_s / max(max(times), 1e-3), 1),
                     "verdicts": sorted(kinds)})
    return sorted(rows, key=lambda r: r["ratio"])


def parallel(runner, course, tmp: Path, count: int) -> dict:
    """`count` checks at once (Jobe's 30 parallel jobs): passes, failures and timeouts mixed."""
    ex = course.find("basics/01-add")
    sources = {"passed": ADD, "failed": "def add(a, b):\n    return a - b\n",
               "timeout": "def add(a, b):\n    while True:\n        pass\n"}
    paths = {k: tmp / f"par-{k}.py" for k in sources}
    for k, p in paths.items():
        p.write_text(sources[k])
    wanted = [list(sources)[i % 3] for i in range(count)]
    seen = [None] * count

    def one(i):
        seen[i] = Checker(runner=runner).check(ex, paths[wanted[i]]).kind

    start = time.monotonic()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"count": count, "all_right": seen == wanted, "wrong": sum(a != b for a, b in zip(seen, wanted)),
            "seconds": round(time.monotonic() - start, 1)}


def overheads() -> dict:
    """The clean-up scan every check pays, and a cgroup made and removed."""
    start = time.perf_counter()
    for _ in range(20):
        sandbox.marked_pids("000000000000")
    scan_ms = (time.perf_counter() - start) / 20 * 1000
    start = time.perf_counter()
    cap = sandbox.TaskCap.create("bench" + uuid.uuid4().hex[:7])
    if cap is not None:
        cap.close()
    return {"processes_on_machine": sum(e.isdigit() for e in os.listdir("/proc")),
            "stray_scan_ms": round(scan_ms, 2), "cgroup": cap is not None,
            "cgroup_create_remove_ms": round((time.perf_counter() - start) * 1000, 2) if cap else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated issue items (1-19), default all")
    parser.add_argument("--cold-only", action="store_true", help="skip the warm path")
    parser.add_argument("--parallel", type=int, default=30, help="checks at once for the Jobe case (0: skip)")
    parser.add_argument("--headroom", action="store_true", help="time every reference solution (also under load)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "hostile.json")
    args = parser.parse_args(argv)
    only = {int(x) for x in args.only.split(",")} if args.only else None
    os.environ["DLTUTOR_BENCH_TAG"] = TAG
    runs_tmp = Path(tempfile.mkdtemp(prefix="dltutor-bench-tmp-"))
    work = Path(tempfile.mkdtemp(prefix="dltutor-bench-"))
    tempfile.tempdir = str(runs_tmp)  # the runs' working dirs go here, so leftovers can be counted
    course = load_course(MINI)
    runners = [("cold", ColdRunner())] + ([] if args.cold_only else [("warm", WarmRunner())])
    skip = {r.status()["pid"] for name, r in runners if name == "warm"}
    rows = []
    try:
        for item, case, source, options in CASES:
            if only and item not in only:
                continue
            if item == 4 and os.geteuid() == 0 and not sandbox.cap_available():
                print("item 4 skipped: root without a writable pids cgroup cannot cap a fork loop", file=sys.stderr)
                continue
            for name, runner in runners:
                rows.append(run_case(runner, name, skip, course, work, item, case, source, options))
                print(f"{item:>2} {name:4} {case[:44]:44} {rows[-1]['verdict']:12} {rows[-1]['to_verdict_s']:6.2f} s",
                      file=sys.stderr)
        if not only or 14 in only:
            for command, signum in (("check", signal.SIGINT), ("check", signal.SIGHUP), ("watch", signal.SIGHUP)):
                rows.append(cli_case(MINI, command, signum, work / f"cli-{command}-{signum}", skip))
        result = {"machine": {"platform": platform.platform(), "python": platform.python_version(),
                              "cpus": os.cpu_count(), "euid": os.geteuid()},
                  "task_cap": "cgroup" if sandbox.cap_available() and os.geteuid() == 0 else
                  ("RLIMIT_NPROC" if os.geteuid() else "none"), "max_tasks": sandbox.MAX_TASKS,
                  "rows": rows, "overheads": overheads()}
        if not only or 17 in only:
            loaded = hogs(4)
            try:
                result["under_load"] = headroom(course, runners[0][1], 1, 4)
            finally:
                for h in loaded:
                    h.kill()
                    h.wait()
        if args.parallel and (not only):
            result["parallel"] = {name: parallel(r, course, work, args.parallel if name == "warm" else
                                                 min(args.parallel, 30)) for name, r in runners}
        if args.headroom:
            full = load_course(ROOT)
            runner = runners[-1][1]
            result["headroom"] = headroom(full, runner, 3, 0)
            loaded = hogs(4)
            try:
                result["headroom_under_load"] = headroom(full, runner, 1, 4)
            finally:
                for h in loaded:
                    h.kill()
                    h.wait()
    finally:
        for _, r in runners:
            getattr(r, "close", lambda: None)()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(runs_tmp, ignore_errors=True)
    print(f"{'#':>2} {'path':5} {'case':46} {'verdict':13} {'to verdict':>10} {'from code':>9} {'procs':>5} "
          f"{'tmp':>3} {'GPU MiB':>7}")
    for r in rows:
        code = f"{r['after_student_start_s']:.2f}" if r["after_student_start_s"] is not None else "-"
        print(f"{r['item']:>2} {r['path']:5} {r['case'][:46]:46} {r['verdict']:13} {r['to_verdict_s']:9.2f}s "
              f"{code:>9} {r['leftover_processes']:5} {r['leftover_temp_files']:3} {r['gpu_mib_held']:>7}")
    print(f"task cap: {result['task_cap']} ({result['max_tasks']} tasks); stray scan: "
          f"{result['overheads']['stray_scan_ms']} ms over {result['overheads']['processes_on_machine']} processes")
    for key in ("under_load", "headroom", "headroom_under_load"):
        if key in result and result[key]:
            worst = result[key][0]
            print(f"{key}: smallest timeout/check-time ratio {worst['ratio']} ({worst['exercise']}, "
                  f"{worst['max_check_s']} s of {worst['timeout_s']} s; verdicts {sorted({v for r in result[key] for v in r['verdicts']})})")
    for name, p in result.get("parallel", {}).items():
        print(f"parallel {name}: {p['count']} checks at once, all right: {p['all_right']} ({p['seconds']} s)")
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What one student's open `dltutor start` costs a shared server in memory, active and idle.

    python benchmarks/idle_memory.py                  # idle period 20 s; table + benchmarks/idle_memory.json
    python benchmarks/idle_memory.py --idle 60

Starts the real full-screen tutor on a pseudo-terminal (as over ssh) with its own workspace
and `DLTUTOR_WARM_IDLE`, saves the reference solution of exercise 1.1 (the watcher checks it),
and sums the private memory (USS) and proportional memory (PSS, shared pages divided among
the processes that map them) of the tutor and every process under it, via psutil:

* active: the warm worker up and one check done;
* idle: after the idle period without a save, when the worker has been let go.

Then saves again and measures how long that check took with the worker coming back.
Figures depend on the machine, its load and torch's build: the JSON names them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pty
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

try:
    import psutil
except ImportError:  # pragma: no cover
    raise SystemExit("benchmarks/idle_memory.py needs psutil: pip install psutil")

ROOT = Path(__file__).resolve().parent.parent


def tree_memory(pid: int) -> dict:
    """USS and PSS in MiB, summed over `pid` and its descendants, and how many processes."""
    root = psutil.Process(pid)
    procs = [root] + root.children(recursive=True)
    uss = pss = 0
    counted = 0
    for proc in procs:
        try:
            info = proc.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        uss += info.uss
        pss += getattr(info, "pss", 0)
        counted += 1
    return {"uss_mib": round(uss / 2**20, 1), "pss_mib": round(pss / 2**20, 1), "processes": counted}


def attempts(state: Path) -> int:
    """Recorded attempts in the student's store (how the benchmark knows a check is done)."""
    import sqlite3

    total = 0
    for db in state.rglob("*.sqlite3"):
        with sqlite3.connect(db) as con:
            try:
                total += con.execute("select count(*) from attempts").fetchone()[0]
            except sqlite3.Error:
                pass
    return total


def wait(predicate, timeout: float, what: str) -> float:
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.2)
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--idle", type=float, default=20.0, help="DLTUTOR_WARM_IDLE for the run (seconds)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "idle_memory.json"))
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="dltutor-idle-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLTUTOR_")}
    env.update(DLTUTOR_WORKSPACE=str(tmp / "ws"), DLTUTOR_STATE_DIR=str(tmp / "state"), HOME=str(tmp),
               DLTUTOR_WARM_IDLE=str(args.idle), DLTUTOR_LANG="en", TERM="xterm-256color",
               COLUMNS="80", LINES="24", EDITOR="true", PYTHONPATH=str(ROOT))
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "--lang", "en", "start"], cwd=ROOT, env=env,
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    threading.Thread(target=lambda: _drain(master), daemon=True).start()
    result: dict = {"machine": platform.node(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_before": os.getloadavg(), "idle_s": args.idle}
    try:
        stub = tmp / "ws" / "tensors" / "01-create.py"
        wait(stub.exists, 60, "the tutor to write the first stub")
        # The worker is up once a process under the tutor holds torch (the tree's USS passes 300 MiB).
        result["worker_ready_s"] = round(wait(lambda: tree_memory(proc.pid)["uss_mib"] > 300, 180,
                                              "the warm worker"), 1)
        solution = (ROOT / "solutions" / "tensors" / "01-create.py").read_text()
        stub.write_text(solution)
        wait(lambda: attempts(tmp / "state") >= 1, 120, "the first check")
        time.sleep(1.0)
        result["active"] = tree_memory(proc.pid)
        time.sleep(args.idle + 8)
        result["idle"] = tree_memory(proc.pid)
        stub.write_text(solution + "\n# saved again\n")
        started = time.monotonic()
        wait(lambda: attempts(tmp / "state") >= 2, 180, "the check after the idle period")
        result["check_after_idle_s"] = round(time.monotonic() - started, 1)
        result["back"] = tree_memory(proc.pid)
        result["load_after"] = os.getloadavg()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.close(master)
        shutil.rmtree(tmp, ignore_errors=True)
    try:
        import torch  # noqa: F401  (only to name the build in the figures)

        result["torch"] = torch.__version__
    except ImportError:
        result["torch"] = None
    print(f"{'':10} {'USS MiB':>9} {'PSS MiB':>9} {'processes':>10}")
    for name in ("active", "idle", "back"):
        m = result[name]
        print(f"{name:10} {m['uss_mib']:>9} {m['pss_mib']:>9} {m['processes']:>10}")
    print(f"worker ready after {result['worker_ready_s']} s; check after the idle period: {result['check_after_idle_s']} s")
    print(f"load average before {result['load_before']}, after {result['load_after']}")
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    return 0


def _drain(fd: int) -> None:
    """Read the tutor's screen output and throw it away (a full pty would block it)."""
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


if __name__ == "__main__":
    raise SystemExit(main())

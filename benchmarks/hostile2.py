"""Hostile code and bad input, round 2 (issue 19): each case as root and as an ordinary user, idle and busy.

    python benchmarks/hostile2.py                 # the whole matrix: table on stdout + benchmarks/hostile2.json
    python benchmarks/hostile2.py --one user busy # one cell (what the matrix runs in a child per cell)

For each case: the verdict seen, the time to the verdict (from `check()` to the
verdict in hand), the CPU and wall seconds the verdict reports, and what was
left afterwards: live processes the case started (found by a unique token in
their command line, so a cleared environment does not hide them), files in
the runs' temp folder, files in /dev/shm. "busy": two processes keep both
cores busy throughout. "user": the cell runs in a child whose privileges are
dropped to an ordinary user (made with useradd if needed; the interpreter's
0700 parents get o+x for the run and are put back). Cold runner, fixture
course (timeouts 3 s and 5 s).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.check.checker import Checker  # noqa: E402
from tutor.course.manifest import load_course  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "minicourse"
ADD = "def add(a, b):\n    return a + b\n"
USER = "dltutor-test"


def cases(token: str) -> list[tuple[str, str, str | bytes, dict]]:
    """(case, exercise, student file, checker options); `token` marks every process a case starts."""
    return [
        ("1 correct training answer (2.x-style fit)", "training/01-fit", "", {}),
        ("1 while True: pass", "basics/01-add", "def add(a, b):\n    while True:\n        pass\n", {}),
        ("2 fork+setsid+fork+exec, empty env", "basics/01-add",
         "import os, subprocess, time\n"
         f"subprocess.Popen(['sleep', '{token}1'], start_new_session=True, env={{}})\n"
         "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
         f"        os.execve('/bin/sleep', ['sleep', '{token}2'], {{}})\n    os._exit(0)\n"
         "time.sleep(0.5)\n" + ADD, {}),
        ("3 three 150 MB subprocesses, cap 200 MB", "basics/01-add",
         "import subprocess, sys, time\n"
         f"hold = \"b = bytearray(b'x') * (150 << 20); import time; time.sleep({token}3)\"\n"
         "ps = [subprocess.Popen([sys.executable, '-c', hold]) for _ in range(3)]\ntime.sleep(60)\n" + ADD,
         {"memory_mb": 200}),
        ("3 twenty 8 MB files, per-file cap 16 MB", "basics/01-add",
         "import os, time\nfor i in range(20):\n    open(f'f{i}', 'wb').write(os.urandom(8 << 20))\n"
         "time.sleep(30)\n" + ADD, {"file_mb": 16}),
        ("3 a file in /dev/shm", "basics/01-add",
         f"open('/dev/shm/{token}', 'wb').write(b'x' * 4096)\n" + ADD, {}),
        ("4 raise ValueError(OSC 52, CSI, C1, bidi)", "basics/01-add",
         "def add(a, b):\n    raise ValueError('\\x1b]52;c;SGk=\\x07\\x1b[2J\\x9b31m\\u202e')\n", {}),
        ("7 UTF-8 BOM and CRLF", "basics/01-add",
         b"\xef\xbb\xbf" + ("import torch\n\n\n" + ADD).replace("\n", "\r\n").encode(), {}),
    ]


def leftovers(token: str) -> list[int]:
    """Live processes whose command line carries `token`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if token.encode() in cmd and state not in ("Z", "X"):
            found.append(int(entry))
    return found


def one(who: str, load: str) -> list[dict]:
    """Every case once in this process; the rows of the table."""
    course = load_course(MINI)
    work = Path(tempfile.mkdtemp(prefix="dltutor-bench2-"))
    runs_tmp = work / "tmp"
    runs_tmp.mkdir()
    tempfile.tempdir = str(runs_tmp)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)] if load == "busy" else []
    rows = []
    try:
        for name, exercise_id, source, options in cases(token := str(900000 + os.getpid() % 99999)):
            exercise = course.find(exercise_id)
            if source == "":
                path = exercise.solution_path
            else:
                path = work / "student.py"
                path.write_bytes(source if isinstance(source, bytes) else source.encode())
            shm_before = set(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else set()
            start = time.monotonic()
            verdict = Checker(**options).check(exercise, path)
            took = time.monotonic() - start
            time.sleep(0.3)
            shm_after = set(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else set()
            raw = json.dumps(verdict.to_json(), ensure_ascii=False)
            rows.append({
                "who": who, "load": load, "case": name, "verdict": verdict.kind, "time_s": round(took, 2),
                "cpu_s": round(verdict.cpu_s, 2), "wall_s": round(verdict.wall_s, 2),
                "left_processes": len(left := leftovers(token)), "left_run_files": sum(1 for _ in runs_tmp.rglob("*")),
                "left_shm": len({n for n in shm_after - shm_before if token in n or n.startswith("torch")}),
                "raw_controls": sum(raw.count(c) for c in ("\x1b", "\x9b", "\u202e", "\x07")),
            })
            for pid in left:  # what the tutor left: cleared by pid, so the next case starts clean
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        shutil.rmtree(work, ignore_errors=True)
    return rows


def _user() -> tuple[int, int]:
    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/false", USER], check=True)
        entry = pwd.getpwnam(USER)
    return entry.pw_uid, entry.pw_gid


def cell(who: str, load: str) -> list[dict]:
    """One cell of the matrix, in a child (dropped to the ordinary user for "user")."""
    env = dict(os.environ)
    kwargs: dict = {}
    opened = []
    if who == "user" and os.geteuid() == 0:
        uid, gid = _user()
        home = Path(tempfile.mkdtemp(prefix="dltutor-bench2-home-"))
        os.chown(home, uid, gid)
        env.update(HOME=str(home), TMPDIR=str(home))
        kwargs = dict(user=uid, group=gid, extra_groups=[], cwd=home)
        for parent in Path(sys.executable).resolve().parents:
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                os.chmod(parent, mode | stat.S_IXOTH)
                opened.append((parent, mode))
    try:
        out = subprocess.run([sys.executable, __file__, "--one", who, load], env=env, capture_output=True,
                             text=True, timeout=900, **kwargs)
    finally:
        for parent, mode in opened:
            os.chmod(parent, mode)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=2, metavar=("WHO", "LOAD"), help="one cell: root|user idle|busy")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "hostile2.json")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(*args.one)))
        return 0
    whos = ["root", "user"] if os.geteuid() == 0 else ["user"]
    rows = [row for who in whos for load in ("idle", "busy") for row in cell(who, load)]
    head = ["who", "load", "case", "verdict", "time_s", "cpu_s", "wall_s", "left_processes", "left_run_files",
            "left_shm", "raw_controls"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(str(row[h]) for h in head) + " |")
    args.json.write_text(json.dumps({"machine": f"{platform.node()} {os.cpu_count()} cores, {platform.platform()}",
                                     "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

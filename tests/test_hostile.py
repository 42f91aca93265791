"""Hostile and broken student code (issue 8): every case, with real child processes.

Each numbered case of the issue is proved by a test here, or by the test
named below where one already existed. Cases whose behaviour could differ
between the two runners run on both: the cold path (a new Python per check)
and the warm path (a fork of the pre-imported worker).

 1 busy loop -> timeout within limit + 1 s ... test_endless_loop_times_out_within_the_limit_plus_1s [cold, warm]
 2 sleep -> wall-clock timeout .............. test_checker: test_endless_code_times_out_by_wall_clock[sleep],
                                              test_sleep_at_import_times_out
 3 `sleep 1000`, setsid, double fork ........ test_escaping_processes_do_not_outlive_the_run [cold, warm,
                                              with and without cgroup]; test_runner: process group, own session
 4 fork loop -> resource verdict ............ test_fork_loop_is_a_resource_verdict_and_harms_nothing [cold, warm];
                                              test_nproc_caps_a_normal_users_fork_loop
 5 output flood ............................. test_output_flood_keeps_exactly_the_cap [cold, warm]
 6 bad bytes, 100 MB line, escapes .......... test_a_100_mb_line_of_escapes_is_cut_and_shown_escaped;
                                              test_checker: test_output_escapes_terminal_control_and_invalid_utf8
 7 bytearray(50 << 30), torch.empty ......... test_checker: test_memory_error_is_oom (cold); test_oom_on_the_warm_path
 8 CUDA: no RLIMIT_AS, GPU OOM .............. test_no_address_space_limit_on_cuda_runs, test_cuda_out_of_memory_is_oom,
                                              test_memory_watch_stops_a_run_that_has_no_address_space_limit [cold, warm]
 9 sys.exit, os._exit, kill -9, segfault .... test_checker (cold); test_abrupt_endings_on_the_warm_path
10 forged records, patched torch, liars ..... test_checker: test_records_forged_on_every_pipe_never_pass,
                                              test_objects_that_claim_equality_fail, test_monkeypatching_torch_...
11 input() .................................. test_checker: test_input_is_an_immediate_eof_error_not_a_hang
12 100 GB file -> file-size verdict ......... test_huge_file_is_a_file_limit_and_the_run_dir_is_removed
13 DataLoader workers that hang ............. test_hanging_dataloader_workers_are_gone_after_the_run
14 Ctrl-C / SIGHUP during a check ........... test_interrupting_the_cli_ends_the_whole_tree_within_1s
15 kill -9 / garbled / read-only store ...... test_store: test_kill_9_during_writes_leaves_a_sound_file,
                                              test_bad_file_is_moved_aside; test_cli: test_unreadable_store_is_moved_aside;
                                              test_read_only_store_through_the_cli_warns_without_traceback
16 two tutors at once ....................... test_store: test_concurrent_writers_lose_no_attempt, test_concurrent_hints_...
17 correct solution under heavy CPU load .... test_correct_solutions_pass_under_heavy_cpu_load
18 planted symlinks ......................... test_links_planted_in_the_run_dir_are_never_followed;
                                              test_store: test_symlink_at_path_is_never_written_through;
                                              test_workspace: test_planted_symlink_is_never_written_through
19 private files ............................ test_store: test_created_files_are_private_whatever_the_umask;
                                              test_workspace: test_files_are_private; run dir: test_links_planted_...
Jobe: parallel jobs ......................... test_parallel_checks_all_get_the_right_verdict [cold x10, warm x30]

Processes of the run are found by a tag: this module puts DLTUTOR_TEST_TAG
in the environment before anything starts, so every child (cold or warm,
exec'd or merely forked) carries it, and `leftovers()` lists the live ones.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import tracemalloc
import uuid
from pathlib import Path

import pytest

from tutor.check import sandbox
from tutor.check.checker import Checker, judge
from tutor.i18n import tr
from tutor.check.runner import OUTPUT_CAP, ColdRunner, Job
from tutor.check.warm import WarmRunner

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the limits and the /proc scans are Linux-only (see tutor.check.sandbox)")

ROOT = Path(__file__).resolve().parent.parent
ADD = "basics/01-add"
TAG = uuid.uuid4().hex
SOLUTION = "import torch\n\n\ndef add(a, b):\n    return a + b\n"
WRONG = "import torch\n\n\ndef add(a, b):\n    return a - b\n"


@pytest.fixture(scope="module", autouse=True)
def tagged():
    """Every process started from here on carries DLTUTOR_TEST_TAG (see `leftovers`)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DLTUTOR_TEST_TAG", TAG)
        yield


WORKERS: set[int] = set()
"""Warm workers of this module: tagged too, but meant to stay."""


@pytest.fixture(scope="module")
def warm(tagged):
    """One warm worker for the module (started once: about 3 s)."""
    runner = WarmRunner()
    WORKERS.add(runner.status()["pid"])
    yield runner
    runner.close()


@pytest.fixture(params=["cold", "warm"])
def runner(request):
    """The cold runner, then the module's warm one."""
    return ColdRunner() if request.param == "cold" else request.getfixturevalue("warm")


@pytest.fixture
def run_tmp(tmp_path, monkeypatch):
    """A private folder that `tempfile` (hence the runs' working dirs) uses during the test."""
    folder = tmp_path / "runner-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def leftovers() -> list[int]:
    """Live processes (not zombies) that carry this module's tag, except the warm workers."""
    needle = f"DLTUTOR_TEST_TAG={TAG}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in WORKERS or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as fh:
                if needle not in fh.read().split(b"\0"):
                    continue
        except OSError:
            continue
        if alive(int(entry)):
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """True if `pid` runs (a zombie counts as gone: it holds nothing but its pid)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def no_leftovers(runner, within: float = 2.0) -> None:
    """Nothing of the runs is left (a moment allowed for SIGKILLed processes to exit)."""
    if isinstance(runner, WarmRunner):
        assert runner.status()["pid"] in WORKERS  # the worker survived, and it is the module's
    deadline = time.monotonic() + within
    while leftovers() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert leftovers() == []


def job(course, path: Path, exercise: str = ADD, **overrides) -> Job:
    ex = course.find(exercise)
    fields = dict(exercise=ex.key, student_path=path, source=path.read_text("utf-8"), check_path=ex.check_path,
                  seed=3, timeout_s=ex.timeout_s)
    fields.update(overrides)
    return Job(**fields)


def check(runner, course, path: Path, exercise: str = ADD, **checker_args):
    return Checker(runner=runner, **checker_args).check(course.find(exercise), path)


def en(text) -> str:
    assert text is not None
    return text.en


class Ticker:
    """Stands in for the TUI's event loop: the longest gap between 10 ms ticks while a check runs."""

    def __init__(self) -> None:
        self.gap = 0.0

    def run_beside(self, work):
        result = {}
        thread = threading.Thread(target=lambda: result.setdefault("value", work()))
        thread.start()
        last = time.monotonic()
        while thread.is_alive():
            time.sleep(0.01)
            now = time.monotonic()
            self.gap, last = max(self.gap, now - last), now
        thread.join()
        return result["value"]


# ---------------------------------------------------------------------------
# 1. time


def test_endless_loop_times_out_within_the_limit_plus_1s(runner, minicourse, student_file):
    path = student_file("def add(a, b):\n    while True:\n        pass\n")
    spec = job(minicourse, path)
    ticker = Ticker()
    start = time.monotonic()
    raw = ticker.run_beside(lambda: runner.run(spec))
    after_ready = time.monotonic() - start - raw.ready_s
    verdict = judge(raw, spec)
    assert verdict.kind == "timeout"
    # From the student's code starting to the verdict in hand, kill and clean-up included.
    assert spec.timeout_s <= after_ready <= spec.timeout_s + 1.0, after_ready
    # The supervisor never holds the interpreter: a UI thread beside it keeps running.
    assert ticker.gap < 0.5, ticker.gap
    no_leftovers(runner)


# ---------------------------------------------------------------------------
# 3. processes that try to outlive the run


ESCAPES = """
import os
import subprocess
import time

def note(name, pid):
    with open(os.path.join({folder!r}, name), "w") as fh:
        fh.write(str(pid))

note("plain", subprocess.Popen(["sleep", "1000"]).pid)
note("session", subprocess.Popen(["setsid", "sleep", "1000"]).pid)
if os.fork() == 0:  # the classic daemon: fork, setsid, fork again, no exec
    os.setsid()
    if os.fork() == 0:
        note("daemon", os.getpid())
        time.sleep(1000)
    os._exit(0)
{cleared}
while len(os.listdir({folder!r})) < {count}:
    time.sleep(0.01)


def add(a, b):
    return a + b
"""


@pytest.mark.parametrize("cgroup", [True, False], ids=["cgroup", "markers-only"])
def test_escaping_processes_do_not_outlive_the_run(runner, minicourse, student_file, tmp_path, monkeypatch, cgroup):
    if cgroup and not sandbox.cap_available() or cgroup and os.geteuid() != 0:
        pytest.skip("no writable pids cgroup here")
    if not cgroup:
        monkeypatch.setattr(sandbox.TaskCap, "create", classmethod(lambda cls, *a, **k: None))
    folder = tmp_path / "pids"
    folder.mkdir()
    # With a cgroup, even a process that clears its environment and execs in a
    # new session (so it has no marker at all) is found.
    cleared = ('note("cleared", subprocess.Popen(["sleep", "1000"], start_new_session=True, env={}).pid)'
               if cgroup else "")
    path = student_file(ESCAPES.format(folder=str(folder), cleared=cleared, count=4 if cgroup else 3))
    start = time.monotonic()
    verdict = check(runner, minicourse, path)
    assert verdict.kind == "passed", verdict.to_json()
    assert time.monotonic() - start < 30
    pids = {p.name: int(p.read_text()) for p in folder.iterdir()}
    try:
        assert set(pids) == ({"plain", "session", "daemon", "cleared"} if cgroup else {"plain", "session", "daemon"})
        assert [name for name, pid in pids.items() if alive(pid)] == []
        no_leftovers(runner)
    finally:
        for pid in pids.values():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# ---------------------------------------------------------------------------
# 4. fork loops


FORK_LOOP = """
import os
import time

children = []
try:
    for _ in range({bound}):  # linear and bounded: never a real bomb, even uncapped
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        children.append(pid)
except BlockingIOError:
    with open({flag!r}, "w") as fh:
        fh.write(str(len(children)))
    # Hold the processes until the test has tried a fork outside the run.
    for _ in range(400):
        if os.path.exists({flag!r} + ".ok"):
            break
        time.sleep(0.05)
    raise


def add(a, b):
    return a + b
"""


def _fork_loop_checks(check_it, path: Path, flag: Path, run_outside) -> dict:
    """Run the fork loop in a thread; while it holds its capped processes, fork outside it."""
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("verdict", check_it(path)))
    thread.start()
    deadline = time.monotonic() + 60
    while not flag.exists() and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    if flag.exists():
        time.sleep(0.05)
        result["outside"] = run_outside()
        Path(str(flag) + ".ok").touch()
    thread.join()
    return result


def test_fork_loop_is_a_resource_verdict_and_harms_nothing(runner, minicourse, student_file, tmp_path, monkeypatch):
    if os.geteuid() == 0 and not sandbox.cap_available():
        pytest.skip("root without a writable pids cgroup: no way to cap a fork loop here")
    monkeypatch.setattr(sandbox, "MAX_TASKS", 48)
    flag = tmp_path / "capped"
    path = student_file(FORK_LOOP.format(bound=400, flag=str(flag)))
    result = _fork_loop_checks(lambda p: check(runner, minicourse, p), path, flag,
                               lambda: subprocess.run(["true"]).returncode)
    verdict = result["verdict"]
    assert verdict.kind == "resource", verdict.to_json()
    assert en(verdict.detail) == tr("detail.resource", "en", limit=48)
    assert verdict.error.exc_type == "BlockingIOError"
    # The cap counts threads too, so at most 48 processes; but it did fork.
    assert 0 < int(flag.read_text()) <= 48
    # While the run was at its cap, a process outside it could still fork...
    assert result["outside"] == 0
    no_leftovers(runner)
    # ...and the next check is unaffected.
    assert check(runner, minicourse, student_file(SOLUTION, name="next.py")).kind == "passed"


def test_nproc_caps_a_normal_users_fork_loop():
    """The cap without root (no cgroup): RLIMIT_NPROC from `limit_tasks`, enforced by the kernel.

    As a normal user the test above already goes this way; as root it runs
    here, in a forked process that becomes `nobody` (no exec needed, so no
    Python readable by `nobody` is needed either).
    """
    if not sys.platform.startswith("linux"):
        pytest.skip("RLIMIT_NPROC and /proc: Linux only")
    if os.geteuid() != 0:
        pytest.skip("as a normal user, test_fork_loop_is_a_resource_verdict_and_harms_nothing runs through RLIMIT_NPROC")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; never returns into pytest
        try:
            os.setpgid(0, 0)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            cap = sandbox.limit_tasks(16)
            forked = 0
            try:
                for _ in range(200):  # linear and bounded
                    if os.fork() == 0:
                        time.sleep(60)
                        os._exit(0)
                    forked += 1
            except BlockingIOError:
                pass
            os.write(write_end, json.dumps({"cap": cap, "forked": forked}).encode())
            time.sleep(60)  # hold the processes while the test forks beside them
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        report = json.loads(os.read(read_end, 1000))
        # Another process of the same user, with its own limit, still forks.
        outside = subprocess.run(["true"], user=65534, group=65534, extra_groups=[]).returncode
    finally:
        os.close(read_end)
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    assert report["cap"] is not None and report["cap"] >= 16
    assert 0 < report["forked"] <= 16
    assert outside == 0


# ---------------------------------------------------------------------------
# 5, 6. output


@pytest.mark.parametrize("flood", ["one-huge-print", "endless-loop"])
def test_output_flood_keeps_exactly_the_cap(runner, minicourse, student_file, flood):
    body = {"one-huge-print": "print('x' * 10**9)", "endless-loop": "while True:\n    print('x' * 99)"}[flood]
    path = student_file(f"{body}\n\n\ndef add(a, b):\n    return a + b\n")
    # Building and encoding a 1 GB string alone can take seconds on a busy
    # machine: a generous limit keeps this about the output cap, not the clock.
    spec = job(minicourse, path, timeout_s=30.0)
    ticker = Ticker()
    tracemalloc.start()
    try:
        raw = ticker.run_beside(lambda: runner.run(spec))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert raw.output_exceeded and len(raw.output) == OUTPUT_CAP
    assert peak < 8 * OUTPUT_CAP, peak  # the tutor holds the cap and a few copies, never the flood
    verdict = judge(raw, spec)
    assert verdict.kind == "output_limit"
    assert en(verdict.detail) == tr("detail.output_limit", "en", limit=OUTPUT_CAP)
    assert verdict.output_truncated and 0 < len(verdict.output) <= 8000
    assert ticker.gap < 0.5, ticker.gap
    no_leftovers(runner)


def test_a_100_mb_line_of_escapes_is_cut_and_shown_escaped(checker, minicourse, student_file):
    path = student_file("""
        import sys

        # One 100 MB line with no newline: screen clears, window titles, bells, bad UTF-8.
        sys.stdout.buffer.write(b"\\x1b[2J\\x1b]0;owned\\x07\\xff\\xfe\\x9b" * (100 * 2**20 // 15))


        def add(a, b):
            return a + b
    """)
    verdict = checker.check(minicourse.find(ADD), path)
    assert verdict.kind == "output_limit"
    out = verdict.output
    assert "\\x1b]0;owned\\x07" in out and "\\xff\\xfe" in out
    assert not any(ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f for ch in out)
    assert "\x1b" not in json.dumps(verdict.to_json(), ensure_ascii=False)


# ---------------------------------------------------------------------------
# 7, 8. memory


@pytest.mark.parametrize("alloc", ["bytearray(50 << 30)", "torch.empty(50 << 30, dtype=torch.uint8)"])
def test_oom_on_the_warm_path(warm, minicourse, student_file, alloc):
    path = student_file(f"import torch\n\nbig = {alloc}\n\n\ndef add(a, b):\n    return a + b\n")
    verdict = check(warm, minicourse, path)
    assert verdict.kind == "oom", verdict.to_json()
    assert en(verdict.detail) == tr("detail.oom", "en", limit=4096)
    assert verdict.error.frames[-1]["line"] == 3
    assert warm.status()["pid"]  # the worker (and so the tutor) is still there


def test_memory_watch_stops_a_run_that_has_no_address_space_limit(runner, minicourse, student_file):
    """What protects CUDA runs (no RLIMIT_AS there): the tutor watches resident memory."""
    path = student_file("""
        import time

        held = []
        for _ in range(400):  # up to 6 GB, 16 MB at a time, each page touched
            held.append(bytearray(16 << 20))
            time.sleep(0.005)


        def add(a, b):
            return a + b
    """)
    verdict = check(runner, minicourse, path, memory_mb=200, memory_guard="rss")
    assert verdict.kind == "oom", verdict.to_json()
    assert en(verdict.detail) == tr("detail.oom_watch", "en", limit=200)
    no_leftovers(runner)


LIMITS_PROBE = """
import json, resource, sys
sys.path.insert(0, {root!r})
from tutor.check.harness import apply_limits
applied = apply_limits({job}, on_cuda={on_cuda})
print(json.dumps([applied, resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY]))
"""


@pytest.mark.parametrize("case", ["cpu", "cuda", "rss-guard"])
def test_no_address_space_limit_on_cuda_runs(case):
    job_data = {"memory_mb": 512, "file_mb": 8, "memory_guard": "rss" if case == "rss-guard" else "auto"}
    code = LIMITS_PROBE.format(root=str(ROOT), job=job_data, on_cuda=case == "cuda")
    proc = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    applied, unlimited = json.loads(proc.stdout)
    assert applied["file_mb"] == 8
    if case == "cpu":
        assert applied["memory_mb"] == 512 and not unlimited
    else:  # the tutor's memory watch takes over (it starts when "memory_mb" is not in the applied limits)
        assert "memory_mb" not in applied and unlimited


def test_cuda_out_of_memory_is_oom(warm, minicourse, student_file):
    # No GPU here: the error torch raises on CUDA exhaustion, raised by hand in a real child.
    path = student_file("""
        class OutOfMemoryError(RuntimeError):
            pass


        def add(a, b):
            raise OutOfMemoryError("CUDA out of memory. Tried to allocate 80.00 GiB (GPU 0; 79.11 GiB total capacity)")
    """)
    verdict = check(warm, minicourse, path)
    assert verdict.kind == "oom"
    assert en(verdict.detail) == tr("detail.oom_cuda", "en")


# ---------------------------------------------------------------------------
# 9. abrupt endings on the warm path (the cold path: test_checker)


@pytest.mark.parametrize("ending,kind,detail", [
    ("import sys\nsys.exit(0)", "error", "calls `sys.exit()`"),
    ("import os\nos._exit(0)", "crashed", "exit code 0"),
    ("import os\nos.kill(os.getpid(), 9)", "crashed", "killed by signal SIGKILL"),
    ("import ctypes\nctypes.string_at(0)", "crashed", "killed by signal SIGSEGV"),
], ids=["sys.exit", "os._exit", "kill-9", "segfault"])
def test_abrupt_endings_on_the_warm_path(warm, minicourse, student_file, ending, kind, detail):
    path = student_file(f"{ending}\n\n\ndef add(a, b):\n    return a + b\n")
    verdict = check(warm, minicourse, path)
    assert verdict.kind == kind and not verdict.passed
    assert detail.lower() in en(verdict.detail).lower()


# ---------------------------------------------------------------------------
# 12. files


@pytest.mark.parametrize("how", ["stream", "sparse", "default-sigxfsz"])
def test_huge_file_is_a_file_limit_and_the_run_dir_is_removed(runner, minicourse, student_file, run_tmp, how):
    body = {
        # 100 GB in 1 MB writes: stopped at the limit.
        "stream": "with open('big.bin', 'wb') as fh:\n    for _ in range(100 << 10):\n        fh.write(bytes(1 << 20))",
        # One byte 100 GB in: refused at once.
        "sparse": "with open('big.bin', 'wb') as fh:\n    fh.seek(100 << 30)\n    fh.write(b'x')",
        # Python ignores SIGXFSZ; code that restores it is killed by the signal instead.
        "default-sigxfsz": ("import signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_DFL)\n"
                            "with open('big.bin', 'wb', buffering=0) as fh:\n    while True:\n        fh.write(bytes(1 << 20))"),
    }[how]
    path = student_file(f"{body}\n\n\ndef add(a, b):\n    return a + b\n")
    verdict = check(runner, minicourse, path, file_mb=8)
    assert verdict.kind == "file_limit", verdict.to_json()
    assert en(verdict.detail) == tr("detail.file_limit", "en", limit=8)
    if how != "default-sigxfsz":
        assert verdict.error.exc_type == "OSError" and "File too large" in verdict.error.message
    assert list(run_tmp.iterdir()) == []


# ---------------------------------------------------------------------------
# 13. DataLoader workers


def test_hanging_dataloader_workers_are_gone_after_the_run(checker, minicourse, student_file, tmp_path, monkeypatch):
    # Sleeping workers use no CPU, so the run ends on the wall-clock limit: shortened from
    # 3 x 3 s + 30 s to 3 x 3 s + 6 s, still ample for three forked workers to start under load.
    from tutor.check import runner as runner_module
    monkeypatch.setattr(runner_module, "WALL_EXTRA_S", 6.0)
    folder = tmp_path / "workers"
    folder.mkdir()
    path = student_file(f"""
        import os
        import time

        import torch
        from torch.utils.data import DataLoader, Dataset


        class Stuck(Dataset):
            def __len__(self):
                return 64

            def __getitem__(self, i):
                open(os.path.join({str(folder)!r}, str(os.getpid())), "w").close()
                time.sleep(1000)


        def add(a, b):
            for _ in DataLoader(Stuck(), batch_size=2, num_workers=3):
                pass
            return a + b
    """)
    verdict = checker.check(minicourse.find(ADD), path)
    assert verdict.kind == "timeout"
    pids = [int(p.name) for p in folder.iterdir()]
    assert len(pids) == 3
    assert [pid for pid in pids if alive(pid)] == []
    assert leftovers() == []


# ---------------------------------------------------------------------------
# 14. Ctrl-C and ssh disconnects


@pytest.fixture
def cli_env(tmp_path, minicourse):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLTUTOR_")}
    env.update(DLTUTOR_WORKSPACE=str(tmp_path / "ws"), DLTUTOR_STATE_DIR=str(tmp_path / "state"),
               DLTUTOR_LANG="en", DLTUTOR_TEST_TAG=TAG, COLUMNS="100", NO_COLOR="1")
    return env


def dltutor(env, *args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "tutor", *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.mark.parametrize("command,signum", [("check", signal.SIGINT), ("check", signal.SIGHUP),
                                            ("watch", signal.SIGHUP)], ids=["check-ctrl-c", "check-hangup",
                                                                           "watch-hangup"])
def test_interrupting_the_cli_ends_the_whole_tree_within_1s(cli_env, minicourse, tmp_path, command, signum):
    course = ["--course", str(minicourse.root)]
    first = dltutor(cli_env, "check", "1.1", *course)  # writes the stub and makes the store
    first.communicate(timeout=120)
    started = tmp_path / "started"
    (tmp_path / "ws/basics/01-add.py").write_text(textwrap.dedent(f"""
        import os
        import subprocess
        import time

        subprocess.Popen(["sleep", "1000"])
        subprocess.Popen(["setsid", "sleep", "1000"])
        with open({str(started)!r}, "w") as fh:
            fh.write(str(os.getpid()))
        time.sleep(1000)


        def add(a, b):
            return a + b
    """))
    tutor = dltutor(cli_env, command, "1.1", *course, *(["--poll"] if command == "watch" else []))
    try:
        deadline = time.monotonic() + 120
        while not started.exists() and time.monotonic() < deadline and tutor.poll() is None:
            time.sleep(0.02)
        assert started.exists(), tutor.communicate(timeout=5)
        time.sleep(0.3)  # the sleeps are started
        tree = leftovers() + [tutor.pid]
        assert len(tree) >= (5 if command == "watch" else 4)  # tutor, (worker,) check, 2 sleeps
        sent = time.monotonic()
        tutor.send_signal(signum)
        while (leftovers() or tutor.poll() is None) and time.monotonic() - sent < 5:
            time.sleep(0.01)
        gone_after = time.monotonic() - sent
        out, err = tutor.communicate(timeout=5)
        assert leftovers() == [] and tutor.returncode is not None
        assert gone_after < 1.0, gone_after
        assert "Traceback" not in out + err and "Interrupted." in err
    finally:
        if tutor.poll() is None:
            tutor.kill()
        for pid in leftovers():
            os.kill(pid, signal.SIGKILL)
    # The store is whole, and the interrupted check is no attempt.
    db = next((tmp_path / "state").glob("*.sqlite3"))
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM attempts").fetchall() == [(0,)]
    finally:
        conn.close()


def test_a_tutor_killed_with_kill_9_leaves_nothing_after_its_next_start(minicourse, student_file, tmp_path,
                                                                       monkeypatch):
    """kill -9 allows no clean-up: the check dies with its parent, the rest is swept by the next tutor."""
    if os.geteuid() != 0 or not sandbox.cap_available():
        pytest.skip("needs the run cgroup (root with a writable pids cgroup) to find what was left")
    started = tmp_path / "started"
    path = student_file(f"""
        import os
        import subprocess
        import time

        sleeper = subprocess.Popen(["setsid", "sleep", "1000"]).pid
        with open({str(started)!r} + ".tmp", "w") as fh:
            fh.write(f"{{os.getpid()}} {{sleeper}}")
        os.rename({str(started)!r} + ".tmp", {str(started)!r})
        time.sleep(1000)


        def add(a, b):
            return a + b
    """)
    script = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
              "from tutor.check.checker import Checker; from tutor.course.manifest import load_course; "
              f"course = load_course(Path({str(minicourse.root)!r})); "
              f"Checker().check(course.find({ADD!r}), Path({str(path)!r}))")
    tutor = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 120
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    child, sleeper = map(int, started.read_text().split())
    try:
        tutor.kill()
        tutor.wait()
        assert wait_gone(child, 2.0)  # the check itself dies with the tutor (parent-death signal)
        assert alive(sleeper)  # what it started in a new session does not, yet
        monkeypatch.setattr(sandbox, "_last_sweep", float("-inf"))  # as in a freshly started tutor...
        monkeypatch.setattr(sandbox, "ORPHAN_AGE_S", 0.0)  # ...a minute later
        assert check(ColdRunner(), minicourse, student_file(SOLUTION, name="next.py")).kind == "passed"
        assert wait_gone(sleeper, 2.0)
        assert [g for p in sandbox._parents() if p.is_dir() for g in p.glob(f"dltutor-*-{tutor.pid}-*")] == []
    finally:
        for pid in (child, sleeper):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def wait_gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not alive(pid)


# ---------------------------------------------------------------------------
# 15. a read-only store


def test_read_only_store_through_the_cli_warns_without_traceback(cli_env, minicourse, tmp_path):
    if not shutil.which("chattr"):
        pytest.skip("no chattr to make the store unwritable")
    course = ["--course", str(minicourse.root)]
    dltutor(cli_env, "check", "1.1", *course).communicate(timeout=120)
    db = next((tmp_path / "state").glob("*.sqlite3"))
    before = db.read_bytes()
    (tmp_path / "ws/basics/01-add.py").write_text(SOLUTION)
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode:
            pytest.skip("this file system has no immutable flag")
        undo = ["chattr", "-i", str(db)]
    else:
        db.chmod(0o400)
        undo = ["chmod", "600", str(db)]
    try:
        out, err = dltutor(cli_env, "check", "1.1", *course).communicate(timeout=120)
    finally:
        subprocess.run(undo, check=True)
    assert "Passed" in out
    assert "read-only" in err.lower() or "read only" in err.lower(), err
    assert "Traceback" not in out + err
    assert db.read_bytes() == before


# ---------------------------------------------------------------------------
# 17. load


def test_correct_solutions_pass_under_heavy_cpu_load(checker, minicourse):
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(4)]
    try:
        for exercise in minicourse.exercises:
            verdict = checker.check(exercise, exercise.solution_path)
            assert verdict.kind == "passed", (exercise.key, verdict.to_json())
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


# ---------------------------------------------------------------------------
# 18, 19. links planted in the run's dir; the dir is private


def test_links_planted_in_the_run_dir_are_never_followed(checker, minicourse, student_file, tmp_path, run_tmp,
                                                         isolated_env):
    home = isolated_env["home"]
    home.mkdir(parents=True)
    bashrc = home / ".bashrc"
    bashrc.write_text("# mine\n")
    store_dir = isolated_env["state"]
    store_dir.mkdir(parents=True)
    (store_dir / "progress.sqlite3").write_bytes(b"precious")
    report = tmp_path / "mode.txt"
    path = student_file(f"""
        import os
        import stat

        with open({str(report)!r}, "w") as fh:
            fh.write(oct(stat.S_IMODE(os.stat(".").st_mode)))
        os.symlink({str(bashrc)!r}, "bashrc")
        os.symlink({str(store_dir)!r}, "store")
        os.symlink({str(home)!r}, "home")


        def add(a, b):
            return a + b
    """)
    verdict = checker.check(minicourse.find(ADD), path)
    assert verdict.kind == "passed"
    assert report.read_text() == "0o700"  # the run's dir is private to the user
    assert list(run_tmp.iterdir()) == []  # removed, links and all...
    assert bashrc.read_text() == "# mine\n"  # ...without following them
    assert (store_dir / "progress.sqlite3").read_bytes() == b"precious"


# ---------------------------------------------------------------------------
# Jobe: many checks at once


PARALLEL = {
    "passed": SOLUTION,
    "failed": WRONG,
    "error": "def add(a, b):\n    return undefined_name\n",
    "timeout": "def add(a, b):\n    while True:\n        pass\n",
    "crashed": "import os\n\n\ndef add(a, b):\n    os._exit(0)\n",
}


@pytest.mark.parametrize("which,count", [("cold", 5), ("warm", 15)])
def test_parallel_checks_all_get_the_right_verdict(request, minicourse, student_file, which, count):
    runner = ColdRunner() if which == "cold" else request.getfixturevalue("warm")
    kinds = sorted(PARALLEL)
    paths = {kind: student_file(PARALLEL[kind], name=f"{kind}.py") for kind in kinds}
    exercise = minicourse.find(ADD)
    # The limit is CPU seconds of each child's own tree, so children sharing a small machine do
    # not eat each other's budget: 3 s is far above what the others use, and short to wait for.
    exercise = dataclasses.replace(exercise, timeout_s=3.0)
    wanted = [kinds[i % len(kinds)] for i in range(count)]
    seen: list[str | None] = [None] * count

    def one(i: int) -> None:
        seen[i] = Checker(runner=runner).check(exercise, paths[wanted[i]]).kind

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == wanted
    no_leftovers(runner, within=5.0)


@pytest.mark.slow  # runs a benchmark script; the behaviour it measures has its own tests
def test_benchmark_runs_a_few_cases(tmp_path):
    out = tmp_path / "hostile.json"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks/hostile.py"), "--only", "9,11", "--cold-only",
                           "--parallel", "0", "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert [r["verdict"] for r in data["rows"]] == ["error", "crashed", "crashed", "crashed", "error"]
    assert all(r["leftover_processes"] == 0 and r["leftover_temp_files"] == 0 for r in data["rows"])
    assert "os._exit(0)" in proc.stdout and "stray scan" in proc.stdout

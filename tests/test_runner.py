"""Tests of the runner: the child process, its limits and its clean-up.

Every test starts real children (a cold Python importing torch, about 1-3 s
each) on the fixture course's 1.1 (`basics/01-add`, timeout 3 s).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

import tutor.check.runner as runner_module
from tutor.check.checker import Checker
from tutor.i18n import tr
from tutor.check.runner import CancelToken, ColdRunner, Job, _parse_records

ADD = "basics/01-add"


def alive(pid: int) -> bool:
    """True if `pid` is a running process (a zombie waiting to be reaped counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def wait_gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return not alive(pid)


@pytest.fixture
def run_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private folder that `tempfile` (hence the runner's work dirs) uses during the test."""
    folder = tmp_path / "runner-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def job_for(course, path: Path, **overrides) -> Job:
    exercise = course.find(ADD)
    fields = dict(exercise=exercise.key, student_path=path, source=path.read_text("utf-8"),
                  check_path=exercise.check_path, seed=5, timeout_s=exercise.timeout_s)
    fields.update(overrides)
    return Job(**fields)


# ---------------------------------------------------------------------------
# the protocol


def test_a_clean_run_reports_every_record_with_the_nonce(minicourse, student_file):
    path = student_file("""
        import torch

        print("hello from the student")


        def add(a, b):
            return a + b
    """)
    raw = ColdRunner().run(job_for(minicourse, path))
    assert raw.protocol_error == ""
    assert raw.started and not raw.timed_out and not raw.output_exceeded
    assert raw.returncode == 0
    assert [r["type"] for r in raw.records] == ["ready", "plan", "check", "check", "done"]
    nonces = {r["nonce"] for r in raw.records}
    assert len(nonces) == 1 and len(nonces.pop()) == 32
    assert [r["status"] for r in raw.records if r["type"] == "check"] == ["passed", "passed"]
    assert raw.records[-1]["count"] == 2
    assert b"hello from the student" in raw.output
    assert raw.duration_s > 0


def test_parse_records_refuses_lines_without_the_nonce():
    good = b'{"type": "ready", "nonce": "abc"}\n'
    assert _parse_records(good, "abc") == ([{"type": "ready", "nonce": "abc"}], "")
    for bad in (b'{"type": "done"}\n', b'{"type": "done", "nonce": "abd"}\n', b"PASS\n", b"[1, 2]\n",
                b'{"type": "done", "nonce": "abc"', b"\xff\n"):
        records, error = _parse_records(good + bad, "abc")
        assert error == "a record on the result channel was not written by the checker", bad
        assert records == [{"type": "ready", "nonce": "abc"}]


# ---------------------------------------------------------------------------
# clean-up


@pytest.mark.parametrize("ending", ["returns", "os._exit"])
def test_the_whole_process_group_is_killed_at_the_end(checker, minicourse, student_file, tmp_path, ending):
    pid_file = tmp_path / "grandchild.pid"
    path = student_file(f"""
        import os
        import subprocess

        child = subprocess.Popen(["sleep", "1000"])
        with open({str(pid_file)!r}, "w") as fh:
            fh.write(str(child.pid))
        if {ending == "os._exit"!r}:
            os._exit(0)


        def add(a, b):
            return a + b
    """)
    start = time.monotonic()
    verdict = checker.check(minicourse.find(ADD), path)
    # The sleeping grandchild holds the output pipe open: the run must not wait for it.
    assert time.monotonic() - start < 30
    assert verdict.kind == ("passed" if ending == "returns" else "crashed"), verdict.to_json()
    pid = int(pid_file.read_text())
    assert wait_gone(pid), f"process {pid} started by the student's code outlived the run"


def test_a_process_in_its_own_session_is_killed_too(checker, minicourse, student_file, tmp_path):
    # BUG (tutor/check/runner.py, _kill_group): "it and anything it started" is only
    # true for processes that stay in the child's process group. One started
    # with `start_new_session=True` (setsid; daemons, some launchers) is in
    # another group and outlives the run.
    pid_file = tmp_path / "escaped.pid"
    path = student_file(f"""
        import subprocess

        child = subprocess.Popen(["sleep", "1000"], start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open({str(pid_file)!r}, "w") as fh:
            fh.write(str(child.pid))


        def add(a, b):
            return a + b
    """)
    verdict = checker.check(minicourse.find(ADD), path)
    pid = int(pid_file.read_text())
    try:
        assert verdict.kind == "passed"
        assert wait_gone(pid, within=2.0), f"process {pid} left its process group and outlived the run"
    finally:
        if alive(pid):
            os.kill(pid, 9)


def test_the_temporary_working_dir_is_removed(checker, minicourse, student_file, tmp_path, run_tmp):
    cwd_file = tmp_path / "cwd.txt"
    path = student_file(f"""
        import os

        with open({str(cwd_file)!r}, "w") as fh:
            fh.write(os.getcwd())
        os.makedirs("junk/deeper")
        with open("junk/deeper/data.bin", "wb") as fh:
            fh.write(b"x" * 1000)


        def add(a, b):
            return a + b
    """)
    verdict = checker.check(minicourse.find(ADD), path)
    assert verdict.kind == "passed"
    workdir = Path(cwd_file.read_text())
    assert workdir.parent == run_tmp and workdir.name.startswith("dltutor-run-")
    assert not workdir.exists()
    assert list(run_tmp.iterdir()) == []
    # The student's own folder is not the working dir and gets nothing.
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_the_working_dir_is_removed_after_a_timeout(checker, minicourse, student_file, run_tmp):
    path = student_file("""
        import os

        open("left-behind.txt", "w").close()


        def add(a, b):
            while True:
                pass
    """)
    verdict = checker.check(minicourse.find(ADD), path)
    assert verdict.kind == "timeout"
    assert list(run_tmp.iterdir()) == []


def test_stdin_is_closed(checker, minicourse, student_file, tmp_path):
    out_file = tmp_path / "stdin.txt"
    path = student_file(f"""
        import os
        import sys

        with open({str(out_file)!r}, "w") as fh:
            fh.write(repr(sys.stdin.read()) + " " + repr(os.read(0, 100)))


        def add(a, b):
            return a + b
    """)
    start = time.monotonic()
    verdict = checker.check(minicourse.find(ADD), path)
    assert verdict.kind == "passed"
    assert out_file.read_text() == "'' b''"
    assert time.monotonic() - start < 30


def test_student_subprocesses_do_not_inherit_the_result_channel(checker, minicourse, student_file, tmp_path):
    listing = tmp_path / "fds.txt"
    path = student_file(f"""
        import os

        # os.system passes on every inheritable descriptor; `ls` lists its own.
        os.system("ls -l /proc/self/fd > {listing}")


        def add(a, b):
            return a + b
    """)
    verdict = checker.check(minicourse.find(ADD), path)
    assert verdict.kind == "passed"
    pipes = [line.split()[-3] for line in listing.read_text().splitlines() if "pipe:" in line]
    # Only stderr (stdout goes to the listing), never the result channel or the job pipe.
    assert pipes == ["2"], listing.read_text()


# ---------------------------------------------------------------------------
# cancelling and failing to start


def test_cancel_stops_the_run_and_kills_the_child(minicourse, student_file, tmp_path, run_tmp):
    pid_file = tmp_path / "child.pid"
    path = student_file(f"""
        import os
        import time

        with open({str(pid_file)!r}, "w") as fh:
            fh.write(str(os.getpid()))
        time.sleep(1000)


        def add(a, b):
            return a + b
    """)
    token = CancelToken()

    def cancel_when_started() -> None:
        deadline = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        token.cancel()

    thread = threading.Thread(target=cancel_when_started, daemon=True)
    thread.start()
    verdict = Checker().check(minicourse.find(ADD), path, cancel=token)
    thread.join()
    assert verdict.kind == "cancelled"
    assert not verdict.passed
    assert wait_gone(int(pid_file.read_text()))
    assert list(run_tmp.iterdir()) == []


def test_a_python_that_cannot_start_is_a_setup_error(minicourse, student_file, tmp_path, monkeypatch, run_tmp):
    missing = tmp_path / "no-such-python"
    monkeypatch.setenv("DLTUTOR_PYTHON", str(missing))
    path = student_file("def add(a, b):\n    return a + b\n")
    verdict = Checker().check(minicourse.find(ADD), path)
    assert verdict.kind == "setup_error"
    assert en_detail(verdict).startswith("Could not start the Python that runs checks: could not start Python:")
    assert str(missing) in en_detail(verdict)
    assert list(run_tmp.iterdir()) == []


def _python_without_torch() -> str | None:
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if not candidate or not os.path.exists(candidate):
            continue
        probe = subprocess.run([candidate, "-I", "-c", "import sys; assert sys.version_info >= (3, 10); import torch"],
                               capture_output=True)
        if probe.returncode != 0 and b"No module named 'torch'" in probe.stderr:
            return candidate
    return None


def test_a_python_without_torch_is_a_setup_error(minicourse, student_file, monkeypatch):
    python = _python_without_torch()
    if python is None:
        pytest.skip("no Python >= 3.10 without torch on this machine")
    monkeypatch.setenv("DLTUTOR_PYTHON", python)
    path = student_file("def add(a, b):\n    return a + b\n")
    verdict = Checker().check(minicourse.find(ADD), path)
    assert verdict.kind == "setup_error"
    assert en_detail(verdict) == tr("detail.setup_torch", "en", python=python)


def test_a_child_that_is_not_ready_in_time_is_a_setup_error(minicourse, student_file, monkeypatch):
    monkeypatch.setattr(runner_module, "STARTUP_S", 0.2)
    path = student_file("def add(a, b):\n    return a + b\n")
    start = time.monotonic()
    verdict = Checker().check(minicourse.find(ADD), path)
    assert time.monotonic() - start < 10
    assert verdict.kind == "setup_error"
    assert "did not start within" in en_detail(verdict)


def en_detail(verdict) -> str:
    assert verdict.detail is not None
    return verdict.detail.en

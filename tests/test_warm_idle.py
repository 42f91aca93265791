"""The warm worker is let go after an idle period and comes back at the next run (issue 18):
an idle student costs the server no torch process, a returning one still gets a right verdict."""

from __future__ import annotations

import time
from pathlib import Path

from tutor.check.checker import Checker
from tutor.check.warm import WarmRunner, idle_seconds
from tutor.course.manifest import load_course

MINI = load_course(Path(__file__).resolve().parent / "fixtures" / "minicourse")
EX = MINI.find("1.1")


def alive(pid: int) -> bool:
    """Whether `pid` is a live process (not gone, not a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_idle_period_from_the_environment():
    assert idle_seconds({}) == 600.0
    assert idle_seconds({"DLTUTOR_WARM_IDLE": "90"}) == 90.0
    assert idle_seconds({"DLTUTOR_WARM_IDLE": "0"}) is None  # keep it for as long as the tutor runs
    assert idle_seconds({"DLTUTOR_WARM_IDLE": "soon"}) == 600.0


def test_released_when_idle_and_back_at_the_next_run(tmp_path):
    runner = WarmRunner(idle_s=1.0)
    try:
        pid = runner.status()["pid"]  # waits until the worker has imported torch
        assert alive(pid)
        wait(lambda: not runner.running, 30, "the idle release")
        assert runner.releases == 1 and runner.restarts == 0
        wait(lambda: not alive(pid), 10, "the worker's exit")
        path = tmp_path / "01-add.py"
        path.write_text((MINI.root / "solutions/basics/01-add.py").read_text())
        verdict = Checker(runner=runner).check(EX, path, seed=1)
        assert verdict.passed, verdict
        assert runner.running and runner.status()["pid"] != pid  # a new worker, started by the run
    finally:
        runner.close()
    assert not runner.running

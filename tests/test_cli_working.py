"""`check` without an id and `--all`, `run`, `next`, `hint` without an id: real subprocesses on the minicourse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MINI = Path(__file__).resolve().parent / "fixtures" / "minicourse"
SOLUTION = (MINI / "solutions/basics/01-add.py").read_text()


@pytest.fixture
def env(tmp_path):
    """English, a private workspace and state dir, the minicourse."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("DLTUTOR_")}
    e.update(DLTUTOR_WORKSPACE=str(tmp_path / "ws"), DLTUTOR_STATE_DIR=str(tmp_path / "state"),
             DLTUTOR_LANG="en", DLTUTOR_COURSE=str(MINI), COLUMNS="200", NO_COLOR="1")
    return e


def dltutor(env, *args):
    return subprocess.run([sys.executable, "-m", "tutor", *args], env=env, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def test_without_an_id_the_current_exercise_then_next(env, tmp_path):
    hint = dltutor(env, "hint")
    assert hint.returncode == 0 and "Using the current exercise, 1.1 basics/01-add" in hint.stderr
    assert "Hint 1/2" in hint.stdout and "elementwise with" in hint.stdout
    (tmp_path / "ws/basics").mkdir(parents=True)
    (tmp_path / "ws/basics/01-add.py").write_text(SOLUTION)
    passed = dltutor(env, "check", "--json")
    assert passed.returncode == 0 and json.loads(passed.stdout)["exercise"] == "basics/01-add"
    # 1.1 is passed: "the current exercise" is now the first unfinished one.
    again = dltutor(env, "check")
    assert again.returncode == 1 and "2.1 training/01-fit" in again.stderr
    assert "Not started" in again.stdout
    # `next` goes on from where the student is, and says where the file is.
    nxt = dltutor(env, "next")
    assert nxt.returncode == 0 and "Next exercise: 2.1 training/01-fit" in nxt.stdout
    assert str(tmp_path / "ws/training/01-fit.py") in nxt.stdout
    done = dltutor(env, "next")  # 2.1 is not passed; there is no other unfinished one
    assert done.returncode == 0 and "Next exercise: 2.1" not in done.stdout and "Every required" in done.stdout


def test_run_shows_the_output_checks_nothing_and_keeps_the_limits(env, tmp_path):
    stub = tmp_path / "ws/basics/01-add.py"
    stub.parent.mkdir(parents=True)
    stub.write_text("import sys\nprint('hello from', __name__)\nprint('to stderr', file=sys.stderr)\n"
                    "if __name__ == '__main__':\n    print('main block ran')\n")
    ran = dltutor(env, "run", "1.1")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "hello from __main__" in ran.stdout and "main block ran" in ran.stdout and "to stderr" in ran.stdout
    assert "Ran to its end" in ran.stdout and "nothing was checked" in ran.stdout
    stub.write_text("print('before')\ndef f():\n    raise ValueError('boom')\nf()\n")
    failed = dltutor(env, "run", "1.1")
    assert failed.returncode == 1 and "ValueError: boom" in failed.stdout and "line 4" in failed.stdout
    assert "before" in failed.stdout
    stub.write_text("while True:\n    pass\n")  # the exercise's 3 s budget stops it
    stopped = dltutor(env, "run", "1.1")
    assert stopped.returncode == 1 and "Time" in stopped.stdout, stopped.stdout
    # Nothing of this was recorded as an attempt.
    progress = json.loads(dltutor(env, "progress", "--json").stdout)
    assert [e["attempts"] for e in progress["exercises"]] == [0, 0]


def test_check_all_summarises_without_writing_stubs(env, tmp_path):
    (tmp_path / "ws/basics").mkdir(parents=True)
    (tmp_path / "ws/basics/01-add.py").write_text(SOLUTION)
    proc = dltutor(env, "check", "--all")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert any(l.startswith("✓") and "1.1" in l and "passed" in l for l in lines)
    assert any(l.startswith("·") and "2.1" in l and "not started" in l for l in lines)
    assert "Required exercises: 1 of 2 passed, 0 not passed yet, 1 not started." in proc.stdout
    assert not (tmp_path / "ws/training/01-fit.py").exists()
    (tmp_path / "ws/training").mkdir()
    (tmp_path / "ws/training/01-fit.py").write_text("def fit(x, y):\n    return 1 / 0\n")
    data = json.loads(dltutor(env, "check", "--all", "--json").stdout)
    assert data["totals"] == {"total": 2, "passed": 1, "failed": 1, "not_started": 0, "opt_total": 0, "opt_passed": 0}
    assert [e["kind"] for e in data["exercises"]][0] == "passed"

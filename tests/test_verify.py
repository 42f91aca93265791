"""`dltutor dev verify` proves the built-in course whole and catches broken packs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from test_content import make_pack

ROOT = Path(__file__).resolve().parent.parent


def verify(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLTUTOR_")}
    env.update(DLTUTOR_WORKSPACE=str(tmp_path / "ws"), DLTUTOR_STATE_DIR=str(tmp_path / "st"), DLTUTOR_LANG="en", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "tutor", "dev", "verify", *args], env=env, capture_output=True,
                          text=True, timeout=1200)


def test_builtin_course_is_whole(tmp_path):
    # The experiments' reference studies take minutes: tests/test_experiments.py runs them (slow).
    proc = verify(tmp_path, "--no-studies")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "The course is whole" in proc.stdout
    # Every exercise's solution and stub really ran.
    for line in ("tensors/01-create solution: passed", "tensors/01-create stub: not_started"):
        assert line in proc.stdout


def test_a_pack_given_with_course_is_verified(tmp_path):
    root = make_pack(tmp_path)
    proc = verify(tmp_path, "--course", str(root))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "alpha/01-one solution: passed" in proc.stdout


def test_broken_pack_is_reported(tmp_path):
    root = make_pack(tmp_path)
    # A solution that fails and a stub that passes as shipped.
    (root / "solutions/alpha/01-one.py").write_text("def f():\n    return 2\n")
    (root / "lessons/alpha/01-one.py").write_text("def f():\n    # TODO: nothing to do, oops\n    return 1\n")
    proc = verify(tmp_path, "--course", str(root))
    assert proc.returncode == 1
    assert "solution should pass but got failed" in proc.stdout
    assert "stub should not pass untouched but got passed" in proc.stdout


def test_structure_problems_stop_before_running(tmp_path):
    root = make_pack(tmp_path)
    (root / "lessons/alpha/ja.md").unlink()
    proc = verify(tmp_path, "--course", str(root))
    assert proc.returncode == 1 and "ja.md" in proc.stdout and "solution:" not in proc.stdout

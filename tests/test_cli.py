"""The `dltutor` command through real subprocesses, bad inputs included."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "solutions/tensors/01-create.py"


@pytest.fixture
def env(tmp_path):
    """An environment with a private workspace and state dir, English by default."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("DLTUTOR_")}
    e.update(DLTUTOR_WORKSPACE=str(tmp_path / "ws"), DLTUTOR_STATE_DIR=str(tmp_path / "state"),
             DLTUTOR_LANG="en", COLUMNS="100", NO_COLOR="1")
    return e


def dltutor(env, *args, timeout=180):
    """Run `python -m tutor ARGS` and return the completed process."""
    return subprocess.run([sys.executable, "-m", "tutor", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def no_traceback(proc):
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_list_text_and_json(env):
    proc = dltutor(env, "list")
    assert proc.returncode == 0
    assert "tensors/01-create" in proc.stdout and "not started" in proc.stdout
    data = json.loads(dltutor(env, "list", "--json").stdout)
    first = data["lessons"][0]
    assert first["id"] == "tensors" and first["exercises"][0]["id"] == "tensors/01-create"
    assert first["exercises"][0]["short"] == "1.1" and first["exercises"][0]["status"] == "not_started"


def test_check_flow_stub_fail_pass_and_progress(env, tmp_path):
    first = dltutor(env, "check", "1.1")
    assert first.returncode == 1 and "Not started" in first.stdout
    stub = tmp_path / "ws/tensors/01-create.py"
    assert stub.read_text() == (ROOT / "lessons/tensors/01-create.py").read_text()
    assert (tmp_path / "ws/README.md").is_file()

    stub.write_text(SOLUTION.read_text().replace("dtype=torch.float32", ""))
    failed = dltutor(env, "check", "tensors/01-create", "--json")
    assert failed.returncode == 1
    verdict = json.loads(failed.stdout)
    assert verdict["kind"] == "failed" and not verdict["passed"]
    assert any("dtype" in (c["message"] or {}).get("en", "") for c in verdict["checks"])

    shutil.copy(SOLUTION, stub)
    passed = dltutor(env, "check", "1.1")
    assert passed.returncode == 0 and "Passed" in passed.stdout
    progress = json.loads(dltutor(env, "progress", "--json").stdout)
    p11 = next(e for e in progress["exercises"] if e["exercise"] == "tensors/01-create")
    assert p11["passed"] and p11["attempts"] == 2 and p11["first_pass_at"]
    listing = json.loads(dltutor(env, "list", "--json").stdout)
    assert listing["lessons"][0]["exercises"][0]["status"] == "passed"


def test_edit_is_never_overwritten(env, tmp_path):
    dltutor(env, "check", "1.1")
    stub = tmp_path / "ws/tensors/01-create.py"
    stub.write_text("# my own work\n")
    dltutor(env, "check", "1.1")
    dltutor(env, "start")
    assert stub.read_text() == "# my own work\n"


def test_unknown_exercise_suggests(env):
    proc = dltutor(env, "check", "tensor/01-create")
    assert proc.returncode == 2
    assert "tensors/01-create" in proc.stderr and "Did you mean" in proc.stderr
    no_traceback(proc)


@pytest.mark.parametrize("args", [["solution"], ["check", "1.1", "--device", "tpu"], ["frobnicate"], ["reset"]])
def test_usage_errors_exit_2(env, args):
    proc = dltutor(env, *args)
    assert proc.returncode == 2
    no_traceback(proc)


def test_hints_in_order_then_all(env):
    one = dltutor(env, "hint", "1.1")
    assert "Hint 1/3" in one.stdout
    two = dltutor(env, "hint", "1.1", "--lang", "ja")
    assert "ヒント 2/3" in two.stdout
    everything = dltutor(env, "hint", "1.1", "--all")
    assert "Hint 3/3" in everything.stdout and "Hint 1/3" in everything.stdout
    after = dltutor(env, "hint", "1.1")
    assert "last hint" in after.stdout
    progress = json.loads(dltutor(env, "progress", "--json").stdout)
    assert progress["exercises"][0]["hints_revealed"] == 3


def test_solution_is_gated_and_recorded(env, tmp_path):
    locked = dltutor(env, "solution", "1.1")
    assert locked.returncode == 1 and "--give-up" in locked.stderr
    assert "def grid" not in locked.stdout
    given = dltutor(env, "solution", "1.1", "--give-up")
    assert given.returncode == 0 and "def grid" in given.stdout and "giving up" in given.stdout
    progress = json.loads(dltutor(env, "progress", "--json").stdout)
    assert progress["exercises"][0]["solution_revealed"] and progress["exercises"][0]["solution_reason"] == "give_up"


def test_reset_keeps_a_backup(env, tmp_path):
    dltutor(env, "check", "1.1")
    stub = tmp_path / "ws/tensors/01-create.py"
    stub.write_text("# attempt 1\n")
    proc = dltutor(env, "reset", "1.1")
    assert proc.returncode == 0
    backups = list((tmp_path / "ws/.backup/tensors").glob("01-create.*.py"))
    assert [b.read_text() for b in backups] == ["# attempt 1\n"]
    assert stub.read_text() == (ROOT / "lessons/tensors/01-create.py").read_text()


def test_deleted_stub_is_written_again(env, tmp_path):
    dltutor(env, "check", "1.1")
    (tmp_path / "ws/tensors/01-create.py").unlink()
    proc = dltutor(env, "check", "1.1")
    assert proc.returncode == 1 and "was written to" in proc.stdout
    assert (tmp_path / "ws/tensors/01-create.py").is_file()


def test_missing_workspace_is_created_and_unwritable_is_explained(env, tmp_path):
    env["DLTUTOR_WORKSPACE"] = str(tmp_path / "deep/new/ws")
    assert dltutor(env, "check", "1.1").returncode == 1
    assert (tmp_path / "deep/new/ws/tensors/01-create.py").is_file()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env["DLTUTOR_WORKSPACE"] = str(blocker / "ws")
    proc = dltutor(env, "check", "1.1")
    assert proc.returncode == 1 and "not writable" in proc.stderr
    no_traceback(proc)


def test_unreadable_store_is_moved_aside(env, tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    (state / "progress-dltutor.sqlite3").write_bytes(b"this is not a database" * 100)
    proc = dltutor(env, "list")
    assert proc.returncode == 0 and "tensors/01-create" in proc.stdout
    assert "moved" in proc.stderr
    no_traceback(proc)
    assert list(state.glob("progress-dltutor.sqlite3.corrupt-*"))


def test_no_torch_in_the_checking_python(env, tmp_path):
    bare = tmp_path / "bare"
    venv.EnvBuilder(with_pip=False).create(bare)
    env["DLTUTOR_PYTHON"] = str(bare / "bin/python")
    dltutor(env, "check", "1.1")
    shutil.copy(SOLUTION, tmp_path / "ws/tensors/01-create.py")
    proc = dltutor(env, "check", "1.1")
    assert proc.returncode == 1
    assert "no PyTorch" in proc.stdout and "pip install torch" in proc.stdout
    no_traceback(proc)
    doctor = dltutor(env, "doctor")
    assert doctor.returncode == 1 and "fail" in doctor.stdout and "torch" in doctor.stdout
    no_traceback(doctor)


def test_doctor_reports_each_part(env):
    proc = dltutor(env, "doctor", "--json")
    data = json.loads(proc.stdout)
    labels = " ".join(line["label"] for line in data["lines"])
    for part in ("torch", "torchvision", "CUDA", "workspace", "progress store", "data"):
        assert part in labels
    assert data["environment"]["torch"]
    assert proc.returncode == (0 if data["ok"] else 1)


def test_japanese_everywhere(env):
    env["DLTUTOR_LANG"] = "ja"
    proc = dltutor(env, "check", "1.1")
    assert "まだ手を付けていません" in proc.stdout
    assert "テンソル" in dltutor(env, "list").stdout


def test_console_script_and_module_agree(env):
    exe = Path(sys.executable).with_name("dltutor")
    if not exe.exists():
        pytest.skip("dltutor console script not installed next to this Python")
    a = subprocess.run([str(exe), "list", "--json"], env=env, capture_output=True, text=True)
    b = dltutor(env, "list", "--json")
    assert a.returncode == b.returncode == 0 and json.loads(a.stdout) == json.loads(b.stdout)


def _read_until(proc, needle: str, timeout: float) -> str:
    """Read the process's stdout until `needle` shows up (or fail after `timeout`)."""
    import selectors
    import time

    seen = ""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while needle not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"{needle!r} not seen in time; got:\n{seen}")
        if sel.select(timeout=0.2):
            chunk = os.read(proc.stdout.fileno(), 65536).decode()
            if not chunk:
                raise AssertionError(f"process ended before {needle!r}:\n{seen}")
            seen += chunk
    return seen


@pytest.mark.parametrize("poll", [True, False], ids=["polling", "events"])
def test_watch_rechecks_on_save_and_moves_on(env, tmp_path, poll):
    import signal

    args = [sys.executable, "-m", "tutor", "watch"] + (["--poll"] if poll else [])
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _read_until(proc, "Not started", 120)
        stub = tmp_path / "ws/tensors/01-create.py"
        stub.write_text(SOLUTION.read_text().replace("dtype=torch.float32", ""))
        _read_until(proc, "Not yet", 120)
        shutil.copy(SOLUTION, stub)
        out = _read_until(proc, "Next up: 1.2", 120)
        assert "Passed" in out
        assert (tmp_path / "ws/tensors/02-numpy.py").is_file()
    finally:
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=30)[0].decode()
    assert proc.returncode == 0 and "Stopped watching" in rest and "Traceback" not in rest


FIGCOURSE = Path(__file__).parent / "fixtures" / "figcourse"


def test_check_draws_the_runs_figures_and_writes_pngs(env, tmp_path):
    first = dltutor(env, "--course", str(FIGCOURSE), "check", "1.1")  # writes the stub
    assert first.returncode == 1
    (tmp_path / "ws" / "l" / "01-fig.py").write_text((FIGCOURSE / "solutions" / "l" / "01-fig.py").read_text())
    shown = dltutor(env, "--course", str(FIGCOURSE), "check", "1.1")
    assert shown.returncode == 0 and "Loss per epoch" in shown.stdout and "val_loss" in shown.stdout
    # Output to a pipe has no colours: pictures come as characters, not uniform coloured cells.
    assert "Decision boundary" in shown.stdout and "▄" not in shown.stdout and "%%%%" in shown.stdout
    quiet = dltutor(env, "--course", str(FIGCOURSE), "check", "1.1", "--no-plots")
    assert quiet.returncode == 0 and "Loss per epoch" not in quiet.stdout
    as_json = json.loads(dltutor(env, "--course", str(FIGCOURSE), "check", "1.1", "--json").stdout)
    assert [f["id"] for f in as_json["figures"]] == ["loss", "boundary", "fit", "digits", "weights"]
    # Without matplotlib: a clear message, the figures still in the terminal, the verdict unchanged.
    shim = tmp_path / "shim" / "matplotlib"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError('No module named matplotlib')\n")
    plain = dltutor({**env, "PYTHONPATH": str(shim.parent)}, "--course", str(FIGCOURSE), "check", "1.1",
                    "--png", str(tmp_path / "png"))
    assert plain.returncode == 0 and "needs matplotlib" in plain.stdout and "dltutor[plots]" in plain.stdout
    assert not (tmp_path / "png").exists()
    no_traceback(plain)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return
    pngs = dltutor(env, "--course", str(FIGCOURSE), "check", "1.1", "--png", str(tmp_path / "png"), "--no-plots")
    assert pngs.returncode == 0
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == sorted(
        f"l-01-fig-{i}.png" for i in ("loss", "boundary", "fit", "digits", "weights"))


def test_solution_diff_shows_the_students_file_against_the_reference(env, tmp_path):
    dltutor(env, "check", "1.1")
    mine = tmp_path / "ws/tensors/01-create.py"
    reference = SOLUTION.read_text()
    mine.write_text(reference.replace("dtype=torch.float32", "dtype=torch.float64", 1))
    proc = dltutor(env, "solution", "1.1", "--give-up", "--diff")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert any(l.startswith("-") and "float64" in l for l in lines), proc.stdout
    assert any(l.startswith("+") and "float32" in l for l in lines), proc.stdout
    assert not any(l.startswith(("+", "-")) and "import torch" in l for l in lines)  # unchanged lines are context
    mine.write_text(reference)
    same = dltutor(env, "solution", "1.1", "--diff")
    assert same.returncode == 0 and "same as the reference" in same.stdout


def test_doctor_shows_progress_while_torch_imports_on_a_terminal(env, tmp_path):
    """A slow checking Python (a script that waits, then runs a bare Python, so no real torch import is paid for):
    a terminal sees the spinner's line while the probe runs; piped output gets the report alone."""
    import pty
    import select

    bare = tmp_path / "bare"
    venv.EnvBuilder(with_pip=False).create(bare)
    slow = tmp_path / "slow-python"
    slow.write_text(f"#!/bin/sh\nsleep 1\nexec {shlex.quote(str(bare / 'bin/python'))} \"$@\"\n")
    slow.chmod(0o755)
    env.update(DLTUTOR_PYTHON=str(slow), TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "doctor"], env=env, stdin=follower, stdout=follower,
                            stderr=follower, close_fds=True)
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=60)
    os.close(leader)
    text = seen.decode("utf-8", "replace")
    assert "Importing torch in the checking Python" in text, text
    assert text.index("Importing torch") < text.index("torchvision")  # shown before the report
    piped = dltutor(env | {"DLTUTOR_PYTHON": str(slow)}, "doctor")
    assert "Importing torch" not in piped.stdout + piped.stderr and "torchvision" in piped.stdout

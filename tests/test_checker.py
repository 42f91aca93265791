"""Tests of the checker: every verdict kind, produced by a real child process.

Each `check` here starts a fresh Python that imports torch (about 1-3 s), so
the exercises come from the fixture course (`tests/fixtures/minicourse`),
whose checks are light and whose timeouts are short (3 s for 1.1 `add`, 5 s
for 2.1 `fit`). Verdicts are asserted precisely: the kind, and the message
or the fields that explain it.
"""

from __future__ import annotations

import hashlib
import json
import re
import signal
import time
from pathlib import Path

import pytest

from tutor.check.checker import Checker, judge
from tutor.i18n import Text, tr
from tutor.check.runner import GRACE_S, OUTPUT_CAP, Job, RawRun
from tutor.check.verdict import KINDS, CheckLine, ErrorDetail, Verdict

# Time for a cold child to start Python and import torch on a slow, loaded
# machine; the exercise's timeout only starts counting after that.
STARTUP_ALLOWANCE_S = 15.0

ADD = "basics/01-add"
FIT = "training/01-fit"

CORRECT_ADD = """
import torch


def add(a, b):
    return a + b
"""


def run_check(checker: Checker, course, student_file, source: str | bytes, exercise: str = ADD, **kwargs) -> Verdict:
    """Write `source` as the student's file and check it against `exercise`."""
    path = student_file(source)
    return checker.check(course.find(exercise), path, **kwargs)


def line(verdict: Verdict, check_id: str) -> CheckLine:
    """The verdict's line for one check."""
    return next(c for c in verdict.checks if c.id == check_id)


def statuses(verdict: Verdict) -> dict[str, str]:
    return {c.id: c.status for c in verdict.checks}


def en(text: Text | None) -> str:
    assert text is not None
    return text.en


# ---------------------------------------------------------------------------
# passed / failed


def test_solution_passes(checker, minicourse):
    for exercise in minicourse.exercises:
        verdict = checker.check(exercise, exercise.solution_path, seed=7)
        assert verdict.kind == "passed", (exercise.key, verdict.to_json())
        assert verdict.passed
        assert all(c.status == "passed" for c in verdict.checks)
        assert len(verdict.checks) >= 1
        assert verdict.device == "cpu"
        assert verdict.seed == 7
        assert verdict.exercise == exercise.key
        assert verdict.file_hash == hashlib.sha256(exercise.solution_path.read_bytes()).hexdigest()
        assert verdict.error is None
        assert verdict.headline("en") == tr("verdict.passed", "en")


def test_wrong_values_fail_with_max_error_and_first_mismatch(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        import torch


        def add(a, b):
            return a - b
    """)
    assert verdict.kind == "failed"
    assert not verdict.passed
    assert statuses(verdict) == {"sum_values": "failed", "keeps_shape": "passed"}
    msg = en(line(verdict, "sum_values").message)
    assert msg.startswith("`add(a, b)` has wrong values:")
    assert re.search(r"\d+ of \d+ differ, max error \d", msg), msg
    assert re.search(r"First mismatch at \(\d+, \d+\): got -?[\d.e+-]+, expected -?[\d.e+-]+\.", msg), msg
    # The reference code is never shown.
    assert "a + b" not in msg
    assert verdict.detail is None and verdict.error is None


def test_float64_result_fails_with_dtype_message(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        import torch


        def add(a, b):
            return (a + b).double()
    """)
    assert verdict.kind == "failed"
    assert statuses(verdict) == {"sum_values": "failed", "keeps_shape": "passed"}
    msg = line(verdict, "sum_values").message
    assert "has dtype float64 but should be float32" in msg.en
    assert "NumPy arrays are float64 by default" in msg.en
    assert "float64" in msg.ja and "float32" in msg.ja


def test_check_that_chokes_on_the_return_value_is_a_failure(checker, minicourse, student_file):
    # Forgot `return`: `keeps_shape` does `got.shape` on None and raises in the
    # check's own code. That is the answer's fault: failed, never error or passed.
    verdict = run_check(checker, minicourse, student_file, """
        import torch


        def add(a, b):
            a + b
    """)
    assert verdict.kind == "failed"
    assert verdict.error is None
    assert statuses(verdict) == {"sum_values": "failed", "keeps_shape": "failed"}
    assert "is a NoneType, not a torch.Tensor. Did you forget `return`?" in en(line(verdict, "sum_values").message)
    msg = en(line(verdict, "keeps_shape").message)
    assert msg == tr("detail.check_error", "en", exc_type="AttributeError",
                     message="'NoneType' object has no attribute 'shape'")


def test_training_solution_variant_with_too_few_steps_fails_on_decrease(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        import torch


        def fit(x, y, steps=200, lr=0.1):
            w = torch.zeros(x.shape[1], requires_grad=True)
            b = torch.zeros((), requires_grad=True)
            losses = []
            for _ in range(steps):
                loss = ((x @ w + b - y) ** 2).mean()
                loss.backward()
                # forgot the update
                losses.append(loss.item())
            return w.detach(), b.detach(), losses
    """, exercise=FIT)
    assert verdict.kind == "failed"
    assert "`loss` did not go down enough" in en(line(verdict, "fits_line").message)


# ---------------------------------------------------------------------------
# not_started


def test_untouched_stub_is_not_started_without_running(checker, minicourse, student_file):
    exercise = minicourse.find(ADD)
    # Same text as the stub, with CRLF line endings and trailing spaces.
    stub = exercise.stub_path.read_text("utf-8")
    path = student_file(stub.replace("\n", "  \r\n").encode("utf-8"))
    start = time.monotonic()
    verdict = checker.check(exercise, path)
    assert time.monotonic() - start < 1.0  # no child was started
    assert verdict.kind == "not_started"
    assert verdict.checks == [] and verdict.duration_s == 0.0
    assert en(verdict.detail) == tr("detail.not_started", "en", path=path)
    assert verdict.file_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_missing_file_is_not_started(checker, minicourse, tmp_path):
    exercise = minicourse.find(ADD)
    path = tmp_path / "nowhere" / "01-add.py"
    verdict = checker.check(exercise, path)
    assert verdict.kind == "not_started"
    assert en(verdict.detail) == tr("detail.missing_file", "en", path=path, exercise=ADD)


def test_edited_file_whose_functions_still_raise_not_implemented_is_not_started(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        # I will do this later.
        import torch


        def helper(x):
            return x


        def add(a, b):
            # TODO: still to do
            raise NotImplementedError("later")
    """)
    assert verdict.kind == "not_started"
    assert statuses(verdict) == {"sum_values": "todo", "keeps_shape": "todo"}
    assert en(verdict.detail) == tr("detail.all_todo", "en")
    assert "`add` still raises NotImplementedError" in en(line(verdict, "sum_values").message)


def test_forced_run_of_the_stub_is_not_started_and_never_passes(checker, minicourse):
    for exercise in minicourse.exercises:
        verdict = checker.check(exercise, exercise.stub_path, force_run=True)
        assert verdict.kind == "not_started", (exercise.key, verdict.to_json())
        assert verdict.checks and all(c.status == "todo" for c in verdict.checks)


# ---------------------------------------------------------------------------
# syntax_error


def test_syntax_error_gives_line_and_caret_column_without_running(checker, minicourse, student_file):
    path = student_file("import torch\n\n\ndef add(a, b):\n    return a + * b\n")
    start = time.monotonic()
    verdict = checker.check(minicourse.find(ADD), path)
    assert time.monotonic() - start < 1.0
    assert verdict.kind == "syntax_error"
    assert verdict.error is not None
    assert verdict.error.exc_type == "SyntaxError"
    assert verdict.error.message == "invalid syntax"
    assert verdict.error.frames == [{"line": 5, "func": "", "code": "    return a + * b", "col": 16}]
    assert "    return a + * b"[16 - 1] == "*"  # col is 1-based and points at the culprit
    assert en(verdict.detail) == "Line 5: invalid syntax"
    assert verdict.checks == []


def test_unclosed_bracket_and_indentation_errors(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, "def add(a, b):\n    return (a + b\n")
    assert verdict.kind == "syntax_error"
    assert verdict.error.frames[0]["line"] == 2 and verdict.error.frames[0]["col"] == 12
    assert "'(' was never closed" in en(verdict.detail)

    verdict = run_check(checker, minicourse, student_file, "def add(a, b):\nreturn a + b\n")
    assert verdict.kind == "syntax_error"
    assert verdict.error.exc_type == "IndentationError"
    assert verdict.error.frames[0]["line"] == 2


# ---------------------------------------------------------------------------
# error


DEEP_ERROR = """
import torch
import torch.nn.functional as F


def _normalise(x):
    return F.softmax(x, dim=5)


def _combine(a, b):
    return _normalise(a) + b


def add(a, b):
    return _combine(a, b)
"""


def test_error_deep_in_helpers_is_trimmed_to_the_students_file(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, DEEP_ERROR)
    assert verdict.kind == "error"
    err = verdict.error
    assert err.exc_type == "IndexError"
    assert "Dimension out of range" in err.message
    # Innermost last; only the student's own frames: no harness, check-file or torch frames.
    assert [(f["func"], f["line"], f["code"]) for f in err.frames] == [
        ("add", 14, "return _combine(a, b)"),
        ("_combine", 10, "return _normalise(a) + b"),
        ("_normalise", 6, "return F.softmax(x, dim=5)"),
    ]
    dumped = json.dumps(verdict.to_json())
    for foreign in ("harness", "checkkit", "torch/nn/functional.py", "site-packages", "checks/basics"):
        assert foreign not in dumped
    assert line(verdict, "sum_values").status == "error"
    # The line points at the error block instead of repeating it (one traceback, not two).
    assert "`IndexError` was raised" in en(line(verdict, "sum_values").message)
    assert "Dimension out of range" not in en(line(verdict, "sum_values").message)
    assert err.hint is None


def test_error_at_import_names_the_line(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        import torch

        x = torch.ones(3) @ torch.ones(4)


        def add(a, b):
            return a + b
    """)
    assert verdict.kind == "error"
    assert verdict.error.exc_type == "RuntimeError"
    assert [(f["func"], f["line"]) for f in verdict.error.frames] == [("<module>", 3)]
    # The import failed, so no check ran.
    assert all(c.status == "not_run" for c in verdict.checks)


def test_backwards_typo_gets_a_teaching_hint(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        import torch


        def fit(x, y, steps=200, lr=0.1):
            w = torch.zeros(x.shape[1], requires_grad=True)
            b = torch.zeros((), requires_grad=True)
            losses = []
            for _ in range(steps):
                loss = ((x @ w + b - y) ** 2).mean()
                loss.backwards()
                losses.append(loss.item())
            return w, b, losses
    """, exercise=FIT)
    assert verdict.kind == "error"
    assert verdict.error.exc_type == "AttributeError"
    assert verdict.error.message == "'Tensor' object has no attribute 'backwards'"
    assert [(f["func"], f["line"]) for f in verdict.error.frames] == [("fit", 10)]
    assert en(verdict.error.hint) == tr("hint.backwards_typo", "en")
    assert "not `backwards()`" in en(verdict.error.hint)


def test_backward_on_a_non_scalar_gets_a_teaching_hint(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        import torch


        def add(a, b):
            a = a.clone().requires_grad_()
            out = a + b
            out.backward()
            return out.detach()
    """)
    assert verdict.kind == "error"
    assert verdict.error.exc_type == "RuntimeError"
    assert "grad can be implicitly created only for" in verdict.error.message
    assert verdict.error.frames[-1]["line"] == 7
    assert en(verdict.error.hint) == tr("hint.backward_scalar", "en")


def test_input_is_an_immediate_eof_error_not_a_hang(checker, minicourse, student_file):
    # stdin is closed: a blocked read would have ended as "timeout" instead.
    verdict = run_check(checker, minicourse, student_file, """
        name = input("your name? ")


        def add(a, b):
            return a + b
    """)
    assert verdict.kind == "error"
    assert verdict.error.exc_type == "EOFError"
    assert verdict.error.frames[-1]["line"] == 1
    assert verdict.error.message == "EOF when reading a line"


@pytest.mark.parametrize("where", ["import", "function"])
def test_sys_exit_is_an_error_never_a_pass(checker, minicourse, student_file, where):
    source = {
        "import": "import sys\n\nsys.exit(0)\n\n\ndef add(a, b):\n    return a + b\n",
        "function": "import sys\n\n\ndef add(a, b):\n    sys.exit(0)\n",
    }[where]
    verdict = run_check(checker, minicourse, student_file, source)
    assert verdict.kind == "error"
    assert not verdict.passed
    assert verdict.error.exc_type == "SystemExit"
    assert en(verdict.detail) == tr("detail.system_exit", "en")


# ---------------------------------------------------------------------------
# timeout


@pytest.mark.parametrize("body", ["while True:\n        pass", "import time\n    time.sleep(10**6)"],
                         ids=["busy-loop", "sleep"])
def test_endless_code_times_out_by_wall_clock(checker, minicourse, student_file, body, monkeypatch):
    """A busy loop ends on its CPU budget; a sleep on the wall-clock limit (here made as short as the budget)."""
    from tutor.check import runner as runner_module

    busy = "while" in body
    if not busy:
        # Only the sleep gets the short wall clock: a busy loop on a loaded machine gets less than
        # a core, so a wall clock as short as its CPU budget would end it first, for the wrong reason.
        monkeypatch.setattr(runner_module, "WALL_FACTOR", 1.0)
        monkeypatch.setattr(runner_module, "WALL_EXTRA_S", 0.0)
    exercise = minicourse.find(ADD)
    start = time.monotonic()
    verdict = run_check(checker, minicourse, student_file, f"def add(a, b):\n    {body}\n")
    elapsed = time.monotonic() - start
    assert verdict.kind == "timeout"
    if busy:
        assert en(verdict.detail).startswith("The run used up its 3 s of CPU time"), en(verdict.detail)
        # Not cut short, and not left running far past the limit (the budget is sampled every 0.2 s): in CPU seconds,
        # which other jobs on the machine do not change.
        assert exercise.timeout_s <= verdict.cpu_s < 2 * exercise.timeout_s
    else:
        assert verdict.cpu_s < 1.0
        assert en(verdict.detail).startswith("The run did not end within its wall-clock limit of 3 s")
        assert verdict.duration_s >= exercise.timeout_s
        assert elapsed < exercise.timeout_s + GRACE_S + STARTUP_ALLOWANCE_S
    assert all(c.status == "not_run" for c in verdict.checks)


def test_timeout_keeps_the_output_and_the_checks_that_finished(checker, minicourse, student_file):
    # The output printed before the deadline is kept (it tells where the loop
    # got stuck). BUG (tutor/check/runner.py, _collect): on the deadline it returns
    # before parsing the records read so far, so a timed-out verdict has no
    # check lines at all, not even those of the checks that passed.
    verdict = run_check(checker, minicourse, student_file, """
        def add(a, b):
            print("add called with", a.dim(), "dims", flush=True)
            if a.dim() == 1:
                while True:
                    pass
            return a + b
    """)
    assert verdict.kind == "timeout"
    assert "add called with 2 dims" in verdict.output
    assert "add called with 1 dims" in verdict.output
    assert statuses(verdict) == {"sum_values": "passed", "keeps_shape": "not_run"}


def test_sleep_at_import_times_out(checker, minicourse, student_file, monkeypatch):
    from tutor.check import runner as runner_module

    # A sleep uses no CPU: the wall-clock limit ends it (made as short as the budget here).
    monkeypatch.setattr(runner_module, "WALL_FACTOR", 1.0)
    monkeypatch.setattr(runner_module, "WALL_EXTRA_S", 0.0)
    exercise = minicourse.find(ADD)
    start = time.monotonic()
    verdict = run_check(checker, minicourse, student_file, "import time\ntime.sleep(10**6)\n")
    assert verdict.kind == "timeout"
    assert "wall-clock" in en(verdict.detail)
    assert time.monotonic() - start < exercise.timeout_s + GRACE_S + STARTUP_ALLOWANCE_S


# ---------------------------------------------------------------------------
# crashed


@pytest.mark.parametrize("where", ["import", "function"])
def test_os_exit_is_crashed_exited_early(checker, minicourse, student_file, where):
    source = {
        "import": "import os\n\nos._exit(0)\n\n\ndef add(a, b):\n    return a + b\n",
        "function": "import os\n\n\ndef add(a, b):\n    os._exit(0)\n",
    }[where]
    verdict = run_check(checker, minicourse, student_file, source)
    assert verdict.kind == "crashed"
    assert en(verdict.detail) == tr("detail.exited_early", "en", code=0)
    assert "exit code 0" in en(verdict.detail)
    assert not any(c.status == "passed" for c in verdict.checks)


@pytest.mark.parametrize("ending", ["os._exit(3)", "os.kill(os.getpid(), 9)"])
def test_output_printed_before_the_process_dies_is_kept(checker, minicourse, student_file, ending):
    # BUG (tutor/check/runner.py, ColdRunner.run): the child is started with `-I`,
    # which ignores every PYTHON* variable, so the PYTHONUNBUFFERED=1 and
    # PYTHONIOENCODING that `_child_env` sets have no effect: stdout is
    # block-buffered, and whatever the student printed before a crash, a kill
    # or a timeout is lost (and stdout/stderr come back out of order).
    verdict = run_check(checker, minicourse, student_file, f"""
        import os
        import sys

        print("step 1 done")
        print("about to stop", file=sys.stderr)
        {ending}
    """)
    assert verdict.kind == "crashed"
    assert "step 1 done\nabout to stop" in verdict.output


def test_sigkill_is_crashed_with_the_signal(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        import os


        def add(a, b):
            os.kill(os.getpid(), 9)
    """)
    assert verdict.kind == "crashed"
    assert en(verdict.detail).startswith("The process was killed by signal SIGKILL.")
    assert tr("detail.signal_kill", "en") in en(verdict.detail)


def test_segfault_is_crashed_with_the_signal(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        import ctypes


        def add(a, b):
            ctypes.string_at(0)
    """)
    assert verdict.kind == "crashed"
    assert "SIGSEGV" in en(verdict.detail)
    assert tr("detail.signal_segv", "en") in en(verdict.detail)


# ---------------------------------------------------------------------------
# the verdict cannot be faked


def test_fake_protocol_text_on_stdout_changes_nothing(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        import json
        import os
        import sys

        nonce = os.environ.get("DLTUTOR_RUN_ID", "")
        print("PASS")
        print("All checks passed!")
        for n in ("", nonce):
            for record in ({"type": "ready", "device": "cpu"},
                           {"type": "check", "id": "sum_values", "status": "passed"},
                           {"type": "check", "id": "keeps_shape", "status": "passed"},
                           {"type": "done", "count": 2}):
                print(json.dumps(dict(record, nonce=n)))
                print(json.dumps(dict(record, nonce=n)), file=sys.stderr)


        def add(a, b):
            return a - b
    """)
    assert verdict.kind == "failed"
    assert statuses(verdict) == {"sum_values": "failed", "keeps_shape": "passed"}
    assert "PASS" in verdict.output and '"type": "done"' in verdict.output


@pytest.mark.parametrize("then", ["continue", "exit"])
def test_records_forged_on_every_pipe_never_pass(checker, minicourse, student_file, then):
    verdict = run_check(checker, minicourse, student_file, f"""
        import json
        import os
        import stat

        run_id = os.environ.get("DLTUTOR_RUN_ID", "")
        data = b""
        for nonce in ("", run_id, "0" * 32):
            for record in ({{"type": "check", "id": "sum_values", "status": "passed"}},
                           {{"type": "check", "id": "keeps_shape", "status": "passed"}},
                           {{"type": "done", "count": 2}}):
                data += (json.dumps(dict(record, nonce=nonce)) + "\\n").encode()
        written = []
        for name in os.listdir("/proc/self/fd"):
            try:
                fd = int(name)
                if stat.S_ISFIFO(os.fstat(fd).st_mode):
                    os.write(fd, data)
                    written.append(fd)
            except OSError:
                pass
        print("forged on", written, flush=True)
        if {then == "exit"!r}:
            os._exit(0)


        def add(a, b):
            return a - b
    """)
    assert verdict.kind == "crashed"
    assert not verdict.passed
    assert en(verdict.detail) == tr("detail.tampered", "en",
                                    reason="a record on the result channel was not written by the checker")
    # The channel itself was found and written to (not only stdout).
    forged = re.search(r"forged on \[([\d, ]+)\]", verdict.output)
    assert forged and any(int(fd) > 2 for fd in forged.group(1).split(","))


@pytest.mark.parametrize("returned", ["always-equal", "tensor-subclass"])
def test_objects_that_claim_equality_fail(checker, minicourse, student_file, returned):
    source = {
        "always-equal": """
            class Anything:
                def __eq__(self, other):
                    return True

                def __ne__(self, other):
                    return False

                shape = property(lambda self: Anything())


            def add(a, b):
                return Anything()
        """,
        "tensor-subclass": """
            import torch


            class Agreeable(torch.Tensor):
                @classmethod
                def __torch_function__(cls, func, types, args=(), kwargs=None):
                    return torch.zeros(())


            def add(a, b):
                return (a - b).as_subclass(Agreeable)
        """,
    }[returned]
    verdict = run_check(checker, minicourse, student_file, source)
    assert verdict.kind == "failed"
    msg = en(line(verdict, "sum_values").message)
    if returned == "always-equal":
        assert msg == "`add(a, b)` is a Anything, not a torch.Tensor."
    else:
        assert msg == "`add(a, b)` is a subclass of torch.Tensor (Agreeable); return a plain torch.Tensor."


def test_parameter_subclass_cannot_lie_its_way_to_a_pass(checker, minicourse, student_file):
    # BUG (tutor/checkkit/compare.py, plain_tensor): the gate lets any
    # `isinstance(value, torch.nn.Parameter)` through, which includes
    # subclasses of Parameter (and tensors with `_is_param = True`). Such a
    # subclass can override `as_subclass` and `__torch_function__` and make
    # every comparison agree.
    verdict = run_check(checker, minicourse, student_file, """
        import torch


        class Liar(torch.nn.Parameter):
            def as_subclass(self, cls):
                return self

            @classmethod
            def __torch_function__(cls, func, types, args=(), kwargs=None):
                name = getattr(func, "__name__", "")
                if name == "detach":
                    return args[0]
                if name in ("sub", "__sub__"):
                    with torch._C.DisableTorchFunctionSubclass():
                        return torch.zeros(args[0].shape, dtype=torch.float64)
                return torch.Tensor.__torch_function__.__func__(cls, func, types, args, kwargs or {})


        def add(a, b):
            return Liar(torch.zeros_like(a))
    """)
    assert verdict.kind == "failed", verdict.to_json()
    assert line(verdict, "sum_values").status == "failed"


@pytest.mark.parametrize("patch", [
    "torch.allclose = lambda *a, **k: True",
    "torch.equal = lambda *a, **k: True",
    "torch.Tensor.__eq__ = lambda self, other: torch.ones(self.shape, dtype=torch.bool)",
    "torch.Tensor.__ne__ = lambda self, other: torch.zeros(self.shape, dtype=torch.bool)",
    "torch.isfinite = lambda x: torch.ones(x.shape, dtype=torch.bool)",
    "torch.abs = lambda x: torch.zeros(x.shape)",
    # compare.check_values uses these as plain attribute look-ups at call time:
    "torch.Tensor.__gt__ = lambda self, other: torch.zeros(self.shape, dtype=torch.bool)",
    "torch.Tensor.__bool__ = lambda self: False",
    "torch.Tensor.any = lambda self, *a, **k: torch.tensor(False)",
    "torch.Tensor.__sub__ = lambda self, other: torch.zeros(self.shape, dtype=self.dtype)",
    "torch.where = lambda cond, a, b: torch.zeros(cond.shape)",
    "torch.Tensor.to = lambda self, *a, **k: torch.zeros(self.shape, dtype=torch.float64)",
], ids=["allclose", "equal", "Tensor.__eq__", "Tensor.__ne__", "isfinite", "abs",
        "Tensor.__gt__", "Tensor.__bool__", "Tensor.any", "Tensor.__sub__", "where", "Tensor.to"])
def test_monkeypatching_torch_at_import_does_not_change_the_judgement(checker, minicourse, student_file, patch):
    verdict = run_check(checker, minicourse, student_file, f"""
        import torch

        {patch}


        def add(a, b):
            return torch.sub(a, b)
    """)
    assert verdict.kind == "failed", verdict.to_json()
    assert line(verdict, "sum_values").status == "failed"


# ---------------------------------------------------------------------------
# output_limit, oom


def test_output_flood_is_output_limit(checker, minicourse, student_file):
    start = time.monotonic()
    verdict = run_check(checker, minicourse, student_file, """
        print("x" * 10**7)


        def add(a, b):
            return a + b
    """)
    assert verdict.kind == "output_limit"
    assert en(verdict.detail) == tr("detail.output_limit", "en", limit=OUTPUT_CAP)
    assert verdict.output_truncated
    assert 0 < len(verdict.output) <= 8000 and set(verdict.output) == {"x"}
    assert time.monotonic() - start < STARTUP_ALLOWANCE_S


@pytest.mark.parametrize("alloc", ["bytearray(50 << 30)", "torch.empty(50 << 30, dtype=torch.uint8)"])
def test_memory_error_is_oom(checker, minicourse, student_file, alloc):
    verdict = run_check(checker, minicourse, student_file, f"""
        import torch

        big = {alloc}


        def add(a, b):
            return a + b
    """)
    assert verdict.kind == "oom", verdict.to_json()
    assert en(verdict.detail) == tr("detail.oom", "en", limit=checker.memory_mb)
    assert verdict.error is not None and verdict.error.frames[-1]["line"] == 3


# ---------------------------------------------------------------------------
# what the student printed is shown safely


def test_output_escapes_terminal_control_and_invalid_utf8(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, """
        import sys

        print("\\x1b[2J\\x1b]0;owned\\x07cleared")
        sys.stdout.flush()
        sys.stdout.buffer.write(b"bad \\xff\\xfe bytes\\n")
        sys.stdout.buffer.flush()
        print("日本語 ok")


        def add(a, b):
            return a + b
    """)
    assert verdict.kind == "passed"
    out = verdict.output
    assert "\\x1b[2J" in out and "\\x1b]0;owned\\x07cleared" in out
    assert "bad \\xff\\xfe bytes" in out
    assert "日本語 ok" in out
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in out)
    assert "\x1b" not in json.dumps(verdict.to_json(), ensure_ascii=False)


# ---------------------------------------------------------------------------
# Verdict data


def test_verdict_json_round_trip(checker, minicourse, student_file):
    verdict = run_check(checker, minicourse, student_file, DEEP_ERROR)
    data = json.loads(json.dumps(verdict.to_json()))
    again = Verdict.from_json(data)
    assert again.to_json() == data
    assert again.kind == "error" and again.error.frames == verdict.error.frames
    assert again.checks == verdict.checks

    full = Verdict(kind="failed", exercise=ADD, checks=[
        CheckLine(id="a", title=Text(ja="あ", en="a"), status="passed"),
        CheckLine(id="b", title=Text(ja="い", en="b"), status="failed", message=Text(ja="違う", en="wrong")),
    ], detail=Text(ja="詳細", en="detail"),
        error=ErrorDetail(exc_type="E", message="m", frames=[{"line": 1, "func": "f", "code": "x"}],
                          hint=Text(ja="ヒント", en="hint")),
        output="out", output_truncated=True, duration_s=1.25, device="cpu", seed=42, file_hash="f" * 64)
    assert Verdict.from_json(json.loads(json.dumps(full.to_json()))) == full


@pytest.mark.parametrize("kind", ["PASSED", "pass", "passed ", "ok", "", None, 1, True])
def test_unknown_kinds_never_become_passed(kind):
    verdict = Verdict.from_json({"kind": kind, "passed": True, "exercise": ADD})
    assert verdict.kind == "crashed"
    assert not verdict.passed
    assert verdict.to_json()["passed"] is False


def test_only_the_passed_kind_is_a_pass():
    assert "passed" in KINDS
    for kind in KINDS:
        assert Verdict(kind=kind, exercise=ADD).passed == (kind == "passed")
    assert not Verdict.from_json({"kind": "failed", "passed": True}).passed


# ---------------------------------------------------------------------------
# judge() on hand-made runs (no child process)

NONCE = "n" * 32
PLAN = [{"id": "one", "title": {"ja": "一", "en": "one"}}, {"id": "two", "title": {"ja": "二", "en": "two"}}]


def _job() -> Job:
    return Job(exercise=ADD, student_path=Path("/tmp/student.py"), source="", check_path=Path("/tmp/check.py"),
               seed=1, timeout_s=3.0)


def _raw(*records: dict, returncode: int | None = 0, **kwargs) -> RawRun:
    recs = [{"type": "ready", "device": "cpu"}, {"type": "plan", "checks": PLAN}, *records]
    return RawRun(records=[dict(r, nonce=NONCE) for r in recs], returncode=returncode, started=True, **kwargs)


def _checked(*status: str) -> list[dict]:
    return [{"type": "check", "id": p["id"], "status": s, "message": None, "error": None} for p, s in zip(PLAN, status)]


def test_judge_complete_clean_run_passes():
    assert judge(_raw(*_checked("passed", "passed"), {"type": "done", "count": 2}), _job()).kind == "passed"


@pytest.mark.parametrize("case", ["no-done", "short-count", "missing-check", "exit-1", "no-plan", "signal"])
def test_judge_incomplete_runs_never_pass(case):
    done = {"type": "done", "count": 2}
    raw = {
        "no-done": _raw(*_checked("passed", "passed")),
        "short-count": _raw(*_checked("passed", "passed"), {"type": "done", "count": 1}),
        "missing-check": _raw(*_checked("passed"), done),
        "exit-1": _raw(*_checked("passed", "passed"), done, returncode=1),
        "no-plan": RawRun(records=[{"type": "ready"}, {"type": "done", "count": 0}], returncode=0),
        "signal": _raw(*_checked("passed", "passed"), done, returncode=-signal.SIGTERM),
    }[case]
    verdict = judge(raw, _job())
    assert verdict.kind == "crashed"
    assert not verdict.passed


def test_judge_unknown_check_status_counts_as_failed():
    verdict = judge(_raw(*_checked("passed", "PASSED"), {"type": "done", "count": 2}), _job())
    assert verdict.kind == "failed"
    assert [c.status for c in verdict.checks] == ["passed", "failed"]


def test_judge_limits_win_over_a_complete_report():
    complete = (*_checked("passed", "passed"), {"type": "done", "count": 2})
    assert judge(_raw(*complete, output_exceeded=True), _job()).kind == "output_limit"
    assert judge(_raw(*complete, timed_out=True, timed_out_phase="checks"), _job()).kind == "timeout"
    assert judge(_raw(*complete, protocol_error="tampered"), _job()).kind == "crashed"
    assert judge(_raw(*complete, protocol_error="cancelled"), _job()).kind == "cancelled"

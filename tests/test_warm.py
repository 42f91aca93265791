"""The warm path: same verdicts as the cold path, no CUDA in the worker, no state
carried between checks, and a lost worker never costs a wrong verdict."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import re
import time
from pathlib import Path

import pytest

from tutor.check.checker import Checker
from tutor.course.manifest import load_course
from tutor.check.runner import ColdRunner
from tutor.check.warm import WarmRunner

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
EX = COURSE.find("1.1")
SOLUTION = EX.solution_path.read_text()


@pytest.fixture(scope="module")
def warm():
    runner = WarmRunner()
    yield runner
    runner.close()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


CASES = {
    "solution": SOLUTION,
    "wrong_dtype": SOLUTION.replace("dtype=torch.float32", ""),
    "error": SOLUTION.replace("return torch.arange", "return undefined_name + torch.arange"),
    "sys_exit": "import sys\nsys.exit(0)\n",
    "os_exit": "import os\nos._exit(0)\n",
    "timeout": SOLUTION + "\nwhile True:\n    pass\n",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_warm_and_cold_agree(warm, tmp_path, case):
    path = write(tmp_path, f"{case}.py", CASES[case])
    ex = EX
    if case == "timeout":  # keep the test short: same exercise with a 2 s limit
        from dataclasses import replace
        ex = replace(EX, timeout_s=2.0)
    cold = Checker(runner=ColdRunner()).check(ex, path, seed=1234)
    hot = Checker(runner=warm).check(ex, path, seed=1234)
    assert hot.kind == cold.kind
    assert [(c.id, c.status, c.message) for c in hot.checks] == [(c.id, c.status, c.message) for c in cold.checks]
    # The measured seconds in a timeout's text differ run to run; the words around them must not.
    assert (_unmeasured(hot.detail), hot.error) == (_unmeasured(cold.detail), cold.error)


def _unmeasured(text):
    """The text with its measured figures (``2.1``) replaced, so that two runs can be compared."""
    if text is None:
        return None
    return tuple(re.sub(r"\d+\.\d+", "#", part) for part in (text.ja, text.en))


def test_warm_is_warm_and_worker_never_initialises_cuda(warm, tmp_path):
    path = write(tmp_path, "s.py", SOLUTION)
    checker = Checker(runner=warm)
    for device in ("cpu", "auto"):
        checker.check(EX, path, device=device)
    start = time.monotonic()
    verdict = checker.check(EX, path)
    assert verdict.passed
    status = warm.status()
    assert status["cuda_initialized"] is False
    # Nothing in the warm-up started the CUDA driver: a forked check may use the GPU.
    assert status["cuda_fork_poisoned"] is False
    assert status["rss_kb"] > 0 and status["pid"] != os.getpid()
    # Not a timing assertion: just that the run went through the worker.
    assert time.monotonic() - start < 30


POISON = {
    "monkeypatch_torch": "import torch\ntorch.tensor = lambda *a, **k: 42\ntorch.Tensor.float = lambda self: self\n",
    "default_dtype": "import torch\ntorch.set_default_dtype(torch.float64)\n",
    "global_seed": "import torch, random\ntorch.manual_seed(0)\nrandom.seed(0)\n",
    "threads_left_running": "import threading, time\nthreading.Thread(target=time.sleep, args=(3600,)).start()\n",
    "environment": "import os\nos.environ['DLTUTOR_POISON'] = '1'\nos.chdir('/')\n",
}


@pytest.mark.parametrize("poison", sorted(POISON))
def test_poisoned_state_does_not_reach_the_next_check(warm, tmp_path, poison):
    checker = Checker(runner=warm)
    bad = write(tmp_path, "bad.py", POISON[poison] + SOLUTION)
    checker.check(EX, bad)
    probe = write(tmp_path, "probe.py", SOLUTION + textwrap.dedent("""
        import os, random, threading
        assert torch.get_default_dtype() == torch.float32
        assert torch.tensor is not None and torch.tensor([1]).dtype == torch.int64
        assert 'DLTUTOR_POISON' not in os.environ
        assert threading.active_count() == 1
        """))
    verdict = checker.check(EX, probe)
    assert verdict.passed, (verdict.kind, verdict.error)
    # The seed of a check is the run's own: two runs with different seeds differ.
    seen = set()
    for seed in (11, 12):
        v = checker.check(EX, write(tmp_path, f"seed{seed}.py", SOLUTION + "\nimport torch\nprint(torch.initial_seed())\n"), seed=seed)
        seen.add(v.output.strip())
    assert seen == {"11", "12"}


def test_killed_worker_falls_back_to_cold_and_restarts(tmp_path):
    runner = WarmRunner()
    try:
        path = write(tmp_path, "s.py", SOLUTION)
        checker = Checker(runner=runner)
        assert checker.check(EX, path).passed
        pid = runner.status()["pid"]
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        verdict = checker.check(EX, path)
        assert verdict.passed
        assert runner.restarts == 1
        assert runner.status()["pid"] != pid
    finally:
        runner.close()


def test_hung_worker_falls_back_to_cold(tmp_path):
    runner = WarmRunner()
    try:
        path = write(tmp_path, "s.py", SOLUTION)
        checker = Checker(runner=runner)
        assert checker.check(EX, path).passed
        pid = runner.status()["pid"]
        os.kill(pid, signal.SIGSTOP)
        try:
            wrong = write(tmp_path, "w.py", CASES["wrong_dtype"])
            verdict = checker.check(EX, wrong)
            assert verdict.kind == "failed"
            assert runner.restarts == 1
        finally:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    finally:
        runner.close()


def test_worker_dying_during_a_run_reruns_cold(tmp_path):
    runner = WarmRunner()
    try:
        checker = Checker(runner=runner)
        checker.check(EX, write(tmp_path, "s.py", SOLUTION))
        pid = runner.status()["pid"]
        slow = write(tmp_path, "slow.py", "import time\ntime.sleep(1.5)\n" + SOLUTION)
        killer = subprocess.Popen([sys.executable, "-c", f"import os, time; time.sleep(0.7); os.kill({pid}, 9)"])
        verdict = checker.check(EX, slow)
        killer.wait()
        assert verdict.passed, verdict.kind
        assert runner.restarts == 1
    finally:
        runner.close()


def test_worker_ends_with_its_tutor(tmp_path):
    script = ("import os, sys\nsys.path.insert(0, %r)\nfrom tutor.check.warm import WarmRunner\n"
              "r = WarmRunner()\nprint(r.status()['pid'], flush=True)\nos._exit(0)\n") % str(ROOT)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    pid = int(out.stdout.split()[0])
    for _ in range(100):
        # Gone or a zombie: a zombie holds nothing, and this test process may be the
        # subreaper that inherits it (a cold runner in this process made it one).
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            break
        if state in ("Z", "X"):
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the warm worker outlived its tutor")


def test_each_tutor_has_its_own_worker():
    a, b = WarmRunner(), WarmRunner()
    try:
        assert a.status()["pid"] != b.status()["pid"]
    finally:
        a.close()
        b.close()


@pytest.mark.slow  # runs a benchmark script; the behaviour it measures has its own tests
def test_benchmark_runs_in_tiny_mode(tmp_path):
    out = tmp_path / "latency.json"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks/latency.py"), "--tiny", "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    import json

    data = json.loads(out.read_text())
    assert {r["file"] for r in data["rows"]} == {"solution", "stub"}
    assert all(r["verdicts_cold"] == r["verdicts_warm"] for r in data["rows"])
    assert data["warm_worker_cuda_initialized"] is False
    assert "speedup" in proc.stdout


def test_forked_child_runs_parallel_torch_work(warm, tmp_path):
    """OpenMP threads never start in the worker, so a child's parallel regions do not hang."""
    path = write(tmp_path, "omp.py", SOLUTION + textwrap.dedent("""
        from torch import nn
        big = torch.randn(400000).exp().sum()
        loss = nn.BCEWithLogitsLoss()(torch.randn(200000), torch.rand(200000))
        a = torch.randn(600, 600)
        (a @ a).sum()
        print(torch.get_num_threads())
        """))
    hot = Checker(runner=warm).check(EX, path)
    cold = Checker(runner=ColdRunner()).check(EX, path)
    assert hot.kind == cold.kind == "passed", (hot.kind, hot.detail)
    assert hot.output.strip() == cold.output.strip()  # the same thread count as a cold Python


FORK_CHECK = '''
import torch
from tutor.checkkit import check

@check(ja="CUDA を使える子プロセス", en="a child that may use CUDA")
def fork_ok(t):
    t.expect(not torch._C._cuda_isInBadFork(), ja="fork 済み", en="CUDA is barred in this forked child")
    t.call("train")  # the student's own Adam step must not bar anything either
'''


def test_a_forked_check_may_use_cuda(warm, tmp_path):
    """Regression: Adam's first step in the warm-up asked CUDA, and forked checks could not use the GPU."""
    check = write(tmp_path, "check.py", FORK_CHECK)
    student = write(tmp_path, "s.py", "import torch\n\ndef train():\n    p = torch.nn.Parameter(torch.ones(2))\n"
                    "    opt = torch.optim.Adam([p])\n    p.sum().backward()\n    opt.step()\n")
    from tutor.check.checker import judge
    from tutor.check.runner import Job

    for device in ("cpu", "auto"):
        job = Job(exercise="x/y", student_path=student, source=student.read_text(), check_path=check, seed=1,
                  device=device, timeout_s=20)
        verdict = judge(warm.run(job), job)
        assert verdict.passed, (device, [c.message for c in verdict.checks], verdict.error)

"""The child side of a check: runs in a fresh process, never in the tutor's.

The parent (`tutor.check.runner`) starts this module with two pipe ends: one it
reads the job from (JSON: paths, the student's source, seed, device, limits,
and a per-run nonce), one it writes results to, one JSON object per line,
each stamped with the nonce. Student output goes to stdout/stderr, which the
parent captures separately, so nothing a student prints can look like a
result. The parent decides the verdict; this side only reports what happened.

Order matters: torch and the check kit are imported and the limits set before
any student code runs, so the checks hold their own references to what they
use. What this does not guarantee: the student's code shares this process with
the checks, and code written to attack them (patching objects they touch,
reaching into frames or the garbage collector) can still fool them. The result
channel keeps prints from looking like results; it cannot keep a hostile module
from lying. So a pass here is evidence for the student, not proof for a grade:
`dltutor grade` re-runs the source with the instructor's course and its scan
points the instructor at code that reaches into the checker.
"""

from __future__ import annotations

import errno
import faulthandler
import importlib.util
import json
import linecache
import os
import random
import resource
import signal
import sys
import traceback
import types

MAX_TEXT = 2000


class Channel:
    """The result channel: JSON lines on a private file descriptor."""

    def __init__(self, fd: int, nonce: str):
        # Move the channel off the fd number the parent chose and make it
        # non-inheritable, so student subprocesses do not get it by accident.
        self._fd = os.dup(fd)
        os.set_inheritable(self._fd, False)
        os.close(fd)
        self._nonce = nonce

    def send(self, record: dict) -> None:
        """Write one record; a failure to write (e.g. no memory) is not fatal here."""
        record = dict(record, nonce=self._nonce)
        data = (json.dumps(record, ensure_ascii=True) + "\n").encode("ascii")
        try:
            while data:
                written = os.write(self._fd, data)
                data = data[written:]
        except OSError:
            pass


def _safe_str(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:  # a hostile __str__ must not break the report
        text = "<unprintable>"
    return text[:MAX_TEXT]


def _is_oom(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    name = type(exc).__name__
    text = _safe_str(exc)
    return (name == "OutOfMemoryError" or "can't allocate memory" in text or "out of memory" in text.lower()
            or "std::bad_alloc" in text)


def _is_resource(exc: BaseException) -> bool:
    """Out of processes or threads: fork/clone said EAGAIN (the task cap), or no thread could start."""
    if isinstance(exc, OSError) and exc.errno == errno.EAGAIN:
        return True
    return isinstance(exc, RuntimeError) and "can't start new thread" in _safe_str(exc)


def _is_file_size(exc: BaseException) -> bool:
    """A write past RLIMIT_FSIZE: Python ignores SIGXFSZ, so the write fails with EFBIG."""
    return isinstance(exc, OSError) and exc.errno == errno.EFBIG


def error_info(exc: BaseException, student_path: str) -> dict:
    """Describe an exception with the traceback trimmed to the student's own file."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == student_path]
    return {
        "exc_type": type(exc).__name__,
        "message": _safe_str(exc),
        "frames": [{"line": f.lineno, "func": f.name, "code": (f.line or "")[:200]} for f in frames[-6:]],
        "in_student": bool(frames),
        "oom": _is_oom(exc),
        "resource": _is_resource(exc),
        "file_size": _is_file_size(exc),
        "exit_code": exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else None,
        "system_exit": isinstance(exc, SystemExit),
    }


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def apply_limits(job: dict, on_cuda: bool) -> dict:
    """Set resource limits for the student code; returns what was set.

    The address-space cap is applied after torch is imported and only on CPU
    runs: torch reserves gigabytes of address space at import, and CUDA far
    more, which an address-space limit would break (`import torch` itself
    fails). Where no address-space cap is set ("memory_mb" missing from the
    result), the tutor watches the child's resident memory instead
    (`tutor.check.runner`), and the GPU's own allocator reports CUDA exhaustion.
    """
    from tutor.check.sandbox import limit_tasks

    applied = {}
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    fsize = int(job.get("file_mb", 256)) << 20
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    applied["file_mb"] = fsize >> 20
    nproc = limit_tasks(int(job.get("max_tasks", 0)))
    if nproc:
        applied["nproc"] = nproc
    memory_mb = int(job.get("memory_mb", 0))
    if (memory_mb and not on_cuda and sys.platform.startswith("linux")
            and job.get("memory_guard", "auto") == "auto"):
        cap = _vm_size_bytes() + (memory_mb << 20)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        applied["memory_mb"] = memory_mb
    cpu = int(job.get("cpu_s", 0))
    if cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        applied["cpu_s"] = cpu
    return applied


def _resolve_device(torch, wanted: str):
    if wanted == "cpu":
        return torch.device("cpu")
    if not torch.cuda.is_available():
        return None if wanted.startswith("cuda") else torch.device("cpu")
    return torch.device("cuda" if wanted == "auto" else wanted)


def _load_module(name: str, path: str, source: str | None = None) -> types.ModuleType:
    if source is None:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    module = types.ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module
    # Tracebacks quote the source that was hashed and judged, not whatever is on disk now.
    linecache.cache[path] = (len(source), None, source.splitlines(True), path)
    exec(compile(source, path, "exec"), module.__dict__)
    return module


SAMPLE_SIGNAL = signal.SIGUSR1
"""The parent sends this just before it kills a run that is over its time: the child answers with a
"stack" record, where the main thread was in the student's file (`tutor.check.runner`)."""


def _stack_sampler(chan: Channel, student_path: str, source: str | None):
    """The handler for `SAMPLE_SIGNAL`: the student's frames of the interrupted stack, innermost last.

    A Python-level handler runs between bytecodes of the main thread, so it sees a busy loop or a
    `time.sleep` at once, and a long C call (a huge matmul) only once it returns; the parent waits a
    moment for the record and then kills the run either way."""
    lines = (source or "").splitlines()  # the text that was checked, not what is on disk now

    def handler(signum, frame):
        frames = []
        while frame is not None and len(frames) < 64:
            if frame.f_code.co_filename == student_path:
                n = frame.f_lineno or 0
                code = lines[n - 1].strip() if 0 < n <= len(lines) else linecache.getline(student_path, n).strip()
                frames.append({"line": frame.f_lineno, "func": frame.f_code.co_name, "code": code[:200]})
            frame = frame.f_back
        chan.send({"type": "stack", "frames": frames[::-1][-6:]})
    return handler


def run(job: dict, chan: Channel) -> None:
    """Run one job: imports, limits, the student's module, then each check in order."""
    try:
        signal.signal(SAMPLE_SIGNAL, _stack_sampler(chan, job["student_path"], job.get("source")))
    except (ValueError, OSError):  # not the main thread (never in a child): no sample, the kill still comes
        pass
    try:
        import torch
    except ImportError as exc:  # the environment, not the student
        chan.send({"type": "setup_error", "what": "torch", "message": _safe_str(exc), "python": sys.executable})
        return
    from tutor.checkkit import CheckFailure, Ctx, Todo, Unavailable, collect

    device = _resolve_device(torch, job["device"])
    if device is None:
        chan.send({"type": "no_gpu"})
        return
    seed = int(job["seed"])
    random.seed(seed)
    torch.manual_seed(seed)
    try:
        import numpy
        numpy.random.seed(seed % 2**32)
    except ImportError:
        pass

    if job.get("mode") == "run":
        _run_as_main(job, chan, device)
        return
    if job.get("threads"):  # see tutor.check.runner.check_threads
        torch.set_num_threads(int(job["threads"]))
    # An experiment's study runs (its settings, one training run) load no check file:
    # `tutor.checkkit.study` drives the student's `run` and reports (see `tutor.study`).
    study_mode = job.get("study_mode")
    specs = []
    if not study_mode:
        # A lesson's checks may share helpers in checks/<lesson>/_*.py.
        sys.path.insert(0, os.path.dirname(job["check_path"]))
        _load_module("dltutor_hidden_checks", job["check_path"])
        specs = collect()
    limits = apply_limits(job, on_cuda=device.type == "cuda")
    chan.send({"type": "ready", "device": str(device), "torch": torch.__version__, "limits": limits})
    if not study_mode:
        chan.send({"type": "plan", "checks": [{"id": s.id, "title": s.title.to_json()} for s in specs]})

    student_path = job["student_path"]
    sys.argv = [student_path]
    # What torch, numpy and the builtins look like before any student code runs: put back
    # after the import and after every check, so no check judges with a student's patch.
    from tutor.checkkit.guard import Snapshot

    clean = Snapshot()
    try:
        student = _load_module("student_solution", student_path, job["source"])
    except BaseException as exc:  # SystemExit and KeyboardInterrupt included: report, never pass
        chan.send({"type": "import_error", "error": error_info(exc, student_path)})
        return
    clean.restore()
    if study_mode:
        from tutor.checkkit.study import serve_study

        serve_study(study_mode, student, job, device, chan.send, lambda exc: error_info(exc, student_path))
        chan.send({"type": "done", "count": 0})
        return

    budget = FIGURE_BUDGET
    for spec in specs:
        record = {"type": "check", "id": spec.id, "status": "passed", "message": None, "error": None}
        if spec.needs_gpu and device.type != "cuda":
            record["status"] = "needs_gpu"
            chan.send(record)
            continue
        ctx = Ctx(student, seed, device, spec.id)
        ctx.study = job.get("study")  # an experiment's results, for its checks (None otherwise)
        try:
            spec.func(ctx)
        except Todo as failure:
            record.update(status="todo", message=failure.text.to_json())
        except Unavailable as failure:
            record.update(status="unavailable", message=failure.text.to_json())
        except CheckFailure as failure:
            record.update(status="failed", message=failure.text.to_json())
        except BaseException as exc:
            record.update(status="error", error=error_info(exc, student_path))
        clean.restore()
        chan.send(record)
        budget = _send_figures(chan, ctx.figures, budget)
    chan.send({"type": "done", "count": len(specs)})


def _run_as_main(job: dict, chan: Channel, device) -> None:
    """`dltutor run`: the student's file as `python file.py` would run it (its `__main__` block
    included), under the same limits as a check and with no check loaded; nothing is judged."""
    import torch

    limits = apply_limits(job, on_cuda=device.type == "cuda")
    chan.send({"type": "ready", "device": str(device), "torch": torch.__version__, "limits": limits})
    chan.send({"type": "plan", "checks": []})
    student_path = job["student_path"]
    sys.argv = [student_path]
    sys.path.insert(0, os.path.dirname(student_path))  # as `python file.py` puts the file's folder first
    try:
        _load_module("__main__", student_path, job["source"])
    except SystemExit as exc:
        if exc.code not in (None, 0):  # sys.exit() or sys.exit(0) is a normal end
            chan.send({"type": "import_error", "error": error_info(exc, student_path)})
            return
    except BaseException as exc:
        chan.send({"type": "import_error", "error": error_info(exc, student_path)})
        return
    chan.send({"type": "done", "count": 0})


FIGURE_BUDGET = 1 << 20
"""Bytes of figures one run may send; later figures are dropped (the channel has a cap)."""


def _send_figures(chan: Channel, figures: list, budget: int) -> int:
    for figure in figures:
        try:
            size = len(json.dumps(figure))
        except (TypeError, ValueError):
            continue
        if size <= budget:
            chan.send({"type": "figure", "figure": figure})
            budget -= size
    return budget


def main() -> None:
    """Entry point of a cold child: `python -c ... main()` with the job and result fds in argv."""
    serve(int(sys.argv[1]), int(sys.argv[2]))


def _die_with_parent() -> None:
    """Linux: be killed if the tutor (or warm worker) dies without cleaning up (kill -9)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def serve(job_fd: int, result_fd: int) -> None:
    """Read the job, run it, report, and leave the process (never returns)."""
    from tutor.check.sandbox import MARKER_VAR, name_process

    # Before anything else: a name that processes forked later inherit (see
    # tutor.check.sandbox), and death with the parent.
    name_process(os.environ.get(MARKER_VAR, ""))
    _die_with_parent()
    # `python -I` ignores PYTHONDONTWRITEBYTECODE; never litter the course or
    # workspace folders with __pycache__.
    sys.dont_write_bytecode = True
    for stream in (sys.stdout, sys.stderr):
        try:  # whatever the locale, student output reaches the tutor as UTF-8
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    with os.fdopen(job_fd, "rb") as fh:
        job = json.loads(fh.read().decode("utf-8"))
    chan = Channel(result_fd, job["nonce"])
    faulthandler.enable()
    try:
        run(job, chan)
    except BaseException as exc:  # a failure of the harness itself: report it as such
        chan.send({"type": "harness_error", "message": "".join(traceback.format_exception(exc))[-MAX_TEXT:]})
    # Leave at once: student atexit handlers and stray non-daemon threads must
    # not keep the process alive after the report is complete.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(0)


if __name__ == "__main__":
    main()

"""Checking an exercise: from the student's file to a `Verdict`.

The checker reads the file once (so the verdict belongs to exactly the bytes
that were hashed), settles what it can without running anything (missing
file, untouched stub, syntax error), and otherwise hands a `Job` to a runner
and judges the `RawRun` that comes back. The judgement is made here, in the
tutor's process: a run passes only if the child reported a complete result
(every planned check, a final "done", the run's nonce on every record) and
exited cleanly within its limits. That judgement is only as good as the child
that reported: see `tutor.check.harness` for what a student's own code in that
process can still do, and `tutor.grade` for the instructor's re-run.
"""

from __future__ import annotations

import hashlib
import random
import signal
from pathlib import Path

from tutor.check import sandbox
from tutor.course.manifest import Exercise
from tutor.check.diagnose import explain_syntax, hint_for
from tutor.figures.model import figures_from_json
from tutor.i18n import Text, tr
from tutor.check.budget import DISK_FACTOR
from tutor.check.runner import OUTPUT_CAP, STARTUP_S, CancelToken, ColdRunner, Job, RawRun, Runner
from tutor.check.verdict import CheckLine, ErrorDetail, Verdict, both, safe_output

DEFAULT_MEMORY_MB = 4096
DEFAULT_FILE_MB = 256


def file_hash(data: bytes) -> str:
    """The sha256 of a file's bytes, as stored with each attempt."""
    return hashlib.sha256(data).hexdigest()


def decode_source(data: bytes) -> str:
    """A student's file as text: a UTF-8 byte-order mark dropped (Windows editors in Japan
    write one; `python file.py` accepts it), CRLF kept (compile reads it), bad bytes replaced."""
    return data.decode("utf-8-sig", errors="replace")


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().splitlines())


def is_untouched(source: str, stub: str) -> bool:
    """True if the student's text is the stub (ignoring trailing spaces and line endings)."""
    return _normalise(source) == _normalise(stub)


class Checker:
    """Runs hidden checks for exercises through a `Runner` and decides verdicts."""

    def __init__(self, runner: Runner | None = None, memory_mb: int = DEFAULT_MEMORY_MB,
                 file_mb: int = DEFAULT_FILE_MB, memory_guard: str = "auto"):
        self.runner = runner or ColdRunner()
        self.memory_mb = memory_mb
        self.file_mb = file_mb
        self.memory_guard = memory_guard

    def check(self, exercise: Exercise, path: Path, *, device: str = "cpu", seed: int | None = None,
              force_run: bool = False, cancel: CancelToken | None = None,
              visible_devices: str | None = None, extra: dict | None = None,
              timeout_s: float | None = None) -> Verdict:
        """Check the file at `path` for `exercise`.

        `force_run` runs even an untouched stub (authors' `dev verify` uses it
        to prove that stubs do not pass by accident). `extra` goes to the child's
        job (an experiment's study, see `tutor.study`); `timeout_s` replaces the
        exercise's timeout (an experiment's checks re-train one setting).
        """
        seed = random.SystemRandom().randrange(1, 2**31) if seed is None else seed
        base = dict(exercise=exercise.key, device=device, seed=seed)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return Verdict(kind="not_started", detail=both("detail.missing_file", path=path, exercise=exercise.key), **base)
        except OSError as exc:
            return Verdict(kind="error", detail=both("detail.unreadable", path=path, reason=exc.strerror or exc), **base)
        base["file_hash"] = file_hash(data)
        source = decode_source(data)
        if not force_run and exercise.stub_path.is_file() and is_untouched(source, decode_source(exercise.stub_path.read_bytes())):
            return Verdict(kind="not_started", detail=both("detail.not_started", path=path), **base)
        syntax = syntax_error(source, str(path))
        if syntax is not None:
            line = syntax.frames[0]["line"] if syntax.frames else "?"
            return Verdict(kind="syntax_error", error=syntax,
                           detail=_syntax_detail(line, syntax.message), **base).escaped()
        job = Job(exercise=exercise.key, student_path=path, source=source, check_path=exercise.check_path,
                  seed=seed, device=device, timeout_s=timeout_s or exercise.timeout_s, memory_mb=self.memory_mb,
                  file_mb=self.file_mb, memory_guard=self.memory_guard, visible_devices=visible_devices,
                  extra=dict(extra or {}))
        raw = self.runner.run(job, cancel)
        verdict = judge(raw, job)
        verdict.file_hash = base["file_hash"]
        verdict.source = source
        return verdict


    def run_file(self, exercise: Exercise, path: Path, *, device: str = "cpu", cancel: CancelToken | None = None,
                 visible_devices: str | None = None) -> Verdict:
        """Run the file at `path` as `python file.py` would, in the same child and limits as a
        check, without any check: kind "ran" when it ends cleanly, else the error or limit it hit."""
        base = dict(exercise=exercise.key, device=device, seed=0)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return Verdict(kind="not_started", detail=both("detail.missing_file", path=path, exercise=exercise.key), **base)
        except OSError as exc:
            return Verdict(kind="error", detail=both("detail.unreadable", path=path, reason=exc.strerror or exc), **base)
        source = decode_source(data)
        syntax = syntax_error(source, str(path))
        if syntax is not None:
            line = syntax.frames[0]["line"] if syntax.frames else "?"
            return Verdict(kind="syntax_error", error=syntax, file_hash=file_hash(data),
                           detail=_syntax_detail(line, syntax.message), **base).escaped()
        job = Job(exercise=exercise.key, student_path=path, source=source, check_path=exercise.check_path,
                  seed=0, device=device, timeout_s=exercise.timeout_s, memory_mb=self.memory_mb,
                  file_mb=self.file_mb, memory_guard=self.memory_guard, visible_devices=visible_devices, mode="run")
        verdict = judge(self.runner.run(job, cancel), job)
        verdict.file_hash = file_hash(data)
        return verdict


def _syntax_detail(line, message: str) -> Text:
    """ "12 行目: <the error said in Japanese>" / "Line 12: <Python's message>"."""
    said = explain_syntax(message)
    return Text(ja=tr("detail.syntax", "ja", line=line, message=said.ja), en=tr("detail.syntax", "en", line=line, message=said.en))


def syntax_error(source: str, filename: str) -> ErrorDetail | None:
    """Compile (never run) the source; describe the first syntax error, if any."""
    try:
        compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        frame = {"line": exc.lineno or 0, "func": "", "code": (exc.text or "").rstrip("\n")[:200], "col": exc.offset or 0}
        return ErrorDetail(exc_type=type(exc).__name__, message=exc.msg, frames=[frame])
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
        return ErrorDetail(exc_type=type(exc).__name__, message=str(exc)[:200], frames=[])
    return None


def _error_detail(info: dict) -> ErrorDetail:
    return ErrorDetail(exc_type=str(info.get("exc_type", "")), message=str(info.get("message", ""))[:2000],
                       frames=[f for f in info.get("frames") or [] if isinstance(f, dict)][:6],
                       hint=hint_for(str(info.get("exc_type", "")), str(info.get("message", ""))))


def judge(raw: RawRun, job: Job) -> Verdict:
    """Decide the verdict of one run from what the child sent and how it ended (its texts escaped)."""
    return _judge(raw, job).escaped()


def _judge(raw: RawRun, job: Job) -> Verdict:
    output, truncated = safe_output(raw.output)
    v = Verdict(kind="crashed", exercise=job.exercise, device=job.device, seed=job.seed,
                output=output, output_truncated=truncated or raw.output_exceeded, duration_s=raw.duration_s,
                cpu_s=raw.cpu_s, wall_s=raw.wall_s)
    records = raw.records
    ready = next((r for r in records if r.get("type") == "ready"), None)
    if ready:
        v.device = str(ready.get("device", job.device))
        v.torch = str(ready.get("torch") or "")[:64]
    v.figures = figures_from_json([r.get("figure") for r in records if r.get("type") == "figure"])
    plan = next((r for r in records if r.get("type") == "plan"), None)
    planned = [c for c in (plan or {}).get("checks", []) if isinstance(c, dict)]
    results = {r.get("id"): r for r in records if r.get("type") == "check"}
    v.checks = [_line(c, results.get(c.get("id"))) for c in planned]

    if raw.protocol_error == "cancelled":
        v.kind = "cancelled"
        return v
    if raw.protocol_error and raw.protocol_error.startswith("could not start"):
        v.kind, v.detail = "setup_error", both("detail.setup_start", reason=raw.protocol_error)
        return v
    if raw.output_exceeded:
        v.kind, v.detail = "output_limit", both("detail.output_limit", limit=OUTPUT_CAP)
        return v
    if raw.memory_exceeded:
        v.kind = "oom"
        v.detail = both("detail.oom_watch", limit=job.memory_mb)
        return v
    if raw.disk_exceeded:
        v.kind, v.detail = "file_limit", both("detail.disk_total", limit=job.file_mb * DISK_FACTOR)
        return v
    if raw.timed_out:
        if raw.timed_out_phase == "startup":
            v.kind, v.detail = "setup_error", both("detail.timeout_startup", limit=STARTUP_S)
        elif raw.timed_out_limit == "cpu":
            v.kind, v.detail = "timeout", both("detail.timeout_cpu", limit=job.timeout_s, cpu=raw.cpu_s, wall=raw.wall_s)
        else:
            v.kind, v.detail = "timeout", both("detail.timeout_wall", limit=raw.wall_limit_s or job.timeout_s,
                                               cpu=raw.cpu_s, wall=raw.wall_s)
        where = _stopped_at(records)
        if where is not None and v.detail is not None:
            v.detail = Text(ja=v.detail.ja + where.ja, en=v.detail.en + " " + where.en)
        return v
    if raw.protocol_error:
        v.kind, v.detail = "crashed", both("detail.tampered", reason=raw.protocol_error)
        return v
    kinds = {r.get("type") for r in records}
    if "setup_error" in kinds:
        rec = next(r for r in records if r.get("type") == "setup_error")
        v.kind, v.detail = "setup_error", both("detail.setup_torch", python=rec.get("python", "python"))
        return v
    if "no_gpu" in kinds:
        v.kind, v.detail = "no_gpu", both("detail.no_gpu")
        return v
    if "harness_error" in kinds:
        v.kind, v.detail = "crashed", both("detail.harness")
        return v
    imp = next((r for r in records if r.get("type") == "import_error"), None)
    if imp:
        return _from_error(v, imp.get("error") or {}, job)
    errors = [results[c.get("id")] for c in planned if results.get(c.get("id"), {}).get("status") == "error"]
    for rec in errors:
        if (rec.get("error") or {}).get("in_student") or (rec.get("error") or {}).get("oom"):
            return _from_error(v, rec["error"], job)
    done = [r for r in records if r.get("type") == "done"]
    if raw.returncode is None or raw.returncode < 0:
        return _from_signal(v, raw.returncode, job)
    if not done or raw.returncode != 0 or done[-1].get("count") != len(planned) or len(results) != len(planned):
        v.kind, v.detail = "crashed", both("detail.exited_early", code=raw.returncode)
        return v
    if not planned and job.mode == "run":
        v.kind = "ran"  # the file ran to its end within its limits: nothing was judged
        return v
    if not planned:
        v.kind, v.detail = "crashed", both("detail.no_checks")
        return v
    statuses = [line.status for line in v.checks]
    if all(s == "todo" for s in statuses):
        v.kind, v.detail = "not_started", both("detail.all_todo")
    elif "unavailable" in statuses and all(s in ("passed", "unavailable") for s in statuses):
        # Only when nothing else is wrong: a failure the student can fix comes first.
        v.kind = "unavailable"
        v.detail = next(line.message for line in v.checks if line.status == "unavailable")
    elif "needs_gpu" in statuses and all(s in ("passed", "needs_gpu") for s in statuses):
        v.kind, v.detail = "no_gpu", both("detail.needs_gpu")
    elif all(s == "passed" for s in statuses):
        v.kind = "passed"
    else:
        v.kind = "failed"
    return v


def _stopped_at(records: list[dict]) -> Text | None:
    """Where the student's code was when a run over its time was stopped (the child's "stack" record):
    the innermost line of their file, and the calls that led there."""
    stack = next((r for r in records if r.get("type") == "stack"), None)
    frames = [f for f in (stack or {}).get("frames") or [] if isinstance(f, dict)]
    if not frames:
        return None
    inner = frames[-1]
    params = dict(line=inner.get("line"), func=inner.get("func") or "-", code=str(inner.get("code") or "")[:120])
    text = both("detail.stopped_at", **params)
    callers = frames[:-1][::-1]
    if callers:
        said = {lang: tr("detail.stopped_and", lang).join(tr("detail.stopped_caller", lang, line=f.get("line"),
                                                              func=f.get("func") or "-") for f in callers)
                for lang in ("ja", "en")}
        via = Text(ja=tr("detail.stopped_via", "ja", callers=said["ja"]), en=tr("detail.stopped_via", "en", callers=said["en"]))
        text = Text(ja=text.ja + via.ja, en=text.en + " " + via.en)
    return text


def _line(planned: dict, result: dict | None) -> CheckLine:
    line = CheckLine(id=str(planned.get("id", "")), title=Text.from_json(planned.get("title")), status="not_run")
    if result is None:
        return line
    status = result.get("status")
    line.status = status if status in ("passed", "failed", "todo", "error", "needs_gpu", "unavailable") else "failed"
    if result.get("message"):
        line.message = Text.from_json(result["message"])
    elif line.status == "error":
        info = result.get("error") or {}
        if info.get("in_student"):
            line.message = Text.from_json({"ja": f"{info.get('exc_type')}: {info.get('message')}",
                                           "en": f"{info.get('exc_type')}: {info.get('message')}"})
        else:
            # The check choked on what the student returned: a failure of the answer.
            line.status = "failed"
            line.message = both("detail.check_error", exc_type=info.get("exc_type"), message=str(info.get("message"))[:200])
    return line


def _from_error(v: Verdict, info: dict, job: Job) -> Verdict:
    v.error = _error_detail(info)
    # One traceback, not two: a check line that only repeats the error shown below points at it instead.
    header = f"{v.error.exc_type}: {v.error.message}"
    for line in v.checks:
        if line.status == "error" and line.message is not None and line.message.en == header:
            line.message = both("detail.error_below", exc_type=v.error.exc_type)
    if info.get("resource"):
        v.kind, v.detail = "resource", both("detail.resource", limit=sandbox.MAX_TASKS)
    elif info.get("file_size"):
        v.kind, v.detail = "file_limit", both("detail.file_limit", limit=job.file_mb)
    elif info.get("oom"):
        cuda = "cuda" in v.device or "CUDA" in str(info.get("message", ""))
        v.kind = "oom"
        v.detail = both("detail.oom_cuda") if cuda else both("detail.oom", limit=job.memory_mb)
    elif info.get("system_exit"):
        v.kind, v.detail = "error", both("detail.system_exit")
    else:
        v.kind = "error"
    return v


def _from_signal(v: Verdict, returncode: int | None, job: Job) -> Verdict:
    sig = -returncode if returncode else 0
    # Limits the kernel enforces by signal: a file-size limit hit outside Python
    # (Python itself ignores SIGXFSZ and gets EFBIG), and the CPU-time limit.
    if sig == getattr(signal, "SIGXFSZ", None):
        v.kind, v.detail = "file_limit", both("detail.file_limit", limit=job.file_mb)
        return v
    if sig == getattr(signal, "SIGXCPU", None):
        v.kind, v.detail = "timeout", both("detail.timeout", limit=job.timeout_s)
        return v
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = str(sig)
    extra_key = {signal.SIGKILL: "detail.signal_kill", signal.SIGSEGV: "detail.signal_segv"}.get(sig)
    extra = both(extra_key) if extra_key else None
    v.kind = "crashed"
    v.detail = both("detail.signal", signal=name, extra="")
    if extra:
        v.detail = Text(ja=v.detail.ja + extra.ja, en=v.detail.en + extra.en)
    return v

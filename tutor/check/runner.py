"""Running one job in a fresh child process, with limits, and collecting what came back.

This is the only place the tutor starts student code. It knows nothing about
verdicts: it returns a `RawRun` (the records from the result channel, the
captured output, how the process ended) and `tutor.check.checker` decides.

A `Runner` is anything with `run(job, cancel) -> RawRun`. `ColdRunner` starts
a new Python per job; `tutor.check.warm.WarmRunner` forks one from a pre-imported
worker. Both hand the child the same pipes and are read by the same
`collect()`, so verdicts cannot depend on which one ran.

What a run owns besides its child (an id that marks all its processes, a
private working dir, a task cap) is a `RunScope`, closed last whatever
happened; the mechanisms behind it are in `tutor.check.sandbox`.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from tutor.check import sandbox
from tutor.check.sandbox import MARKER_VAR, MemoryWatch, TaskCap, kill_strays, process_name
from tutor.check.budget import Budget
from tutor.check.tree import RunTree, become_subreaper, known, sweep_ledgers

OUTPUT_CAP = 1 << 20
"""Bytes of student output kept; more than this ends the run (output limit)."""
CHANNEL_CAP = 4 << 20
"""Bytes accepted on the result channel; more means the channel was abused."""
STARTUP_S = 120.0
"""Time allowed for the child to import torch and get ready (slow NFS homes)."""
GRACE_S = 0.5
"""Slack over the wall-clock limit for the last records to arrive. The exercise's
timeout is a CPU-time budget of the run's process tree (read every 0.2 s), so on
an idle machine a busy loop ends about when its timeout is spent; on a loaded
one later, by as much as it had to wait for a core, never past the wall limit."""
SAMPLE_WAIT_S = 0.5
"""How long a run over its time may take to say where it is (its stack sample) before it is killed."""
POLL_S = 0.05
"""How often the supervisor wakes without output: deadline, cancel and memory checks."""
WALL_FACTOR = 3.0
WALL_EXTRA_S = 30.0
"""The wall-clock limit after "ready": WALL_FACTOR x the exercise's timeout + WALL_EXTRA_S.
The exercise's timeout itself is a budget of CPU seconds of the whole process tree
(`tutor.check.tree`), so a loaded machine slows a run without failing it; the wall
limit only catches runs that wait instead of computing (sleeps, deadlocks)."""
PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
"""Put first on the child's sys.path so it imports this very copy of `tutor`."""

_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from tutor.check.harness import main; main()"
)


@dataclass(frozen=True)
class Job:
    """Everything a child needs for one check run."""

    exercise: str
    student_path: Path
    source: str
    check_path: Path
    seed: int
    device: str = "cpu"
    timeout_s: float = 30.0
    memory_mb: int = 4096
    file_mb: int = 256
    memory_guard: str = "auto"
    visible_devices: str | None = None
    """CUDA_VISIBLE_DEVICES for the run (the card `--device auto` chose), None to inherit."""
    mode: str = "check"
    """"check": run the hidden checks; "run": only run the student's file as `__main__`
    (`dltutor run`), under the same limits, with no checks loaded."""
    extra: dict = field(default_factory=dict, compare=False)
    """More for the child's job (an experiment's mode and data, see `tutor.study`); plain JSON."""
    on_record: Callable[[dict], None] | None = field(default=None, compare=False, repr=False)
    """Called in the tutor with each "progress" record as it arrives (a study's live epochs)."""
    """"auto": an address-space limit on CPU runs (Linux), the tutor watching the
    child's resident memory otherwise (CUDA runs, where such a limit breaks
    torch). "rss": always the watch (tests, and runs that must not have the limit)."""


@dataclass
class RawRun:
    """What one child run produced, before any judgement."""

    records: list[dict] = field(default_factory=list)
    output: bytes = b""
    output_exceeded: bool = False
    timed_out: bool = False
    timed_out_phase: str = ""  # "startup" or "checks"
    returncode: int | None = None
    protocol_error: str = ""
    duration_s: float = 0.0
    started: bool = False  # the child reported "ready"
    ready_s: float = 0.0  # seconds from the start to "ready": the exercise's clock starts there
    memory_exceeded: bool = False  # the tutor's memory watch stopped the child
    path: str = "cold"  # which runner ran it: "cold" or "warm"
    task_cap: str = ""  # how the number of tasks was capped: "cgroup", "nproc" or "" (not at all)
    cpu_s: float = 0.0  # CPU seconds of the whole process tree after "ready"
    wall_s: float = 0.0  # wall-clock seconds after "ready"
    timed_out_limit: str = ""  # "cpu" or "wall": which limit a timeout hit
    wall_limit_s: float = 0.0  # the wall-clock limit the run had after "ready"
    peak_rss_mb: float = 0.0  # the most resident memory the tree held at once (sampled)
    disk_mb: float = 0.0  # the most the run's files held at once (sampled)
    disk_exceeded: bool = False  # the run's files together went over their total


class Runner(Protocol):
    """Anything that can run a job in an isolated process."""

    def run(self, job: Job, cancel: "CancelToken | None" = None) -> RawRun:
        """Run `job` and return what happened."""


class CancelToken:
    """Set from another thread to stop a run early (a newer save arrived, the user quit)."""

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        """Ask the run to stop; the child is killed at the next poll."""
        self.cancelled = True


class Child(Protocol):
    """A started child: `subprocess.Popen` is one; the warm worker's forks are another."""

    pid: int

    def poll(self) -> int | None:
        """The exit status if it has ended, else None."""

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit status (raises subprocess.TimeoutExpired)."""


def python_executable() -> str:
    """The Python that runs checks: `DLTUTOR_PYTHON` or the tutor's own."""
    return os.environ.get("DLTUTOR_PYTHON") or sys.executable


def child_env(run_id: str, visible_devices: str | None = None, tmpdir: str | None = None) -> dict[str, str]:
    """The environment of a checked process: the tutor's, plus a per-run marker (and the chosen GPU).

    `tmpdir` (the run's private folder) becomes TMPDIR, so temporary files land where
    they are counted and removed with the run."""
    env = dict(os.environ)
    env.update(PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
    if tmpdir:
        env["TMPDIR"] = tmpdir
    env[MARKER_VAR] = run_id
    if visible_devices is not None:
        env["CUDA_VISIBLE_DEVICES"] = visible_devices
    return env


def check_threads() -> int:
    """Torch's CPU threads in a check's child: `DLTUTOR_CHECK_THREADS`, 1 by default (0: torch's own).

    A check's tensors are small, and on a shared or busy machine several OpenMP threads per
    child spin against each other: on the 2-core development VM with one core kept busy,
    two-thread children ran the answer files about 2.5x slower than one-thread ones. One
    thread also sums in the same order on every machine. `dltutor run` of a student's file
    keeps torch's default (that is the student's own program).
    """
    try:
        return max(0, int(os.environ.get("DLTUTOR_CHECK_THREADS", "1")))
    except ValueError:
        return 1


def payload(job: Job, nonce: str, extra: dict | None = None) -> dict:
    """The job as the child reads it from its job pipe."""
    return {
        "exercise": job.exercise, "student_path": str(job.student_path), "source": job.source,
        "check_path": str(job.check_path), "seed": job.seed, "device": job.device,
        "memory_mb": job.memory_mb, "file_mb": job.file_mb, "memory_guard": job.memory_guard,
        "cpu_s": int(job.timeout_s * (os.cpu_count() or 1)) + 10, "nonce": nonce, "mode": job.mode,
        "threads": check_threads() if job.mode == "check" else 0,
        **job.extra, **(extra or {}),
    }


class RunScope:
    """What one run owns besides its child: an id, a private working dir, a task cap.

    `close()` is the one clean-up both runners do last, whatever happened
    (timeout, Ctrl-C, a lost worker): every process that carries the run's
    marker or sits in its cgroup is killed, the cgroup and the dir removed.
    """

    def __init__(self) -> None:
        self.run_id = secrets.token_hex(6)
        # mkdtemp: mode 0700 and a fresh random name, so nobody can plant links in it first.
        self.workdir = tempfile.mkdtemp(prefix="dltutor-run-")
        self.cap: TaskCap | None = None
        self.tree: RunTree | None = None
        try:
            sweep_ledgers()  # what a tutor killed with kill -9 left (cheap: one folder listing)
        except OSError:
            pass
        try:
            self.cap = TaskCap.create(self.run_id)
        except Exception:  # best-effort: a cgroup that cannot be made is simply not used
            self.cap = None

    def adopt(self, pid: int, reaper: int | None = None) -> None:
        """Put the child in the run's cgroup, before it is given the job (so before student code).

        Also start following its process tree; `reaper` is the subreaper its orphans
        come to (the tutor for cold runs, the warm worker for warm ones)."""
        known(pid)
        self.tree = RunTree(pid, reaper, process_name(self.run_id), self.workdir)
        if self.cap is not None and not self.cap.add(pid):
            self.cap.remove()
            self.cap = None

    def extra(self) -> dict:
        """What the child needs to know: RLIMIT_NPROC is its job only where no cgroup caps it."""
        return {"max_tasks": 0 if self.cap is not None else sandbox.MAX_TASKS}

    def describe(self, raw: "RawRun") -> None:
        """Note in `raw` how tasks were capped."""
        ready = next((r for r in raw.records if r.get("type") == "ready"), {})
        raw.task_cap = "cgroup" if self.cap is not None else ("nproc" if "nproc" in (ready.get("limits") or {}) else "")

    def close(self) -> None:
        """Kill everything of the run that is left, and remove its cgroup and working dir."""
        try:
            if self.tree is not None:
                self.tree.kill()
            kill_strays(self.run_id)
            if self.cap is not None:
                self.cap.close()
            if self.tree is not None:
                self.tree.remove_shm()
                self.tree.forget()
                known(self.tree.root, False)
        finally:
            # rmtree never follows symlinks the student planted in the dir (it unlinks them).
            shutil.rmtree(self.workdir, ignore_errors=True)


class Pipes:
    """The three pipes between the tutor and a child: job in, output and results out."""

    def __init__(self) -> None:
        self.job_r, self.job_w = os.pipe()
        self.res_r, self.res_w = os.pipe()
        self.out_r, self.out_w = os.pipe()

    def child_ends(self) -> tuple[int, int, int]:
        """(job_r, res_w, out_w): what the child keeps."""
        return self.job_r, self.res_w, self.out_w

    def close_child_ends(self) -> None:
        """Once the child has its copies, the tutor must drop its own, or EOF never comes."""
        for name in ("job_r", "res_w", "out_w"):
            _close(getattr(self, name))
            setattr(self, name, -1)

    def close(self) -> None:
        """Close whatever is still open."""
        for name in ("job_r", "job_w", "res_r", "res_w", "out_r", "out_w"):
            _close(getattr(self, name))
            setattr(self, name, -1)


def _close(fd: int) -> None:
    if fd >= 0:
        try:
            os.close(fd)
        except OSError:
            pass


def supervise(child: Child, pipes: Pipes, job: Job, cancel: CancelToken | None, started: float,
              extra: dict | None = None, tree: RunTree | None = None) -> RawRun:
    """Feed the job, collect output and results under the limits, then kill the group."""
    nonce = secrets.token_hex(16)
    raw = RawRun()
    try:
        fd, pipes.job_w = pipes.job_w, -1  # closed by _write_job
        if not _write_job(fd, payload(job, nonce, extra), started + STARTUP_S):
            raw.timed_out, raw.timed_out_phase = True, "startup"
        else:
            _collect(child, pipes, job, nonce, raw, started, cancel, tree)
    finally:
        kill_group(child)
    raw.duration_s = time.monotonic() - started
    return raw


class ColdRunner:
    """Starts a new Python for every job: slow (torch import) but simple and isolated."""

    def run(self, job: Job, cancel: CancelToken | None = None) -> RawRun:
        """Run `job` in a new session; always kills everything of the run at the end."""
        pipes = Pipes()
        scope = None
        started = time.monotonic()
        try:
            scope = RunScope()
            # Orphans of the run (double forks, setsid) come to the tutor, not to init,
            # so the run's tree still holds them (`tutor.check.tree`).
            become_subreaper()
            try:
                proc = subprocess.Popen(
                    [python_executable(), "-I", "-u", "-c", _BOOT, PACKAGE_PARENT, str(pipes.job_r), str(pipes.res_w)],
                    stdin=subprocess.DEVNULL, stdout=pipes.out_w, stderr=pipes.out_w,
                    pass_fds=(pipes.job_r, pipes.res_w), cwd=scope.workdir, env=child_env(scope.run_id, job.visible_devices, scope.workdir),
                    start_new_session=True, close_fds=True,
                )
            except OSError as exc:
                return RawRun(protocol_error=f"could not start Python: {exc}")
            scope.adopt(proc.pid, os.getpid())
            pipes.close_child_ends()
            raw = supervise(proc, pipes, job, cancel, started, scope.extra(), scope.tree)
            scope.describe(raw)
            return raw
        finally:
            # Also on Ctrl-C/SIGHUP (KeyboardInterrupt) anywhere above: the run's
            # processes carry its marker, so even a child never supervised is found.
            try:
                if scope is not None:
                    scope.close()
            finally:
                pipes.close()


def _collect(child: Child, pipes: Pipes, job: Job, nonce: str, raw: RawRun, started: float,
             cancel: CancelToken | None, tree: RunTree | None = None) -> None:
    sel = selectors.DefaultSelector()
    sel.register(pipes.out_r, selectors.EVENT_READ, "out")
    sel.register(pipes.res_r, selectors.EVENT_READ, "res")
    # Bounded whatever the child does: at most OUTPUT_CAP + CHANNEL_CAP bytes are held.
    out, res = bytearray(), bytearray()
    deadline = started + STARTUP_S
    exited_at: float | None = None
    watch = MemoryWatch(child.pid, POLL_S)
    clock = Budget(tree, job)
    try:
        while sel.get_map():
            now = time.monotonic()
            if cancel is not None and cancel.cancelled:
                raw.protocol_error = "cancelled"
                return
            over = clock.over(now, raw)
            if now > deadline or over or watch.exceeded(now):
                if now > deadline or over == "cpu":
                    raw.timed_out = True
                    raw.timed_out_phase = "checks" if raw.started else "startup"
                    raw.timed_out_limit = "cpu" if over == "cpu" else "wall"
                elif over == "disk":
                    raw.disk_exceeded = True
                else:
                    raw.memory_exceeded = True
                if raw.timed_out and raw.started:  # where the code was, before it is killed
                    res += _sample_stack(child, pipes)
                # Keep the records that finished: they say which checks passed before.
                raw.records, _ = _parse_records(bytes(res[: res.rfind(b"\n") + 1]), nonce)
                return
            # Once the child has exited, read what is left and stop: a process it
            # left behind may hold the pipes open, and will be killed with the group.
            if exited_at is None and child.poll() is not None:
                exited_at = now
            if exited_at is not None and now - exited_at > 0.3:
                break
            for key, _ in sel.select(timeout=min(POLL_S, max(0.0, deadline - now))):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                if key.data == "out":
                    out += chunk[: max(0, OUTPUT_CAP - len(out))]
                    if len(out) >= OUTPUT_CAP:  # exactly the cap is kept
                        raw.output, raw.output_exceeded = bytes(out), True
                        return
                    continue
                seen = res.rfind(b"\n") + 1
                res += chunk
                if len(res) > CHANNEL_CAP:
                    raw.protocol_error = "result channel over its size limit"
                    return
                if job.on_record is not None:
                    _progress(job.on_record, bytes(res[seen: res.rfind(b"\n") + 1]), nonce)
                if not raw.started and b"\n" in res:
                    first = _parse_line(res.split(b"\n", 1)[0], nonce)
                    if first and first.get("type") == "ready":
                        raw.started = True
                        raw.ready_s = time.monotonic() - started
                        raw.wall_limit_s = job.timeout_s * WALL_FACTOR + WALL_EXTRA_S
                        deadline = time.monotonic() + raw.wall_limit_s + GRACE_S
                        clock.start(time.monotonic())
                        if job.memory_mb and "memory_mb" not in (first.get("limits") or {}):
                            watch.start(job.memory_mb)
    finally:
        sel.close()
        clock.settle(time.monotonic(), raw)
        if not raw.output:
            raw.output = bytes(out)
    try:
        raw.returncode = child.wait(timeout=max(0.5, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raw.timed_out, raw.timed_out_phase, raw.timed_out_limit = True, "checks", "wall"
    raw.records, raw.protocol_error = _parse_records(bytes(res), nonce)


def _sample_stack(child: Child, pipes: Pipes, wait_s: float = SAMPLE_WAIT_S) -> bytes:
    """Ask the child where it is (`tutor.check.harness.SAMPLE_SIGNAL`) and read its answer for up to
    `wait_s`: what came on the result channel meanwhile (a "stack" record, if the child answered)."""
    got = bytearray()
    try:
        os.kill(child.pid, signal.SIGUSR1)
    except OSError:
        return bytes(got)
    end = time.monotonic() + wait_s
    while time.monotonic() < end and len(got) < CHANNEL_CAP:
        ready, _, _ = select.select([pipes.res_r], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            break
        chunk = os.read(pipes.res_r, 65536)
        if not chunk:
            break
        got += chunk
        if b'"type": "stack"' in got and got.endswith(b"\n"):
            break
    return bytes(got)


def _progress(on_record: Callable[[dict], None], lines: bytes, nonce: str) -> None:
    """Hand each new complete "progress" record to the caller (only records with the run's nonce)."""
    for line in lines.split(b"\n"):
        record = _parse_line(line, nonce) if line else None
        if record is not None and record.get("type") == "progress":
            on_record(record)


def _write_job(fd: int, data: dict, deadline: float) -> bool:
    """Write the job and close the pipe; False if the child did not take it before `deadline`.

    Non-blocking with a deadline: a big source file fills the pipe, and a
    child stuck at start-up must not hang the tutor.
    """
    buf = memoryview(json.dumps(data).encode("utf-8"))
    try:
        os.set_blocking(fd, False)
        while buf:
            try:
                buf = buf[os.write(fd, buf):]
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                select.select([], [fd], [], min(left, POLL_S))
    except (BrokenPipeError, OSError):  # the child died before reading; the run will say so
        pass
    finally:
        _close(fd)
    return True


def _parse_line(line: bytes, nonce: str) -> dict | None:
    try:
        record = json.loads(line.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("nonce") != nonce:
        return None
    return record


def _parse_records(data: bytes, nonce: str) -> tuple[list[dict], str]:
    """Split the channel into records; any line without the run's nonce is tampering."""
    records: list[dict] = []
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for line in lines:
        record = _parse_line(line, nonce)
        if record is None:
            return records, "a record on the result channel was not written by the checker"
        records.append(record)
    return records, ""


def kill_group(child: Child) -> None:
    """Kill the child's whole process group (it and anything it started), then reap it."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        child.wait(timeout=5)
    except Exception:  # a zombie that will not die, or a warm worker that is gone
        pass

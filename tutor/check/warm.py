"""`WarmRunner`: checks forked from a pre-imported worker, with the cold path as a safety net.

The tutor keeps one worker (`tutor.check.zygote`) per process: it is started with
the tutor, talks over an anonymous socket pair (so it is never shared with
another user or even another tutor), and exits when the tutor does. Each
check is still a fresh process with the same pipes, limits and judgement as a
cold one (`tutor.check.runner.supervise`). If the worker cannot be reached, hangs
or dies during a run, that run is done again on the cold path and the worker
is restarted: a lost worker costs time, never a wrong verdict.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import signal
import socket
import subprocess
import threading
import time

from tutor.check.tree import known
from tutor.check.runner import (PACKAGE_PARENT, STARTUP_S, CancelToken, ColdRunner, Job, Pipes, RawRun, Runner,
                          RunScope, child_env, python_executable, supervise)

REPLY_S = 5.0
"""How long a healthy worker takes at most to answer (fork and reply)."""
IDLE_S = 600.0
"""Seconds without a run after which the worker is let go (it holds some 450 MB of private
memory, torch's): an idle student then costs the server only the front end's own process.
The next run (the next save) starts it again, paying torch's import once. `DLTUTOR_WARM_IDLE`
sets it (seconds; 0 keeps the worker for as long as the tutor runs)."""
IDLE_VAR = "DLTUTOR_WARM_IDLE"


def idle_seconds(env: dict[str, str] | None = None) -> float | None:
    """The idle period from `DLTUTOR_WARM_IDLE` (default `IDLE_S`); None means never release."""
    env = os.environ if env is None else env
    try:
        value = float(env.get(IDLE_VAR, IDLE_S))
    except ValueError:
        value = IDLE_S
    return value if value > 0 else None

_BOOT = "import sys; sys.path.insert(0, sys.argv.pop(1)); from tutor.check.zygote import main; main()"


class WorkerLost(Exception):
    """The warm worker is gone or does not answer."""


class _Worker:
    """One worker process and the thread that reads its messages."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock = ours
        self.proc = subprocess.Popen(
            [python_executable(), "-I", "-c", _BOOT, PACKAGE_PARENT, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True, env=child_env("warm-worker"),
        )
        theirs.close()
        known(self.proc.pid)  # the tutor's own child, never a run's orphan (tutor.check.tree)
        self.ready = threading.Event()
        self.ready_at = 0.0
        """When it said "ready": an idle period counts from then at the earliest."""
        self.dead = threading.Event()
        self.replies: dict[str, queue.Queue] = {}
        self.exits: dict[int, int] = {}
        self.lock = threading.Lock()
        self.exited = threading.Condition(self.lock)
        self.ids = itertools.count(1)
        threading.Thread(target=self._read, name="dltutor-warm-reader", daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                data = self.sock.recv(1 << 20)
            except OSError:
                data = b""
            if not data:
                break
            message = json.loads(data.decode("utf-8"))
            op = message.get("op")
            if op == "ready":
                self.ready_at = time.monotonic()
                self.ready.set()
            elif op == "exit":
                with self.lock:
                    self.exits[int(message["pid"])] = int(message["status"])
                    self.exited.notify_all()
            elif op in ("started", "status"):
                box = self.replies.get(str(message.get("id")))
                if box is not None:
                    box.put(message)
        self.dead.set()
        with self.lock:
            self.exited.notify_all()

    def request(self, message: dict, fds: tuple[int, ...] = ()) -> dict:
        """Send a request and wait for its reply (WorkerLost on silence or death)."""
        if not self.ready.wait(STARTUP_S) or self.dead.is_set():
            raise WorkerLost("the warm worker did not start")
        key = str(next(self.ids))
        box: queue.Queue = queue.Queue()
        self.replies[key] = box
        try:
            socket.send_fds(self.sock, [json.dumps(dict(message, id=key)).encode("utf-8")], list(fds))
            return box.get(timeout=REPLY_S)
        except (OSError, queue.Empty) as exc:
            raise WorkerLost(f"the warm worker did not answer: {exc}") from exc
        finally:
            self.replies.pop(key, None)

    def wait_exit(self, pid: int, timeout: float | None) -> int:
        """The exit status of a child the worker forked (WorkerLost if the worker died first)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.lock:
            while pid not in self.exits:
                if self.dead.is_set():
                    raise WorkerLost("the warm worker died during the run")
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise subprocess.TimeoutExpired("warm child", timeout)
                self.exited.wait(timeout=0.2 if left is None else min(left, 0.2))
            return self.exits.pop(pid)

    def stop(self) -> None:
        """Close the socket (the worker exits on EOF) and make sure it is gone."""
        try:
            # shutdown, not only close: the reader thread blocked in recv() keeps
            # the socket alive after close(), and the worker would see no EOF.
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass
        # A moment for the worker to kill its running children itself on EOF;
        # killed first, it would leave them to their parent-death signal.
        try:
            self.proc.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass


class _RemoteChild:
    """A child forked by the worker, seen through the `Child` protocol."""

    def __init__(self, worker: _Worker, pid: int):
        self.worker = worker
        self.pid = pid
        self._status: int | None = None

    def poll(self) -> int | None:
        if self._status is None:
            with self.worker.lock:
                self._status = self.worker.exits.pop(self.pid, None)
            if self._status is None and self.worker.dead.is_set():
                raise WorkerLost("the warm worker died during the run")
        return self._status

    def wait(self, timeout: float | None = None) -> int:
        if self._status is None:
            self._status = self.worker.wait_exit(self.pid, timeout)
        return self._status


class WarmRunner:
    """Runs jobs in children forked from a warm worker; falls back to `ColdRunner`."""

    def __init__(self, fallback: Runner | None = None, start: bool = True, idle_s: float | None = None):
        """`idle_s`: let the worker go after this many seconds without a run (None: keep it)."""
        self.fallback = fallback or ColdRunner()
        self._worker: _Worker | None = None
        self._lock = threading.Lock()
        self.restarts = 0
        self.releases = 0
        """How many times the worker was let go for being idle."""
        self.idle_s = idle_s
        self._last_used = time.monotonic()
        self._busy = 0
        self._closed = threading.Event()
        if idle_s:
            threading.Thread(target=self._release_when_idle, name="dltutor-warm-idle", daemon=True).start()
        if start:
            self.start()

    def _release_when_idle(self) -> None:
        while not self._closed.wait(min(5.0, self.idle_s / 4)):
            with self._lock:
                worker = self._worker
                # Never one still starting (someone may be waiting for it), nor one in use.
                if worker is None or not worker.ready.is_set() or self._busy:
                    continue
                idle = time.monotonic() - max(self._last_used, worker.ready_at)
                if idle >= self.idle_s:
                    # Counted and unhooked first, so nobody sees a stopped worker as the current one.
                    self._worker = None
                    self.releases += 1
                    worker.stop()

    @property
    def running(self) -> bool:
        """Whether a worker process is up now (False after an idle release, until the next run)."""
        worker = self._worker
        return worker is not None and worker.proc.poll() is None

    def start(self) -> None:
        """Start the worker if there is none (it warms up in the background)."""
        with self._lock:
            if self._worker is None or self._worker.dead.is_set() or self._worker.proc.poll() is not None:
                if self._worker is not None:
                    self._worker.stop()
                    self.restarts += 1
                self._worker = _Worker()

    def _restart(self) -> None:
        with self._lock:
            if self._worker is not None:
                self._worker.stop()
            self._worker = _Worker()
            self.restarts += 1

    def status(self) -> dict:
        """The worker's pid, resident memory and whether CUDA was initialised in it."""
        with self._lock:
            self._busy += 1  # not let go between starting it and its answer
        try:
            self.start()
            return self._worker.request({"op": "status"})
        finally:
            with self._lock:
                self._busy -= 1

    def run(self, job: Job, cancel: CancelToken | None = None) -> RawRun:
        """Run `job` in a fresh fork of the worker (or cold, if the worker is unusable)."""
        with self._lock:
            self._busy += 1
        try:
            return self._run(job, cancel)
        finally:
            with self._lock:
                self._busy -= 1
                self._last_used = time.monotonic()

    def _run(self, job: Job, cancel: CancelToken | None) -> RawRun:
        self.start()
        worker = self._worker
        pipes = Pipes()
        scope = None
        started = time.monotonic()
        lost = False
        try:
            scope = RunScope()
            try:
                reply = worker.request({"op": "run", "workdir": scope.workdir, "env": child_env(scope.run_id, job.visible_devices, scope.workdir)},
                                       pipes.child_ends())
                # The child waits for its job, so it is capped before any student code runs.
                scope.adopt(int(reply["pid"]), worker.proc.pid)  # the worker is its orphans' subreaper
                pipes.close_child_ends()
                raw = supervise(_RemoteChild(worker, int(reply["pid"])), pipes, job, cancel, started, scope.extra(), scope.tree)
            except WorkerLost:
                lost = True
            else:
                scope.describe(raw)
                raw.path = "warm"
                return raw
        finally:
            try:
                if scope is not None:
                    scope.close()
            finally:
                pipes.close()
        # Only after this run's processes are gone: the cold rerun must not meet them.
        if lost:
            self._restart()
        return self._cold(job, cancel)

    def _cold(self, job: Job, cancel: CancelToken | None) -> RawRun:
        raw = self.fallback.run(job, cancel)
        raw.path = "cold"
        return raw

    def close(self) -> None:
        """Stop the worker (and the idle watch)."""
        self._closed.set()
        with self._lock:
            if self._worker is not None:
                self._worker.stop()
                self._worker = None

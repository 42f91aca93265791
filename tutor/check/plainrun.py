"""Running a student's file as a script, with the checks' limits, its output streamed: no checking.

`dltutor run EX` for an exercise that is not an experiment (the study of an
experiment is `tutor.study`). The file runs as `__main__` in a fresh Python in
the run's private folder (`RunScope`: its own marker, task cap and temporary
dir, everything killed at the end), with the CPU-time, file-size and core
limits of a check and the memory watch of `tutor.check.sandbox`; what it
prints is handed to `on_output` as it comes. Nothing is judged or recorded.
"""

from __future__ import annotations

import os
import resource
import selectors
import subprocess
import time
from pathlib import Path
from typing import Callable

from tutor.check.runner import OUTPUT_CAP, PACKAGE_PARENT, WALL_EXTRA_S, WALL_FACTOR, RunScope, child_env, kill_group, python_executable
from tutor.check.sandbox import MemoryWatch

_BOOT = ("import sys, runpy; sys.path.insert(0, sys.argv.pop(1)); path = sys.argv[1]; sys.argv = sys.argv[1:]; "
         "sys.path.insert(0, __import__('os').path.dirname(path)); runpy.run_path(path, run_name='__main__')")


def run_plain(path: Path, *, timeout_s: float, on_output: Callable[[bytes], None], memory_mb: int = 4096,
              file_mb: int = 256, visible_devices: str | None = None) -> int:
    """Run `path` under the limits and stream its output; the exit status (negative: a signal, -9 on a limit)."""
    cpu = int(timeout_s * (os.cpu_count() or 1)) + 10
    fsize = file_mb << 20

    def limits() -> None:  # in the child, before Python starts
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))

    scope = RunScope()
    try:
        proc = subprocess.Popen([python_executable(), "-I", "-u", "-c", _BOOT, PACKAGE_PARENT, str(Path(path).resolve())],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                cwd=scope.workdir, env=child_env(scope.run_id, visible_devices, scope.workdir),
                                start_new_session=True, close_fds=True, preexec_fn=limits)
        scope.adopt(proc.pid, os.getpid())
        watch = MemoryWatch(proc.pid)
        watch.start(memory_mb)
        deadline = time.monotonic() + timeout_s * WALL_FACTOR + WALL_EXTRA_S
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        sent = 0
        try:
            while time.monotonic() < deadline and not watch.exceeded(time.monotonic()):
                if not sel.select(timeout=0.1):
                    if proc.poll() is not None:
                        break
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                if sent < OUTPUT_CAP:
                    on_output(chunk[: OUTPUT_CAP - sent])
                    sent += len(chunk)
                elif proc.poll() is None:
                    break  # over the output cap: stop the run
        finally:
            sel.close()
            kill_group(proc)
        return proc.returncode if proc.returncode is not None else -9
    finally:
        scope.close()

"""Running re-checks on this machine: worker threads, each driving its own warm worker.

The checks themselves run in child processes, so threads are enough to keep
every core busy; each thread forks its checks from a warm worker of its own
(torch imported once per thread, not once per check). A Rich progress bar
with an ETA goes to stderr.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable

from tutor.grade.tasks import Task, check_source, close_checkers


def default_jobs() -> int:
    """One job per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_local(tasks: list[Task], course_root: str | None, chash: str, device: str, jobs: int,
              done: Callable[[Task, dict], None]) -> None:
    """Run every task on `jobs` threads; `done(task, result)` is called in this thread as each finishes."""
    if not tasks:
        return
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="dltutor-grade") as pool:
            futures = {pool.submit(check_source, course_root, t.exercise, t.source, t.seed, device, chash, t.study): t
                       for t in tasks}
            for future in as_completed(futures):
                task = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # the tutor's own failure: say so in the row, keep going
                    result = {"kind": "missing", "checks": [], "duration_s": 0.0, "seed": task.seed,
                              "detail": f"the re-check could not run: {type(exc).__name__}: {exc}"}
                done(task, result)
    finally:
        close_checkers()

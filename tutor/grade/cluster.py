"""Running re-checks on a Dask distributed cluster (`--scheduler tcp://HOST:PORT`).

Each task is `tutor.grade.tasks.check_source`, run on a worker that has
dltutor (and the instructor's course, at the same path or built in)
installed; it checks in the worker's own sandboxed child processes, exactly as
on one machine. A worker that dies mid-task loses nothing: the scheduler gives
the task to another worker (`retries` covers errors on top), and a task that
still cannot finish becomes a row that says why. dask-jobqueue starts such a
cluster from Slurm or PBS jobs (see the README).
"""

from __future__ import annotations

from typing import Callable

from tutor.grade.tasks import Task, check_source

RETRIES = 2


def run_dask(tasks: list[Task], address: str, course_root: str | None, chash: str, device: str,
             done: Callable[[Task, dict], None], timeout_s: float = 30.0) -> None:
    """Submit every task to the scheduler at `address`; `done(task, result)` as each finishes."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - the extra is not installed
        raise RuntimeError("Dask is not installed: pip install 'dltutor[cluster]'") from exc
    if not tasks:
        return
    with Client(address, timeout=timeout_s) as client:
        futures = {}
        for task in tasks:
            future = client.submit(check_source, course_root, task.exercise, task.source, task.seed, device, chash, task.study,
                                   key=f"dltutor-check-{task.student}-{task.exercise}-{task.source_hash[:12]}-{task.seed}",
                                   retries=RETRIES, pure=False)
            futures[future] = task
        for future in as_completed(futures):
            task = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # lost more often than the scheduler allows, or failed on every try
                result = {"kind": "missing", "checks": [], "duration_s": 0.0, "seed": task.seed,
                          "detail": f"the cluster could not finish this check: {type(exc).__name__}: {exc}"[:400]}
            done(task, result)

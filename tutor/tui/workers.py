"""The blocking jobs the app runs off the event loop, as plain functions.

Each takes a `post` callable (a widget's thread-safe `post_message`) and
reports only through it, as toolong's workers do, so none of them knows about
widgets and each can be called directly in a test.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Callable

from tutor.course.manifest import Exercise
from tutor.check.runner import CancelToken
from tutor.session import Tutor
from tutor.tui.messages import AllChecked, CheckDone, CudaProbed, CudaState, FilesSaved, StudyProgress, WatchEnded
from tutor.progress.workspace import WorkspaceError

Post = Callable[[object], object]


def run_check(tutor: Tutor, exercise: Exercise, device: str, token: CancelToken, post: Post) -> None:
    """Check `exercise` once (blocking, 1-4 s) and post a `CheckDone`.

    A problem the engine reports in words (workspace unwritable) comes back
    as `CheckDone.error`; anything else fails the worker, and the app's
    worker handler shows it as a notice.
    """
    try:
        verdict = tutor.check(exercise, device=device, cancel=token)
    except WorkspaceError as exc:
        post(CheckDone(exercise=exercise, token=token, error=exc))
        return
    post(CheckDone(exercise=exercise, token=token, verdict=verdict))


def run_study(tutor: Tutor, exercise: Exercise, device: str, token: CancelToken, post: Post) -> None:
    """Run an experiment's study (posting `StudyProgress`), then check it and post a `CheckDone`.

    Finished settings are stored as they end, so a cancelled study keeps them;
    a cancelled one is not checked."""
    try:
        tutor.run_study(exercise, device=device, cancel=token,
                        on_event=lambda event: post(StudyProgress(exercise=exercise, token=token, event=event)))
        if token.cancelled:
            post(CheckDone(exercise=exercise, token=token, verdict=None))
            return
        verdict = tutor.check(exercise, device=device, cancel=token)
    except WorkspaceError as exc:
        post(CheckDone(exercise=exercise, token=token, error=exc))
        return
    post(CheckDone(exercise=exercise, token=token, verdict=verdict))


def watch_saves(root: Path, stop: threading.Event, poll: bool, post: Post,
                on_polling: Callable[[], None] | None = None) -> None:
    """Post `FilesSaved` for every debounced save under `root` until `stop` is set.

    File events can fail outright on shared servers (the inotify watch limit
    is often reached there): then we retry by polling before giving up.
    """
    from tutor.progress.watching import saves  # imports watchfiles; only the watcher needs it

    while not stop.is_set():
        try:
            for changed in saves([root], stop, poll=poll):
                post(FilesSaved(paths=frozenset(changed)))
            return
        except Exception as exc:  # noqa: BLE001 - any failure of the watcher ends in a notice
            if poll or stop.is_set():
                post(WatchEnded(reason=f"{type(exc).__name__}: {exc}"))
                return
            poll = True
            if on_polling is not None:
                on_polling()


def probe_cuda(which: Callable[[str], str | None] = shutil.which) -> CudaState:
    """Whether checks can run on `cuda`, found without importing torch here.

    Without an NVIDIA driver the answer is immediate; otherwise a child Python
    (`tutor.check.probe`) imports torch and asks, which takes a few seconds.
    """
    if which("nvidia-smi") is None and not os.path.exists("/proc/driver/nvidia"):
        return CudaState(available=False, reason="no_driver")
    from tutor.check.probe import probe_environment

    env = probe_environment(timeout_s=90.0)
    if "python" in env.errors:
        return CudaState(available=False, reason="probe_failed")
    if not env.torch:
        return CudaState(available=False, reason="no_torch")
    if not env.cuda_build:
        return CudaState(available=False, reason="cpu_build")
    if not env.cuda_available or not env.gpus:
        return CudaState(available=False, reason="unavailable")
    gpus = tuple((g.name, g.free / 2**30, g.total / 2**30) for g in env.gpus)
    return CudaState(available=True, reason="", gpus=gpus)


def run_probe(probe: Callable[[], CudaState], post: Post) -> None:
    """Run `probe` and post its answer; a probe that breaks means "not available"."""
    try:
        state = probe()
    except Exception:  # noqa: BLE001 - a broken probe must not break the tutor
        state = CudaState(available=False, reason="probe_failed")
    post(CudaProbed(cuda=state))


def run_check_all(tutor: Tutor, device: str, token: CancelToken, post: Post) -> None:
    """Check every exercise (`Tutor.check_all`), posting an `AllChecked` after each and at the end."""
    total = len(tutor.course.exercises)
    done = []

    def each(exercise, verdict) -> None:
        done.append((exercise, verdict))
        post(AllChecked(token=token, done=len(done), total=total))

    results = tutor.check_all(device=device, cancel=token, on_result=each)
    post(AllChecked(token=token, done=len(results), total=total, results=results))

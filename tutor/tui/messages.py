"""What the worker threads post back to the app (after toolong's `messages.py`).

Workers never touch widgets: they post one of these (`post_message` is
thread-safe) and the app's handlers, on the event loop, update the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from tutor.course.manifest import Exercise
from tutor.check.runner import CancelToken
from tutor.check.verdict import Verdict


@dataclass
class CheckDone(Message):
    """A check finished (or was cancelled, or could not start)."""

    exercise: Exercise
    token: CancelToken
    """Identifies the run: a result whose token is not the latest one is stale."""
    verdict: Verdict | None = None
    error: Exception | None = None
    """Set instead of a verdict when the engine could not check (workspace unwritable)."""


@dataclass
class FilesSaved(Message):
    """Files under the workspace were saved (debounced)."""

    paths: frozenset[Path]


@dataclass
class WatchEnded(Message):
    """The watcher stopped by itself: saves are no longer noticed."""

    reason: str


@dataclass
class CudaProbed(Message):
    """The GPU probe finished."""

    cuda: "CudaState"


@dataclass(frozen=True)
class CudaState:
    """Whether `cuda` can be chosen, and why not (a `tui.cuda.*` key) or on what."""

    available: bool | None
    """None while the probe runs."""
    reason: str = "probing"
    gpus: tuple[tuple[str, float, float], ...] = ()
    """(name, free GiB, total GiB) per visible GPU."""


@dataclass
class AllChecked(Message):
    """`a` (check every exercise) made progress or finished."""

    token: CancelToken
    done: int
    total: int
    results: list | None = None
    """(exercise, verdict) pairs, set on the last message only."""


@dataclass
class StudyProgress(Message):
    """A running study moved on (a setting started or ended, an epoch finished)."""

    exercise: Exercise
    token: CancelToken
    event: object
    """A `tutor.study.StudyEvent`."""


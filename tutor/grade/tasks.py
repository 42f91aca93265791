"""One re-check: an exercise's source from a hand-in, run with the instructor's course, and its cache.

`check_source` is what runs everywhere, in a local worker thread or on a Dask
worker: it writes the source into a private folder under the exercise's file
name and asks the real `Checker` (child process, limits, verdict), with a seed
the grader drew. The result is plain data. Nothing of the hand-in is used but
the source text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from tutor.check.checker import Checker
from tutor.course.fingerprint import course_hash
from tutor.course.manifest import Course, load_course
from tutor.machine.gpus import place
from tutor.machine.locations import builtin_course_root

MAX_MESSAGE = 600
"""Characters of each check message kept in the results (the class page shows them)."""


@dataclass(frozen=True)
class Task:
    """Re-run `source` for `exercise`; `student` only files the result."""

    student: str
    exercise: str
    source: str
    seed: int
    study: str = ""
    """An experiment's claimed study (JSON text): its checks re-train one setting it picks against it."""

    @property
    def source_hash(self) -> str:
        """sha256 of the source text as UTF-8."""
        return hashlib.sha256((self.source + ("\0" + self.study if self.study else "")).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=8)
def _course(root: str | None) -> tuple[Course, str]:
    course = load_course(Path(root) if root else builtin_course_root(), builtin=root is None)
    return course, course_hash(course)


_local = threading.local()
_checkers: list = []
_checkers_lock = threading.Lock()


def thread_checker(warm: bool = True) -> Checker:
    """This thread's checker, with its own warm worker (started once, closed by `close_checkers`)."""
    checker = getattr(_local, "checker", None)
    if checker is None:
        runner = None
        if warm:
            from tutor.check.warm import WarmRunner

            runner = WarmRunner()
        checker = Checker(runner=runner)
        _local.checker = checker
        with _checkers_lock:
            _checkers.append(checker)
    return checker


def close_checkers() -> None:
    """Stop every warm worker this process started for grading."""
    with _checkers_lock:
        for checker in _checkers:
            close = getattr(checker.runner, "close", None)
            if close:
                close()
        _checkers.clear()
    _local.__dict__.clear()


def check_source(course_root: str | None, exercise: str, source: str, seed: int, device: str = "cpu",
                 expected_hash: str | None = None, study: str = "") -> dict:
    """Check `source` as the file of `exercise` and return the verdict as plain data.

    `expected_hash` (the instructor's course fingerprint) guards a Dask worker
    whose copy of the course differs: its result would not be the instructor's.
    """
    course, chash = _course(course_root)
    if expected_hash is not None and chash != expected_hash:
        return {"kind": "setup_error", "checks": [], "duration_s": 0.0, "seed": seed, "device": device,
                "detail": f"this worker's course differs from the instructor's ({chash[:19]} != {expected_hash[:19]})"}
    ex = course.find(exercise)
    placed = place(None if device == "default" else device, wants_gpu=ex.gpu)
    with tempfile.TemporaryDirectory(prefix="dltutor-grade-") as tmp:
        os.chmod(tmp, 0o700)
        path = Path(tmp) / ex.lesson_id / f"{ex.id}.py"
        path.parent.mkdir()
        path.write_text(source, encoding="utf-8")
        extra, timeout = _study_extra(ex, study, path)
        verdict = thread_checker().check(ex, path, device=placed.device, seed=seed, visible_devices=placed.visible,
                                         extra=extra, timeout_s=timeout)
    return {
        "kind": verdict.kind, "duration_s": round(verdict.duration_s, 3), "seed": seed, "device": verdict.device,
        "detail": verdict.detail.en if verdict.detail else None,
        "error": f"{verdict.error.exc_type}: {verdict.error.message}"[:MAX_MESSAGE] if verdict.error else None,
        "checks": [{"id": c.id, "title": c.title.to_json(), "status": c.status,
                    "message": {k: v[:MAX_MESSAGE] for k, v in c.message.to_json().items()} if c.message else None}
                   for c in verdict.checks],
    }


def _study_extra(ex, study: str, path: Path) -> tuple[dict | None, float | None]:
    """An experiment's check job: the hand-in's claimed rows and discussion, the instructor's spec.

    The numbers are the student's claims; the checks re-train one setting of them with
    the student's code and the grader's seed, and hold the rest to the instructor's marks."""
    if not ex.is_experiment:
        return None, None
    from tutor.study.study import study_check_timeout

    try:
        claimed = json.loads(study) if study else {}
    except ValueError:
        claimed = {}
    claimed = claimed if isinstance(claimed, dict) else {}
    discussion = claimed.get("discussion") if isinstance(claimed.get("discussion"), dict) else {}
    payload = {"spec": ex.study.to_json(), "rows": claimed.get("rows") if isinstance(claimed.get("rows"), list) else [],
               "factors": claimed.get("factors") if isinstance(claimed.get("factors"), list) else [],
               "discussion": {"name": f"{ex.id}.md", "exists": bool(discussion.get("exists")), "utf8": bool(discussion.get("utf8")),
                              "text": str(discussion.get("text") or "")}}
    return {"study": payload}, study_check_timeout(ex)


class Cache:
    """Finished re-checks on disk, one JSON file each, keyed by source hash, course hash and exercise.

    A class run that is stopped and started again, or five late hand-ins,
    re-check only what is not here yet.
    """

    def __init__(self, folder: Path, chash: str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.chash = chash

    def _path(self, task: Task) -> Path:
        key = hashlib.sha256(f"{self.chash}\0{task.exercise}\0{task.source_hash}".encode()).hexdigest()
        return self.folder / f"{key}.json"

    def get(self, task: Task) -> dict | None:
        """The cached result, or None (a damaged entry counts as missing)."""
        try:
            data = json.loads(self._path(task).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and "kind" in data else None

    def put(self, task: Task, result: dict) -> None:
        """Keep a result whole (written aside, then renamed); setup problems are not kept."""
        if result.get("kind") in ("setup_error", "missing"):
            return
        path = self._path(task)
        tmp = path.with_name(path.name + f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

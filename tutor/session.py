"""The tutor's core, as one object both front ends use (CLI and TUI).

`Tutor.open()` is the app factory: it loads the course, opens the workspace
and the progress store, and collects notices (store moved aside, read-only)
for the front end to show. Every action a student can take is a method here;
the front ends only ask and render. Nothing here imports torch or Textual.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tutor.machine import locations
from tutor.check.checker import Checker
from tutor.course.fingerprint import course_hash
from tutor.course.manifest import Course, Exercise, Lesson, load_course
from tutor.figures.model import Figure, figures_from_json
from tutor.machine.gpus import CachedReader, Placement, place
from tutor.i18n import LANGS, Notice, Text, detect_lang
from tutor.check.runner import CancelToken, python_executable
from tutor.progress.store import ExerciseProgress, Store
from tutor.check.verdict import Verdict, both
from tutor.progress.workspace import Workspace
from tutor.study import Study, StudyEvent, check_payload, load_study, run_study
from tutor.study.study import stored_study, study_check_timeout
from tutor.study.discussion import read_discussion

UNRECORDED = ("not_started", "cancelled", "setup_error", "unavailable")
"""Verdicts that say nothing about the student's work and are not counted as attempts."""
TORCH_SETTING = "checked_torch"
"""The setting that keeps the torch version the last checked child imported (the hand-in shows it;
the tutor's own process never imports torch to find out)."""



class SolutionLocked(Exception):
    """The solution is shown only after a pass or an explicit give-up."""


@dataclass
class LessonProgress:
    """How far a student is in one lesson."""

    lesson: Lesson
    passed: int
    attempted: int
    total: int
    exercises: list[ExerciseProgress] = field(default_factory=list)


class Tutor:
    """One student's session with one course."""

    def __init__(self, course: Course, workspace: Workspace, store: Store, checker: Checker | None = None,
                 lang: str | None = None, notices: list[Notice] | None = None):
        self.course = course
        self.workspace = workspace
        self.store = store
        self.checker = checker or Checker()
        self.lang = lang or detect_lang()
        self.notices: list[Notice] = list(notices or []) + list(store.notices)
        self.gpu_reader = CachedReader()
        """Reads the GPUs for `auto` placement; kept a few seconds, so a burst of checks asks once."""

    @classmethod
    def open(cls, course: str | Path | None = None, workspace: str | Path | None = None,
             lang: str | None = None, checker: Checker | None = None, warm: bool = False) -> "Tutor":
        """Load everything from the given or default locations (see `tutor.machine.locations`).

        `warm=True` (for long-running front ends: the TUI, `watch`, `dev verify`)
        gives the checker a pre-imported worker, so checks answer in about a
        tenth of a second instead of paying torch's import on every save; it
        starts at `warm_up()` or at the first check.
        """
        if checker is None and warm:
            from tutor.check.warm import WarmRunner, idle_seconds

            # Not started yet: the front end calls `warm_up()` when it suits it
            # (the TUI after its first frame, so torch's import does not slow it).
            # Let go after `DLTUTOR_WARM_IDLE` seconds without a check, back at the next one.
            checker = Checker(runner=WarmRunner(start=False, idle_s=idle_seconds()))
        root, builtin = locations.course_root(course)
        loaded = load_course(root, builtin=builtin)
        ws = Workspace(locations.workspace_root(loaded.id, workspace), loaded)
        store = Store.open(locations.store_path(loaded.id))
        return cls(loaded, ws, store, checker=checker, lang=lang)

    def close(self) -> None:
        """Close the store and stop the warm worker, if any."""
        self.store.close()
        closer = getattr(getattr(self.checker, "runner", None), "close", None)
        if closer is not None:
            closer()

    def warm_up(self) -> None:
        """Start the warm worker now, if the checker has one (it warms up in the background)."""
        start = getattr(getattr(self.checker, "runner", None), "start", None)
        if start is not None:
            start()

    # -- where the student is ----------------------------------------------

    def find(self, query: str) -> Exercise:
        """Resolve a typed exercise id (raises `UnknownExercise` with suggestions)."""
        return self.course.find(query)

    def progress(self, exercise: Exercise) -> ExerciseProgress:
        """The stored progress of one exercise."""
        return self.store.progress(exercise.key)

    def current(self) -> Exercise:
        """The first required exercise not passed yet, in course order (the last one if all passed)."""
        required = [ex for ex in self.course.exercises if not ex.optional] or list(self.course.exercises)
        for ex in required:
            if not self.store.progress(ex.key).passed:
                return ex
        return required[-1]

    def lessons_progress(self) -> list[LessonProgress]:
        """Per-lesson counts of passed and attempted exercises."""
        all_progress = self.store.all_progress()
        out = []
        for lesson in self.course.lessons:
            items = [all_progress.get(ex.key) or self.store.progress(ex.key) for ex in lesson.exercises]
            out.append(LessonProgress(lesson=lesson, passed=sum(p.passed for p in items),
                                      attempted=sum(p.status == "attempted" for p in items),
                                      total=len(items), exercises=items))
        return out

    # -- actions -----------------------------------------------------------

    def prepare(self, exercise: Exercise) -> tuple[Path, bool]:
        """Write the stub if the student has no file yet; returns (path, written_now)."""
        return self.workspace.ensure(exercise)

    def placement(self, exercise: Exercise, device: str | None = "default") -> Placement:
        """Where a check of `exercise` would run for this device choice."""
        return place(None if device in (None, "default") else device, exercise.gpu, reader=self.gpu_reader)

    @functools.cached_property
    def course_hash(self) -> str:
        """The fingerprint of the course's manifest and checks (see `tutor.course.fingerprint`)."""
        return course_hash(self.course)

    def check(self, exercise: Exercise, *, device: str | None = "default", seed: int | None = None,
              cancel: CancelToken | None = None) -> Verdict:
        """Check the student's file and record the attempt (see `UNRECORDED`)."""
        path, written = self.prepare(exercise)
        placed = self.placement(exercise, device)
        extra, timeout = self._study_job(exercise, path, placed, cancel)
        # Only an experiment's check job carries more (checkers written for the plain call keep working).
        more = {"extra": extra, "timeout_s": timeout} if extra is not None else {}
        verdict = self.checker.check(exercise, path, device=placed.device, seed=seed, cancel=cancel,
                                     visible_devices=placed.visible, **more)
        verdict.device = placed.describe(verdict.device)
        if verdict.kind == "no_gpu" and placed.reason == "all_full" and placed.gpu is not None:
            verdict.detail = both("detail.gpus_full", free=f"{placed.gpu.free / 2**20:.0f} MiB")
        if written:
            verdict.detail = both("detail.stub_written", path=path)
        if verdict.kind not in UNRECORDED:
            detail = verdict.to_json()
            figures = detail.pop("figures")  # kept once per exercise, not with every attempt
            # What the attempt was judged against: another pack (same id, other checks) or
            # another interpreter (DLTUTOR_PYTHON) must not pass for this course's.
            detail["course_hash"] = self.course_hash
            detail["python"] = python_executable()
            if not self.store.record_attempt(exercise.key, verdict.kind, verdict.duration_s, verdict.device,
                                             verdict.file_hash, detail=detail):
                # Never dropped silently: both front ends show this with the verdict.
                verdict.unsaved = Notice("store.attempt_unsaved", "warn", {"path": str(self.store.path)})
            if verdict.passed and figures:
                self.store.save_figures(exercise.key, figures, verdict.file_hash, verdict.device)
            if verdict.passed and verdict.source is not None:
                # The hash of the text as checked (what a grader re-runs), not of the raw bytes.
                sha = hashlib.sha256(verdict.source.encode("utf-8")).hexdigest()
                self.store.save_passed_source(exercise.key, verdict.source, sha, verdict.device, self.course_hash)
            if verdict.torch and verdict.torch != self.store.get_setting(TORCH_SETTING):
                self.store.set_setting(TORCH_SETTING, verdict.torch)
        return verdict

    # -- experiments (kind = "experiment", see tutor.study) -----------------

    def _study_job(self, exercise: Exercise, path: Path, placed: Placement,
                   cancel: CancelToken | None) -> tuple[dict | None, float | None]:
        """What an experiment's check child needs: the study as stored, the spec, the discussion."""
        if not exercise.is_experiment:
            return None, None
        from tutor.check.checker import decode_source, is_untouched

        try:
            if is_untouched(decode_source(path.read_bytes()), decode_source(exercise.stub_path.read_bytes())):
                return None, None  # the checker answers "not started" without running anything
        except OSError:
            return None, None
        study = load_study(self.checker, self.store, exercise, path, placed.device, placed.visible, cancel)
        # The checks re-train one setting: its budget, and the checks' own time on top.
        return {"study": check_payload(exercise, study, self.discussion(exercise))}, study_check_timeout(exercise)

    def run_study(self, exercise: Exercise, *, device: str | None = "default",
                  on_event: Callable[[StudyEvent], None] | None = None, cancel: CancelToken | None = None) -> Study:
        """Run the experiment's design: each setting not finished for this code, in its own child."""
        path, _ = self.prepare(exercise)
        placed = self.placement(exercise, device)
        return run_study(self.checker, self.store, exercise, path, placed.device, placed.visible, on_event, cancel)

    def study(self, exercise: Exercise, *, device: str | None = "default") -> Study:
        """The experiment's study from the store only (reads the design in a child; trains nothing)."""
        path, _ = self.prepare(exercise)
        placed = self.placement(exercise, device)
        return load_study(self.checker, self.store, exercise, path, placed.device, placed.visible)

    def stored_study(self, exercise: Exercise) -> Study | None:
        """The latest stored study of an experiment, read from the store only (no child, no file)."""
        return stored_study(self.store, exercise) if exercise.is_experiment else None

    def discussion(self, exercise: Exercise) -> dict:
        """The student's discussion file: {name, path, exists, utf8, text}."""
        return read_discussion(exercise.discussion_path(self.workspace.root))

    def foreign_pass(self, exercise: Exercise) -> bool:
        """True if the exercise's recorded pass was judged by other course content than this pack's."""
        kept = self.store.passed_source(exercise.key)
        return bool(kept and kept.get("course_hash") and kept["course_hash"] != self.course_hash)

    def last_pass_figures(self, exercise: Exercise) -> list[Figure]:
        """The figures of the exercise's last passing run (empty if none were kept)."""
        stored = self.store.figures(exercise.key)
        return figures_from_json(stored[1]) if stored else []

    def hints_shown(self, exercise: Exercise) -> list[Text]:
        """The hints revealed so far, in order."""
        return list(exercise.hints[: self.store.hints_revealed(exercise.key)])

    def next_hint(self, exercise: Exercise) -> tuple[int, Text] | None:
        """Reveal and record the next hint level; None when every level is shown."""
        level = self.store.hints_revealed(exercise.key) + 1
        if level > len(exercise.hints):
            return None
        self.store.record_hint(exercise.key, level)
        return level, exercise.hints[level - 1]

    def all_hints(self, exercise: Exercise) -> list[Text]:
        """Reveal and record every hint level."""
        for level in range(self.store.hints_revealed(exercise.key) + 1, len(exercise.hints) + 1):
            self.store.record_hint(exercise.key, level)
        return list(exercise.hints)

    def solution_available(self, exercise: Exercise) -> bool:
        """True once the exercise was passed or the solution was already revealed."""
        p = self.store.progress(exercise.key)
        return p.passed or p.solution_revealed

    def solution(self, exercise: Exercise, give_up: bool = False) -> str:
        """The reference solution's text, recorded as revealed; raises SolutionLocked before a pass."""
        p = self.store.progress(exercise.key)
        if not (p.passed or p.solution_revealed or give_up):
            raise SolutionLocked(exercise.key)
        reason = "passed" if p.passed else "give_up"
        self.store.record_solution(exercise.key, reason)
        text = exercise.solution_text()
        if text is None:
            raise FileNotFoundError(exercise.solution_path)
        return text

    def reset(self, exercise: Exercise) -> Path | None:
        """Restore the stub, keeping the student's version as a backup (returned)."""
        return self.workspace.reset(exercise)

    # -- saved choices, navigation and summaries (added for the TUI) --------

    def saved_lang(self) -> str | None:
        """The language the student chose in an earlier run; None before the first choice."""
        value = self.store.get_setting("lang")
        return value if value in LANGS else None

    def choose_lang(self, lang: str) -> None:
        """Use `lang` from now on and remember it for later runs."""
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
        self.lang = lang
        self.store.set_setting("lang", lang)

    def resume(self) -> Exercise:
        """Where to continue: the exercise saved by `set_position`, else `current()`."""
        key = self.store.get_setting("current_exercise")
        for ex in self.course.exercises:
            if ex.key == key:
                return ex
        return self.current()

    def set_position(self, exercise: Exercise) -> None:
        """Remember the exercise the student is on, for `resume()`."""
        self.store.set_setting("current_exercise", exercise.key)

    def step(self, exercise: Exercise, offset: int) -> Exercise | None:
        """The exercise `offset` places after (or before) `exercise` in course order; None past either end."""
        order = list(self.course.exercises)
        index = next(i for i, ex in enumerate(order) if ex.key == exercise.key) + offset
        return order[index] if 0 <= index < len(order) else None

    def stuck(self, exercise: Exercise, after: int = 3) -> bool:
        """Whether to offer the next hint: the last `after` (then 2x, 3x ...) recorded
        attempts all failed, the exercise is not passed, and a hint is left."""
        if self.store.hints_revealed(exercise.key) >= len(exercise.hints):
            return False
        run = 0
        for attempt in reversed(self.store.attempts(exercise.key)):
            if attempt.verdict == "passed":
                return False
            run += 1
        return run > 0 and run % after == 0

    def summary(self, lesson: Lesson | None = None) -> dict[str, float]:
        """Figures for a finished lesson (or the whole course): exercises, passed, attempts,
        hints, solutions (seen after giving up) and seconds (summed per exercise, from the
        first recorded check to the first pass)."""
        exercises = lesson.exercises if lesson is not None else self.course.exercises
        items = [self.store.progress(ex.key) for ex in exercises]
        # Required and optional exercises are counted apart, as in `progress` and the report.
        required = [p for ex, p in zip(exercises, items) if not ex.optional]
        optional = [p for ex, p in zip(exercises, items) if ex.optional]
        return {
            "exercises": len(required),
            "passed": sum(p.passed for p in required),
            "optional": len(optional),
            "optional_passed": sum(p.passed for p in optional),
            "attempts": sum(p.attempts for p in items),
            "hints": sum(p.hints_revealed for p in items),
            "solutions": sum(p.solution_reason == "give_up" for p in items),
            "seconds": sum(p.first_pass_at - p.first_attempt_at for p in items
                           if p.first_pass_at is not None and p.first_attempt_at is not None),
        }

    # -- working through the course: run, check --all, next (issue 18) ------

    def run_file(self, exercise: Exercise, *, device: str | None = "default",
                 cancel: CancelToken | None = None) -> Verdict:
        """Run the student's file as `python file.py` would (its `__main__` block included), in a
        child with the same limits as a check, and judge nothing: kind "ran" when it ends cleanly.
        Never recorded as an attempt. (An experiment exercise's study is another command's.)"""
        path, written = self.prepare(exercise)
        placed = self.placement(exercise, device)
        verdict = self.checker.run_file(exercise, path, device=placed.device, cancel=cancel,
                                        visible_devices=placed.visible)
        verdict.device = placed.describe(verdict.device)
        if written:
            verdict.detail = both("detail.stub_written", path=path)
        return verdict

    def check_all(self, *, device: str | None = "default", cancel: CancelToken | None = None,
                  on_result=None) -> list[tuple[Exercise, Verdict]]:
        """Check every exercise in course order, calling `on_result(exercise, verdict)` after each.

        A file the student has not got yet is "not started" without being written (so 50 stubs
        do not appear at once); untouched stubs are answered without running anything."""
        results = []
        for exercise in self.course.exercises:
            if cancel is not None and cancel.cancelled:
                break
            if not self.workspace.path(exercise).is_file():
                verdict = Verdict(kind="not_started", exercise=exercise.key,
                                  detail=both("detail.missing_file", path=self.workspace.path(exercise),
                                              exercise=exercise.key))
            else:
                verdict = self.check(exercise, device=device, cancel=cancel)
            results.append((exercise, verdict))
            if on_result is not None:
                on_result(exercise, verdict)
        return results

    def working_on(self) -> Exercise:
        """What `check`, `hint` and `run` mean without an id: the exercise the student is on
        (`set_position`: the TUI's, `next`'s, `watch`'s) until it is passed, then `current()`."""
        key = self.store.get_setting("current_exercise")
        for ex in self.course.exercises:
            if ex.key == key and not self.store.progress(ex.key).passed:
                return ex
        return self.current()

    def next_unfinished(self, after: Exercise) -> Exercise | None:
        """The first required exercise after `after` (in course order, wrapping round) not passed yet."""
        order = [ex for ex in self.course.exercises if not ex.optional]
        keys = [ex.key for ex in self.course.exercises]
        start = keys.index(after.key)
        later = [ex for ex in order if keys.index(ex.key) > start] + [ex for ex in order if keys.index(ex.key) <= start]
        return next((ex for ex in later if ex.key != after.key and not self.store.progress(ex.key).passed), None)

    def advance(self) -> tuple[Exercise | None, Exercise | None]:
        """`dltutor next`: move from the exercise the student is on to the next unfinished one.

        Returns (the one left, the one moved to); before any position was saved the student is
        "on" nothing and goes to `current()`; the second is None when every required one is passed."""
        key = self.store.get_setting("current_exercise")
        on = next((ex for ex in self.course.exercises if ex.key == key), None)
        if on is None:
            target = self.current()
            target = None if self.store.progress(target.key).passed else target
        else:
            target = self.next_unfinished(on)
        if target is not None:
            self.set_position(target)
        return on, target


def tally(results: list[tuple[Exercise, Verdict]]) -> dict[str, int]:
    """Counts of a `check_all`: required and optional apart, failures apart from exercises
    not started (the same split as `dltutor progress` and the hand-in)."""
    counts = dict(total=0, passed=0, failed=0, not_started=0, opt_total=0, opt_passed=0)
    for ex, verdict in results:
        if ex.optional:
            counts["opt_total"] += 1
            counts["opt_passed"] += verdict.passed
            continue
        counts["total"] += 1
        if verdict.passed:
            counts["passed"] += 1
        elif verdict.kind == "not_started":
            counts["not_started"] += 1
        else:
            counts["failed"] += 1
    return counts

"""The tutor's core, as one object both front ends use (CLI and TUI).

`Tutor.open()` is the app factory: it loads the course, opens the workspace
and the progress store, and collects notices (store moved aside, read-only)
for the front end to show. Every action a student can take is a method here;
the front ends only ask and render. Nothing here imports torch or Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tutor import locations
from tutor.checker import Checker
from tutor.content import Course, Exercise, Lesson, load_course
from tutor.i18n import Notice, Text, detect_lang
from tutor.runner import CancelToken
from tutor.store import ExerciseProgress, Store
from tutor.verdict import Verdict, both
from tutor.workspace import Workspace

UNRECORDED = ("not_started", "cancelled", "setup_error")
"""Verdicts that say nothing about the student's work and are not counted as attempts."""

DEVICES = ("cpu", "cuda", "auto")


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

    @classmethod
    def open(cls, course: str | Path | None = None, workspace: str | Path | None = None,
             lang: str | None = None, checker: Checker | None = None) -> "Tutor":
        """Load everything from the given or default locations (see `tutor.locations`)."""
        root, builtin = locations.course_root(course)
        loaded = load_course(root, builtin=builtin)
        ws = Workspace(locations.workspace_root(loaded.id, workspace), loaded)
        store = Store.open(locations.store_path(loaded.id))
        return cls(loaded, ws, store, checker=checker, lang=lang)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    # -- where the student is ----------------------------------------------

    def find(self, query: str) -> Exercise:
        """Resolve a typed exercise id (raises `UnknownExercise` with suggestions)."""
        return self.course.find(query)

    def progress(self, exercise: Exercise) -> ExerciseProgress:
        """The stored progress of one exercise."""
        return self.store.progress(exercise.key)

    def current(self) -> Exercise:
        """The first exercise not passed yet, in course order (the last one if all passed)."""
        for ex in self.course.exercises:
            if not self.store.progress(ex.key).passed:
                return ex
        return self.course.exercises[-1]

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

    def check(self, exercise: Exercise, *, device: str = "cpu", seed: int | None = None,
              cancel: CancelToken | None = None) -> Verdict:
        """Check the student's file and record the attempt (see `UNRECORDED`)."""
        path, written = self.prepare(exercise)
        verdict = self.checker.check(exercise, path, device=device, seed=seed, cancel=cancel)
        if written:
            verdict.detail = both("detail.stub_written", path=path)
        if verdict.kind not in UNRECORDED:
            self.store.record_attempt(exercise.key, verdict.kind, verdict.duration_s, verdict.device,
                                      verdict.file_hash, detail=verdict.to_json())
        return verdict

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
        return exercise.solution_path.read_text(encoding="utf-8")

    def reset(self, exercise: Exercise) -> Path | None:
        """Restore the stub, keeping the student's version as a backup (returned)."""
        return self.workspace.reset(exercise)

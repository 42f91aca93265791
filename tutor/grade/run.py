"""The class run: read every hand-in, re-check every exercise that carries code, flag, and return a `ClassResult`.

Claims from the hand-ins (status, verdicts, times) are kept beside the
verified results for the instructor to compare, and never used for them.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tutor.course.manifest import Exercise
from tutor.grade.flags import Flag, is_reference_copy, near_duplicates, scan
from tutor.grade.handins import HandIn, read_all
from tutor.grade.tasks import Cache, Task, _course


@dataclass
class StudentResult:
    """One student's row: who, what they claimed, what the re-run found, and the flags."""

    id: str
    name: str
    origin: str
    claims: dict[str, str]
    sources: dict[str, str]
    results: dict[str, dict] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    studies: dict[str, str] = field(default_factory=dict)
    """exercise id -> an experiment's claimed study (JSON text), which its re-check is judged against."""

    def verified(self, exercise: str) -> int | None:
        """1 passed, 0 did not, None: no code handed in for it."""
        if exercise not in self.sources:
            return None
        result = self.results.get(exercise)
        return 1 if result and result.get("kind") == "passed" else 0


@dataclass
class ClassResult:
    """Everything a class run found; grades.csv, grades.json and class.html are written from it."""

    course_id: str
    course_hash: str
    exercises: list[Exercise]
    students: list[StudentResult]
    unreadable: list[HandIn]
    seconds: float = 0.0
    checks_run: int = 0
    checks_cached: int = 0
    backend: str = "local"

    def total(self, student: StudentResult) -> int:
        """Verified passes of required exercises."""
        return sum(student.verified(ex.key) or 0 for ex in self.exercises if not ex.optional)


def grade(handins: list[str], out: Path, course_root: str | None = None, jobs: int = 1,
          scheduler: str | None = None, device: str = "cpu",
          progress: Callable[[int, int], None] | None = None) -> ClassResult:
    """Grade the hand-ins under `handins` with the instructor's course into `out` (cache included)."""
    from tutor.report.build import load_schema

    started = time.monotonic()
    course, chash = _course(course_root)
    hands = read_all(handins, load_schema())
    readable = [h for h in hands if h.problem is None]
    students = _students(readable, course, chash)
    cache = Cache(Path(out) / ".cache", chash)
    seeds = random.SystemRandom()
    todo: list[Task] = []
    result = ClassResult(course.id, chash, list(course.exercises), students, [h for h in hands if h.problem], backend=scheduler or "local")
    by_student = {s.id: s for s in students}
    for st in students:
        for key, source in st.sources.items():
            task = Task(st.id, key, source, seeds.randrange(1, 2**31), study=st.studies.get(key, ""))
            cached = cache.get(task)
            if cached is not None:
                st.results[key] = cached
                result.checks_cached += 1
            else:
                todo.append(task)
    total, finished = len(todo), 0

    def done(task: Task, res: dict) -> None:
        nonlocal finished
        by_student[task.student].results[task.exercise] = res
        cache.put(task, res)
        finished += 1
        if progress:
            progress(finished, total)

    if progress:
        progress(0, total)
    if scheduler:
        from tutor.grade.cluster import run_dask

        run_dask(todo, scheduler, course_root, chash, device, done)
    else:
        from tutor.grade.pool import run_local

        run_local(todo, course_root, chash, device, jobs, done)
    result.checks_run = finished
    _flag(result, course)
    result.seconds = round(time.monotonic() - started, 2)
    return result


def _students(hands: list[HandIn], course, chash: str) -> list[StudentResult]:
    keys = {ex.key for ex in course.exercises}
    students, seen = [], defaultdict(int)
    for hand in hands:
        sid = hand.student_id
        seen[sid] += 1
        if seen[sid] > 1:  # two hand-ins under one id: keep both, told apart
            sid = f"{sid}#{seen[sid]}"
        st = StudentResult(sid, hand.name, hand.origin, dict(hand.claims),
                           {k: v for k, v in hand.sources.items() if k in keys})
        st.studies = {k: v for k, v in hand.studies.items() if k in keys}
        report = hand.report or {}
        theirs = (report.get("course") or {}).get("content_hash")
        if report.get("course", {}).get("id") != course.id:
            st.flags.append(Flag("course_differs", None, f"handed in for course {report.get('course', {}).get('id')!r}"))
        elif theirs and theirs != chash:
            st.flags.append(Flag("course_differs", None, f"checked against other checks ({theirs[:19]}, not {chash[:19]})"))
        interpreter = (report.get("environment") or {}).get("interpreter")
        if interpreter:
            st.flags.append(Flag("other_interpreter", None, f"checked with DLTUTOR_PYTHON={interpreter}"))
        for lesson in report.get("lessons", []):
            for ex in lesson.get("exercises", []):
                if ex.get("status") == "passed" and not ex.get("passed_source") and ex.get("id") in keys:
                    st.flags.append(Flag("no_passed_source", ex["id"], "claimed passed, but no passed source recorded"))
        students.append(st)
    return students


def _flag(result: ClassResult, course) -> None:
    by_ex: dict[str, dict[str, str]] = defaultdict(dict)
    for st in result.students:
        for ex in course.exercises:
            source = st.sources.get(ex.key)
            if source is None:
                continue
            by_ex[ex.key][st.id] = source
            if st.claims.get(ex.key) == "passed" and st.verified(ex.key) == 0:
                st.flags.append(Flag("claimed_but_fails", ex.key, f"claimed passed; re-run: {st.results[ex.key].get('kind')}"))
            reference = ex.solution_text()
            if reference is not None and is_reference_copy(source, reference):
                st.flags.append(Flag("reference_copy", ex.key, "the reference solution, up to comments, layout and names"))
            for line in scan(source):
                st.flags.append(Flag("reaches_into_checker", ex.key, line))
    by_id = {st.id: st for st in result.students}
    for ex in course.exercises:
        stub = ex.stub_path.read_text(encoding="utf-8") if ex.stub_path.is_file() else ""
        for a, b, sim in near_duplicates(by_ex.get(ex.key, {}), boilerplate=stub):
            by_id[a].flags.append(Flag("near_duplicate", ex.key, f"{sim:.0%} like {b}"))
            by_id[b].flags.append(Flag("near_duplicate", ex.key, f"{sim:.0%} like {a}"))

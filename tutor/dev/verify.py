"""`dltutor dev verify`: prove a course pack is whole, like rustlings' `dev check`.

Structure first (manifest, both languages of every text, every derived file
present, a TODO in every stub, no orphan files), then behaviour: every
solution passes on the CPU and every untouched stub does not.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tutor.check.checker import Checker, syntax_error
from tutor.course.manifest import ContentError, Course, Exercise, read_pack_text
from tutor.course.sealed import SEALED_NAME
from tutor.i18n import LANGS

@dataclass(frozen=True)
class Problem:
    """One thing wrong with the course, with where it is."""

    where: str
    what: str


def structure(course: Course) -> list[Problem]:
    """Check files and texts without running anything."""
    problems: list[Problem] = []

    def read(path: Path, where: str) -> str:
        # One clear line naming the file (not UTF-8, too big) rather than a traceback.
        try:
            return read_pack_text(path)
        except ContentError as exc:
            problems.append(Problem(where, str(exc)))
            return ""

    expected: set[Path] = set()
    for lesson in course.lessons:
        for lang in LANGS:
            path = lesson.text_path(lang)
            expected.add(path)
            if not path.is_file():
                problems.append(Problem(lesson.id, f"lesson text missing or empty: {path.relative_to(course.root)}"))
            elif not read(path, lesson.id).strip() and _utf8(path):
                problems.append(Problem(lesson.id, f"lesson text missing or empty: {path.relative_to(course.root)}"))
        for ex in lesson.exercises:
            for kind, path in (("stub", ex.stub_path), ("check", ex.check_path), ("solution", ex.solution_path)):
                expected.add(path)
                sealed = ex.solution_text() if kind == "solution" and not path.is_file() else None
                if not path.is_file() and sealed is None:
                    problems.append(Problem(ex.key, f"{kind} missing: {path.relative_to(course.root)}"))
                    continue
                text = read(path, ex.key) if sealed is None else sealed
                err = syntax_error(text, str(path)) if text else None
                if err:
                    problems.append(Problem(ex.key, f"{kind} has a syntax error: {err.message} (line {err.frames[0]['line'] if err.frames else '?'})"))
            if ex.is_experiment:
                problems += _discussion_files(ex, course, expected, read)
            if ex.stub_path.is_file() and _utf8(ex.stub_path) and "TODO" not in read_pack_text(ex.stub_path):
                problems.append(Problem(ex.key, "stub has no TODO marker"))
            if ex.check_path.is_file() and _utf8(ex.check_path) and "@check" not in read_pack_text(ex.check_path):
                problems.append(Problem(ex.key, "check file declares no @check"))
    for folder in ("lessons", "checks", "solutions"):
        base = course.root / folder
        if not base.is_dir():
            if folder == "solutions" and (course.root / SEALED_NAME).is_file():
                continue  # the installed package's solutions, sealed (tutor.course.sealed)
            problems.append(Problem(folder, "folder missing"))
            continue
        for path in sorted(base.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            if path not in expected and not _is_asset(path, course.root, {lesson.id for lesson in course.lessons}):
                problems.append(Problem(str(path.relative_to(course.root)), "orphan file: no manifest entry derives this path"))
    return problems


def _discussion_files(ex: Exercise, course: Course, expected: set[Path], read) -> list[Problem]:
    """An experiment's discussion template (beside the stub) and reference discussion must exist,
    be UTF-8 and not empty; the reference must be long enough for the experiment's own rule."""
    problems: list[Problem] = []
    for kind, path in (("discussion template", ex.discussion_stub_path), ("reference discussion", ex.discussion_solution_path)):
        expected.add(path)
        if not path.is_file():
            text = ex.discussion_solution_text() if kind == "reference discussion" else None
            if text is None:  # an installed package seals the reference discussions with the solutions
                problems.append(Problem(ex.key, f"{kind} missing: {path.relative_to(course.root)}"))
                continue
        else:
            text = read(path, ex.key)
        if not text.strip() and (not path.is_file() or _utf8(path)):
            problems.append(Problem(ex.key, f"{kind} is empty: {path.relative_to(course.root)}"))
        minimum = ex.study.discussion_min_chars if ex.study else 0
        if kind == "reference discussion" and text and len("".join(text.split())) < minimum:
            problems.append(Problem(ex.key, f"{kind} is shorter than the experiment's discussion_min_chars ({minimum})"))
    return problems


def _is_asset(path: Path, root: Path, lessons: set[str]) -> bool:
    # Lesson folders may carry pictures and data for the lesson text, a
    # lesson's checks may share helper modules named checks/<lesson>/_*.py,
    # and checks/equivalent-mutants.toml lists the mutants `dev mutate` may pass.
    rel = path.relative_to(root).parts
    if rel == ("checks", "equivalent-mutants.toml"):  # `dev mutate`'s reviewed list
        return True
    if len(rel) >= 4 and rel[0] == "lessons" and rel[1] in lessons and rel[2] == "assets":
        return True
    return len(rel) == 3 and rel[0] == "checks" and rel[1] in lessons and rel[2].startswith("_") and rel[2].endswith(".py")


def behaviour(course: Course, checker: Checker, report: Callable[[str, str, str], None] | None = None,
              studies: bool = True) -> list[Problem]:
    """Run every solution (must pass) and every untouched stub (must not) on the CPU.

    An experiment's solution is its whole reference study (minutes on 2 CPU cores);
    `studies=False` runs only its stub."""
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="dltutor-verify-") as tmp:
        for ex in course.exercises:
            problems += _run_exercise(ex, checker, report, Path(tmp), studies)
    return problems


def _run_exercise(ex: Exercise, checker: Checker, report, tmp: Path, studies: bool = True) -> list[Problem]:
    """The solution (must pass) and the untouched stub (must not) of one exercise."""
    if ex.is_experiment:
        from tutor.dev.verify_study import run_experiment

        return [Problem(ex.key, what) for what in run_experiment(ex, checker, report, tmp, solution=studies)]
    problems: list[Problem] = []
    solution = ex.solution_path
    if not solution.is_file() and ex.solution_text() is not None:
        # The installed package's solutions are sealed (tutor.course.sealed): run a copy.
        solution = tmp / ex.lesson_id / f"{ex.id}.py"
        solution.parent.mkdir(parents=True, exist_ok=True)
        solution.write_text(ex.solution_text(), encoding="utf-8")
    for kind, path, want_pass in (("solution", solution, True), ("stub", ex.stub_path, False)):
        if not path.is_file() or not ex.check_path.is_file():
            continue
        verdict = checker.check(ex, path, device="cpu", force_run=True)
        if report:
            report(ex.key, kind, verdict.kind)
        if ex.optional and want_pass and verdict.kind == "unavailable":
            continue  # an optional exercise may be unavailable here (no network, say)
        if ex.gpu and want_pass and verdict.kind == "no_gpu":
            continue  # a GPU exercise says "needs a GPU" on a CPU-only machine, never passes
        missing = [f for f in ex.figures if f not in {fig.id for fig in verdict.figures}]
        if want_pass and verdict.passed and missing:
            problems.append(Problem(ex.key, f"solution passed but drew no figure {', '.join(missing)}"))
        if verdict.passed != want_pass:
            detail = "; ".join(f"{c.id}: {c.status}" + (f" ({c.message.en})" if c.message else "") for c in verdict.checks)
            if verdict.detail:
                detail = f"{verdict.detail.en} {detail}"
            if verdict.error:
                detail += f" {verdict.error.exc_type}: {verdict.error.message}"
            expectation = "should pass" if want_pass else "should not pass untouched"
            problems.append(Problem(ex.key, f"{kind} {expectation} but got {verdict.kind}: {detail}".strip()))
    return problems


def _utf8(path: Path) -> bool:
    """True if the file reads as a pack file (its problem, if any, was named once already)."""
    try:
        read_pack_text(path)
        return True
    except ContentError:
        return False

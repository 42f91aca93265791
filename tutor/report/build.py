"""`dltutor report`: the facts of a student's progress, as one JSON-ready dict.

The same facts feed the HTML and Markdown files (`tutor.report.html`) and the
`--json` export, whose format is `tutor/report/schemas/report.schema.json` (version
2). It is the student's hand-in: who they are, which course (with the
fingerprint of its checks), which tools, and per exercise the exact source of
its last pass (kept in the store at the moment of the pass) and the file as it
is now. Everything in it is a claim: it comes from the student's own files, so
`dltutor grade` re-runs the sources with the instructor's course and trusts
nothing else.
"""

from __future__ import annotations

import getpass
import hashlib
import importlib.metadata
import json
import os
import platform
import time
from datetime import datetime
from pathlib import Path

from tutor import __version__
from tutor.course.manifest import Exercise
from tutor.report.study import experiment_facts
from tutor.session import TORCH_SETTING, Tutor

REPORT_VERSION = 2
SCHEMA_PATH = Path(__file__).with_name("schemas") / "report.schema.json"
MAX_FILE_CHARS = 200_000
"""A workspace file longer than this is cut in the report (and says so)."""


def _iso(ts: float | None) -> str | None:
    """A time in the local time zone, with its offset (e.g. 2026-12-02T19:04:05+09:00)."""
    return None if ts is None else datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def environment(tutor: Tutor) -> dict:
    """The tools behind the hand-in, without importing torch in the tutor's process.

    torch's version is the one the last checked child imported (kept in the
    store); before any check, that of this Python's installed torch (its
    metadata), unless `DLTUTOR_PYTHON` names another interpreter (then null).
    """
    interpreter = os.environ.get("DLTUTOR_PYTHON") or None
    torch = tutor.store.get_setting(TORCH_SETTING)
    if not torch and interpreter is None:
        try:
            torch = importlib.metadata.version("torch")
        except importlib.metadata.PackageNotFoundError:
            torch = None
    return {"tutor": __version__, "python": platform.python_version(), "torch": torch or None,
            "interpreter": interpreter, "platform": f"{platform.system()} {platform.machine()}"}


def build_report(tutor: Tutor, student: str | None = None, now: float | None = None,
                 student_id: str | None = None) -> dict:
    """Everything the report shows, as plain data (see the schema)."""
    lessons = []
    for lp in tutor.lessons_progress():
        exercises = [_exercise(tutor, ex) for ex in lp.lesson.exercises]
        lessons.append({
            "id": lp.lesson.id, "number": lp.lesson.number, "title": lp.lesson.title.to_json(),
            "passed": sum(e["status"] == "passed" for e in exercises), "total": len(exercises),
            "exercises": exercises,
        })
    required = [e for lesson in lessons for e in lesson["exercises"] if not e["optional"]]
    optional = [e for lesson in lessons for e in lesson["exercises"] if e["optional"]]
    return {
        "report_version": REPORT_VERSION,
        "generated_at": _iso(time.time() if now is None else now),
        "tool": {"name": "dltutor", "version": __version__},
        "student": {"id": student_id, "name": student, "login": getpass.getuser()},
        "lang": tutor.lang,
        "course": {"id": tutor.course.id, "title": tutor.course.title.to_json(), "content_hash": tutor.course_hash},
        "environment": environment(tutor),
        "totals": {
            "exercises": len(required), "passed": sum(e["status"] == "passed" for e in required),
            "optional": len(optional), "optional_passed": sum(e["status"] == "passed" for e in optional),
            "attempts": sum(e["attempts"] for lesson in lessons for e in lesson["exercises"]),
            "hints": sum(e["hints_revealed"] for lesson in lessons for e in lesson["exercises"]),
            "solutions_revealed": sum(e["solution_revealed"] for lesson in lessons for e in lesson["exercises"]),
        },
        "lessons": lessons,
    }


def _exercise(tutor: Tutor, ex: Exercise) -> dict:
    p = tutor.store.progress(ex.key)
    attempts = tutor.store.attempts(ex.key)
    passes = [a for a in attempts if a.verdict == "passed"]
    last_pass = passes[-1] if passes else None
    shown = last_pass or (attempts[-1] if attempts else None)
    figures = [f.to_json() for f in tutor.last_pass_figures(ex)]
    return {
        "id": ex.key, "short": ex.short, "title": ex.title.to_json(), "optional": ex.optional, "gpu": ex.gpu,
        "status": p.status, "attempts": p.attempts,
        "first_attempt_at": _iso(p.first_attempt_at), "first_pass_at": _iso(p.first_pass_at),
        "seconds_to_pass": None if p.first_pass_at is None or p.first_attempt_at is None
        else round(p.first_pass_at - p.first_attempt_at, 1),
        "last_verdict": p.last_verdict,
        "hints_revealed": p.hints_revealed, "hints_total": len(ex.hints),
        "solution_revealed": p.solution_revealed, "solution_reason": p.solution_reason,
        "device": shown.device if shown else None,
        "file": _file(tutor.workspace.path(ex), last_pass.file_hash if last_pass else None),
        "passed_source": _passed_source(tutor.store.passed_source(ex.key)),
        "figures": figures,
        **({"experiment": experiment_facts(tutor, ex)} if ex.is_experiment else {}),
    }


def _passed_source(row: dict | None) -> dict | None:
    """The source of the last pass as the store kept it (None: never passed, or passed before the store kept sources).

    Never cut: it is what `dltutor grade` re-runs, and its sha256 is of this very text.
    """
    if row is None:
        return None
    return {"content": row["source"], "sha256": row["sha256"], "at": _iso(row["at"]),
            "device": row["device"], "course_hash": row["course_hash"]}


def _file(path: Path, passed_hash: str | None) -> dict:
    """The student's file as it is now, and whether it is the version that passed."""
    try:
        data = path.read_bytes()
    except OSError:
        return {"path": str(path), "exists": False, "content": None, "truncated": False,
                "sha256": None, "same_as_passed": None}
    digest = hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8", errors="replace")
    return {"path": str(path), "exists": True, "content": text[:MAX_FILE_CHARS], "truncated": len(text) > MAX_FILE_CHARS,
            "sha256": digest, "same_as_passed": None if passed_hash is None else passed_hash in (digest, f"sha256:{digest}")}


def load_schema() -> dict:
    """The JSON Schema of the report (for instructors' tools and the tests)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

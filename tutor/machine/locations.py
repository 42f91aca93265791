"""Every place on disk the tutor uses, in one module, each overridable.

Environment variables (and the matching CLI options) win over defaults, so
tests and instructors can point the tutor anywhere:

* `DLTUTOR_COURSE`     course root (default: the built-in course)
* `DLTUTOR_WORKSPACE`  where stubs are written (default: ~/dltutor)
* `DLTUTOR_STATE_DIR`  where progress stores live (default: platformdirs' user state dir)
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "dltutor"
BUILTIN_COURSE_ID = "dltutor"


def builtin_course_root() -> Path:
    """The course shipped with the package.

    In a wheel it lives in `tutor/_course/`; in a source checkout (editable
    install, running the tests) it is the repository root next to `tutor/`.
    """
    here = Path(__file__).resolve().parents[1]  # the tutor/ package folder
    packaged = here / "_course"
    if (packaged / "course.toml").is_file():
        return packaged
    return here.parent


def course_root(explicit: str | os.PathLike | None = None) -> tuple[Path, bool]:
    """The course root to load and whether it is the built-in one."""
    chosen = explicit or os.environ.get("DLTUTOR_COURSE")
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return root, root == builtin_course_root().resolve()
    return builtin_course_root(), True


def workspace_root(course_id: str, explicit: str | os.PathLike | None = None) -> Path:
    """The student's workspace for a course.

    The built-in course uses `~/dltutor`; another course pack gets its own
    `~/dltutor-<course id>` so that two courses never share files.
    """
    chosen = explicit or os.environ.get("DLTUTOR_WORKSPACE")
    if chosen:
        return Path(chosen).expanduser().resolve()
    name = APP_NAME if course_id == BUILTIN_COURSE_ID else f"{APP_NAME}-{course_id}"
    return Path.home() / name


def state_dir() -> Path:
    """Where progress stores are kept (user state dir unless overridden)."""
    chosen = os.environ.get("DLTUTOR_STATE_DIR")
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def store_path(course_id: str) -> Path:
    """The progress store of one course: one SQLite file per course id."""
    return state_dir() / f"progress-{course_id}.sqlite3"

"""Shared fixtures for the whole test suite.

Everything here is general-purpose; add new fixtures with a docstring that
says what they give and what they cost (a fixture that starts processes or
imports torch must say so).

* `isolated_env` (autouse): every test runs with its own state dir, workspace
  and home, and English messages, so no test reads or writes the real ones.
* `minicourse_root` / `minicourse`: the tiny course pack in
  `tests/fixtures/minicourse` (its path, and the loaded `Course`).
* `student_file`: a factory that writes a student's file into the test's tmp dir.
* `checker`: a `Checker` with the default `ColdRunner` (real child processes).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

from tutor.check.checker import Checker
from tutor.course.manifest import Course, load_course

TESTS_DIR = Path(__file__).resolve().parent
MINICOURSE_ROOT = TESTS_DIR / "fixtures" / "minicourse"
"""The fixture course pack: lessons `basics` (1.1 `01-add`) and `training` (2.1 `01-fit`)."""


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point every place the tutor writes to at fresh folders under `tmp_path`.

    Sets `DLTUTOR_STATE_DIR` (progress stores), `DLTUTOR_WORKSPACE` (student
    files), `HOME` (anything that falls back to `~`) and `DLTUTOR_LANG=en`
    (messages in English, so tests can match text), and removes
    `DLTUTOR_COURSE` so the course is only what a test asks for. The folders
    are not created; code under test must create what it needs. Returns the
    paths by name ("state", "workspace", "home") for tests that look inside.
    Child processes started by the runner inherit this environment.
    """
    paths = {name: tmp_path / f"env-{name}" for name in ("state", "workspace", "home")}
    monkeypatch.setenv("DLTUTOR_STATE_DIR", str(paths["state"]))
    monkeypatch.setenv("DLTUTOR_WORKSPACE", str(paths["workspace"]))
    monkeypatch.setenv("HOME", str(paths["home"]))
    monkeypatch.setenv("DLTUTOR_LANG", "en")
    monkeypatch.delenv("DLTUTOR_COURSE", raising=False)
    return paths


@pytest.fixture(scope="session")
def minicourse_root() -> Path:
    """The path of the fixture course pack (read-only: copy it before changing anything)."""
    return MINICOURSE_ROOT


@pytest.fixture(scope="session")
def minicourse(minicourse_root: Path) -> Course:
    """The fixture course pack, loaded with `tutor.course.manifest.load_course` (cheap, no torch)."""
    return load_course(minicourse_root)


@pytest.fixture
def student_file(tmp_path: Path) -> Callable[..., Path]:
    """A factory: `student_file(text, name="student.py") -> Path`.

    Writes a student's file under `tmp_path / "student"`. `str` text is
    dedented (so tests can write indented triple-quoted code) and written as
    UTF-8; `bytes` are written unchanged (invalid UTF-8, odd line endings).
    Calling it again with the same name overwrites the file.
    """
    folder = tmp_path / "student"

    def write(text: str | bytes, name: str = "student.py") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def checker() -> Checker:
    """A `Checker` with the real `ColdRunner`: each `check` starts a fresh Python (~1-3 s)."""
    return Checker()

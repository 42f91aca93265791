"""The student's workspace: stub files written when first needed, never overwritten.

Layout: `<workspace>/<lesson>/<exercise>.py`, a README that says what the
folder is, and `.backup/` where `reset` keeps the student's versions. All
writes go through a temp file and `os.replace`, so a crash never leaves half a
file, and a symlink planted at a target path is replaced, never written through.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from tutor.course.manifest import Course, Exercise
from tutor.i18n import tr

README_NAME = "README.md"
BACKUP_DIR = ".backup"


class WorkspaceError(Exception):
    """The workspace cannot be used (unwritable, not a folder); `key` names the message."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self, lang: str) -> str:
        """The problem as a sentence in `lang`."""
        return tr(self.key, lang, **self.params)


def _private_dir(path: Path) -> None:
    """Create `path` and any missing parents as 0700 (mkdir's mode skips parents)."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a private temp file in the same folder, then rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class Workspace:
    """The folder where a course's stubs are written and the student edits them."""

    def __init__(self, root: Path, course: Course):
        self.root = Path(root)
        self.course = course

    def path(self, exercise: Exercise) -> Path:
        """The student's file for `exercise`."""
        return exercise.workspace_path(self.root)

    def ensure(self, exercise: Exercise) -> tuple[Path, bool]:
        """Make sure the student's file exists; returns (path, written_now).

        An existing file, edited or not, is never touched.
        """
        path = self.path(exercise)
        if exercise.is_experiment:
            self._ensure_discussion(exercise)
        if path.exists() or path.is_symlink():
            return path, False
        try:
            _private_dir(self.root)
            self._write_readme()
            _private_dir(path.parent)
            _atomic_write(path, exercise.stub_path.read_bytes())
        except OSError as exc:
            raise WorkspaceError("workspace.unwritable", path=path, reason=exc.strerror or exc) from exc
        return path, True

    def _ensure_discussion(self, exercise: Exercise) -> None:
        """An experiment's discussion template beside its file, once (never over the student's)."""
        target = exercise.discussion_path(self.root)
        if target.exists() or target.is_symlink() or not exercise.discussion_stub_path.is_file():
            return
        try:
            _private_dir(self.root)
            _private_dir(target.parent)
            _atomic_write(target, exercise.discussion_stub_path.read_bytes())
        except OSError as exc:
            raise WorkspaceError("workspace.unwritable", path=target, reason=exc.strerror or exc) from exc

    def reset(self, exercise: Exercise) -> Path | None:
        """Put the stub back; the student's current version is kept first. Returns the backup."""
        path = self.path(exercise)
        backup = None
        try:
            if path.is_symlink() or path.exists():
                backup = self._backup_path(exercise)
                _private_dir(backup.parent)
                # Move, never copy through: a planted symlink is moved as a link.
                os.replace(path, backup)
            _private_dir(path.parent)
            _atomic_write(path, exercise.stub_path.read_bytes())
        except OSError as exc:
            raise WorkspaceError("workspace.unwritable", path=path, reason=exc.strerror or exc) from exc
        return backup

    def backups(self, exercise: Exercise) -> list[Path]:
        """The kept versions of an exercise, oldest first."""
        folder = self.root / BACKUP_DIR / exercise.lesson_id
        return sorted(folder.glob(f"{exercise.id}.*.py")) if folder.is_dir() else []

    def _backup_path(self, exercise: Exercise) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = self.root / BACKUP_DIR / exercise.lesson_id
        candidate = folder / f"{exercise.id}.{stamp}.py"
        n = 1
        while candidate.exists() or candidate.is_symlink():
            n += 1
            candidate = folder / f"{exercise.id}.{stamp}-{n}.py"
        return candidate

    def _write_readme(self) -> None:
        readme = self.root / README_NAME
        if readme.exists() or readme.is_symlink():
            return
        lines = [
            f"# {self.course.title.ja} / {self.course.title.en}", "",
            tr("workspace.readme", "ja"), "",
            tr("workspace.readme", "en"), "",
        ]
        for lesson in self.course.lessons:
            lines.append(f"## {lesson.number}. {lesson.title.ja} / {lesson.title.en}")
            for ex in lesson.exercises:
                lines.append(f"- `{ex.lesson_id}/{ex.id}.py` ({ex.short}): {ex.title.ja} / {ex.title.en}"
                             f" — `dltutor check {ex.short}`")
            lines.append("")
        _atomic_write(readme, "\n".join(lines).encode("utf-8"))

"""The workspace: stubs written once, never overwritten; reset keeps a backup; no symlink is written through."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tutor.course.manifest import load_course
from tutor.progress.workspace import Workspace, WorkspaceError

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
EX = COURSE.find("1.1")


def test_stub_written_once_and_never_overwritten(tmp_path):
    ws = Workspace(tmp_path / "ws", COURSE)
    path, written = ws.ensure(EX)
    assert written and path.read_bytes() == EX.stub_path.read_bytes()
    path.write_text("# my edit\n")
    again, written = ws.ensure(EX)
    assert again == path and not written and path.read_text() == "# my edit\n"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_readme_explains_the_folder_in_both_languages(tmp_path):
    ws = Workspace(tmp_path / "ws", COURSE)
    ws.ensure(EX)
    readme = (tmp_path / "ws/README.md").read_text(encoding="utf-8")
    assert "作業フォルダ" in readme and "workspace" in readme
    assert "dltutor check 1.1" in readme and "tensors/01-create.py" in readme


def test_reset_keeps_every_version(tmp_path):
    ws = Workspace(tmp_path / "ws", COURSE)
    path, _ = ws.ensure(EX)
    path.write_text("v1\n")
    first = ws.reset(EX)
    path.write_text("v2\n")
    second = ws.reset(EX)
    assert first != second and first.read_text() == "v1\n" and second.read_text() == "v2\n"
    assert ws.backups(EX) == sorted([first, second])
    assert path.read_bytes() == EX.stub_path.read_bytes()


def test_reset_of_a_missing_file_just_writes_the_stub(tmp_path):
    ws = Workspace(tmp_path / "ws", COURSE)
    assert ws.reset(EX) is None
    assert ws.path(EX).read_bytes() == EX.stub_path.read_bytes()


def test_files_are_private(tmp_path):
    ws = Workspace(tmp_path / "ws", COURSE)
    old = os.umask(0o022)
    try:
        path, _ = ws.ensure(EX)
        path.write_text("x")
        backup = ws.reset(EX)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.stat().st_mode) in (0o600, 0o644)  # the student's own file, moved as it was
    assert stat.S_IMODE((tmp_path / "ws").stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "ws/.backup").stat().st_mode) == 0o700


def test_planted_symlink_is_never_written_through(tmp_path):
    victim = tmp_path / "bashrc"
    victim.write_text("important\n")
    ws = Workspace(tmp_path / "ws", COURSE)
    path, _ = ws.ensure(EX)
    path.unlink()
    path.symlink_to(victim)
    ws.reset(EX)
    assert victim.read_text() == "important\n"
    assert not path.is_symlink() and path.read_bytes() == EX.stub_path.read_bytes()
    assert ws.backups(EX)[0].is_symlink()


def test_unwritable_workspace_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    ws = Workspace(blocker / "ws", COURSE)
    try:
        ws.ensure(EX)
    except WorkspaceError as exc:
        assert "not writable" in exc.render("en") and "書き込めません" in exc.render("ja")
    else:
        raise AssertionError("expected WorkspaceError")

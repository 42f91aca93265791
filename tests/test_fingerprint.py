"""A course pack's fingerprint: the same files give the same hash anywhere; a changed check changes it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tutor.course.fingerprint import course_hash
from tutor.course.manifest import load_course

MINI = Path(__file__).resolve().parent / "fixtures" / "minicourse"


def _copy(tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copytree(MINI, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_a_copy_elsewhere_has_the_same_fingerprint(tmp_path):
    a = course_hash(load_course(MINI))
    assert a.startswith("sha256:") and len(a) == 7 + 64
    assert course_hash(load_course(_copy(tmp_path, "elsewhere"))) == a


def test_an_emptied_check_changes_the_fingerprint(tmp_path):
    root = _copy(tmp_path, "forged")
    before = course_hash(load_course(root))
    check = root / "checks" / "basics" / "01-add.py"
    check.write_text("from tutor.checkkit import check\n", encoding="utf-8")
    assert course_hash(load_course(root)) != before


def test_a_lesson_text_does_not_change_it_but_the_manifest_does(tmp_path):
    root = _copy(tmp_path, "texts")
    before = course_hash(load_course(root))
    (root / "lessons" / "basics" / "en.md").write_text("Reworded.\n", encoding="utf-8")
    assert course_hash(load_course(root)) == before
    manifest = root / "course.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("timeout = 3", "timeout = 4"), encoding="utf-8")
    assert course_hash(load_course(root)) != before

"""The course as data: manifest parsing, derived paths, typed ids, dev verify's structure pass."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from tutor.course.manifest import ContentError, UnknownExercise, load_course
from tutor.dev.verify import structure

ROOT = Path(__file__).resolve().parent.parent

MANIFEST = """
format_version = 1
id = "pack"
title.ja = "テスト用コース"
title.en = "Test course"

[[lessons]]
id = "alpha"
title.ja = "アルファ"
title.en = "Alpha"

[[lessons.exercises]]
id = "01-one"
title.ja = "一つめ"
title.en = "One"
timeout = 5
[[lessons.exercises.hints]]
ja = "ヒント1"
en = "hint 1"
[[lessons.exercises.hints]]
ja = "ヒント2"
en = "hint 2"
"""


def make_pack(tmp_path: Path, manifest: str = MANIFEST) -> Path:
    """Write a one-exercise course pack with every derived file present."""
    root = tmp_path / "pack"
    (root / "lessons" / "alpha").mkdir(parents=True)
    (root / "checks" / "alpha").mkdir(parents=True)
    (root / "solutions" / "alpha").mkdir(parents=True)
    (root / "course.toml").write_text(textwrap.dedent(manifest), encoding="utf-8")
    (root / "lessons" / "alpha" / "ja.md").write_text("# アルファ\n", encoding="utf-8")
    (root / "lessons" / "alpha" / "en.md").write_text("# Alpha\n", encoding="utf-8")
    (root / "lessons" / "alpha" / "01-one.py").write_text("def f():\n    # TODO\n    raise NotImplementedError\n")
    (root / "checks" / "alpha" / "01-one.py").write_text(
        "from tutor.checkkit import check\n\n@check(ja='f は 1', en='f is 1')\ndef one(t):\n    t.equal(t.call('f'), 1, name='f()')\n")
    (root / "solutions" / "alpha" / "01-one.py").write_text("def f():\n    return 1\n")
    return root


def test_builtin_course_loads_in_order():
    course = load_course(ROOT)
    assert course.id == "dltutor"
    assert course.lessons[0].id == "tensors"
    assert [ex.number for ex in course.lessons[0].exercises][:2] == [(1, 1), (1, 2)]
    for ex in course.exercises:
        assert ex.title.ja and ex.title.en and len(ex.hints) >= 2
        assert all(h.ja and h.en for h in ex.hints)


def test_paths_are_derived_from_ids(tmp_path):
    course = load_course(make_pack(tmp_path))
    ex = course.find("alpha/01-one")
    assert ex.stub_path == course.root / "lessons/alpha/01-one.py"
    assert ex.check_path == course.root / "checks/alpha/01-one.py"
    assert ex.solution_path == course.root / "solutions/alpha/01-one.py"
    assert ex.workspace_path(tmp_path / "ws") == tmp_path / "ws/alpha/01-one.py"
    assert course.lessons[0].text_path("ja") == course.root / "lessons/alpha/ja.md"
    assert "アルファ" in course.lessons[0].text("ja")


@pytest.mark.parametrize("query", ["alpha/01-one", "1.1", "01-one", "alpha/01", "alpha/01-one.py", " 1.1 "])
def test_short_forms(tmp_path, query):
    assert load_course(make_pack(tmp_path)).find(query).key == "alpha/01-one"


def test_typo_suggests_the_closest_id():
    course = load_course(ROOT)
    with pytest.raises(UnknownExercise) as info:
        course.find("tensor/01-create")
    assert info.value.suggestions[0] == "tensors/01-create"
    with pytest.raises(UnknownExercise):
        course.find("9.9")


@pytest.mark.parametrize("bad, message", [
    (MANIFEST.replace("format_version = 1", "format_version = 7"), "format_version"),
    (MANIFEST.replace('id = "01-one"', 'id = "01 One"'), "id"),
    (MANIFEST.replace('en = "hint 2"', 'en = ""'), "hint"),
    (MANIFEST.replace("timeout = 5", "timeout = -1"), "timeout"),
    (MANIFEST.replace('title.en = "One"', ""), "title"),
    (MANIFEST + "\n[[lessons]]\nid = \"alpha\"\ntitle.ja = \"x\"\ntitle.en = \"x\"\n", "used twice"),
    ("this is = = not toml", "course.toml"),
])
def test_malformed_manifest_is_a_clear_error(tmp_path, bad, message):
    root = make_pack(tmp_path, bad)
    with pytest.raises(ContentError, match=message):
        load_course(root)


def test_missing_manifest(tmp_path):
    with pytest.raises(ContentError, match="no course.toml"):
        load_course(tmp_path)


def test_structure_of_a_whole_pack_is_clean(tmp_path):
    assert structure(load_course(make_pack(tmp_path))) == []


def test_structure_finds_missing_files_languages_orphans_and_todo(tmp_path):
    root = make_pack(tmp_path)
    (root / "lessons/alpha/en.md").unlink()
    (root / "solutions/alpha/01-one.py").unlink()
    (root / "lessons/alpha/01-one.py").write_text("def f():\n    raise NotImplementedError\n")
    (root / "checks/alpha/02-stray.py").write_text("x = 1\n")
    found = "\n".join(f"{p.where}: {p.what}" for p in structure(load_course(root)))
    assert "lesson text missing" in found and "en.md" in found
    assert "solution missing" in found
    assert "no TODO" in found
    assert "orphan file" in found and "02-stray.py" in found


def test_adding_an_exercise_is_adding_files(tmp_path):
    """A new exercise needs a manifest entry and its files, and no code change."""
    root = make_pack(tmp_path)
    extra = MANIFEST.split("[[lessons.exercises]]", 1)[1].replace("01-one", "02-two")
    (root / "course.toml").write_text(MANIFEST + "\n[[lessons.exercises]]" + extra, encoding="utf-8")
    for folder in ("lessons", "checks", "solutions"):
        shutil.copy(root / folder / "alpha/01-one.py", root / folder / "alpha/02-two.py")
    course = load_course(root)
    assert [ex.key for ex in course.exercises] == ["alpha/01-one", "alpha/02-two"]
    assert course.find("1.2").key == "alpha/02-two"
    assert structure(course) == []


def test_lesson_helper_modules_are_allowed_and_importable(tmp_path):
    """checks/<lesson>/_*.py are a lesson's shared helpers, not orphans; elsewhere they are."""
    from tutor.check.checker import Checker

    root = make_pack(tmp_path)
    (root / "checks/alpha/_shared.py").write_text("ONE = 1\n")
    (root / "checks/alpha/01-one.py").write_text(
        "from tutor.checkkit import check\nfrom _shared import ONE\n\n"
        "@check(ja='f は 1', en='f is 1')\ndef one(t):\n    t.equal(t.call('f'), ONE, name='f()')\n")
    course = load_course(root)
    assert structure(course) == []
    ex = course.find("1.1")
    assert Checker().check(ex, ex.solution_path).passed
    (root / "checks/_stray.py").write_text("x = 1\n")
    (root / "lessons/alpha/_helper.py").write_text("x = 1\n")
    found = "\n".join(p.where for p in structure(load_course(root)))
    assert "checks/_stray.py" in found and "lessons/alpha/_helper.py" in found


def test_optional_exercise_may_be_unavailable(tmp_path, monkeypatch):
    """An optional exercise whose check raises Unavailable: its own verdict, never a pass,
    accepted by dev verify, and skipped when choosing the student's next exercise."""
    from tutor.check.checker import Checker
    from tutor.dev.verify import behaviour

    extra = MANIFEST.split("[[lessons.exercises]]", 1)[1].replace("01-one", "02-extra").replace("timeout = 5", "timeout = 5\noptional = true")
    root = make_pack(tmp_path)
    (root / "course.toml").write_text(MANIFEST + "\n[[lessons.exercises]]" + extra, encoding="utf-8")
    for folder in ("lessons", "solutions"):
        (root / folder / "alpha/02-extra.py").write_text((root / folder / "alpha/01-one.py").read_text())
    (root / "checks/alpha/02-extra.py").write_text(
        "from tutor.checkkit import Unavailable, check\n\n@check(ja='データ', en='data')\ndef data(t):\n"
        "    raise Unavailable(ja='ネットワークがありません', en='no network here')\n")
    course = load_course(root)
    ex = course.find("1.2")
    assert ex.optional and not course.find("1.1").optional
    verdict = Checker().check(ex, ex.solution_path)
    assert verdict.kind == "unavailable" and not verdict.passed
    assert verdict.detail.en == "no network here" and verdict.checks[0].status == "unavailable"
    assert behaviour(course, Checker()) == []
    monkeypatch.setenv("DLTUTOR_STATE_DIR", str(tmp_path / "st"))
    monkeypatch.setenv("DLTUTOR_WORKSPACE", str(tmp_path / "ws"))
    from tutor.session import Tutor

    tutor = Tutor.open(course=root)
    try:
        tutor.prepare(course.find("1.1"))
        import shutil
        shutil.copy(course.find("1.1").solution_path, tutor.workspace.path(course.find("1.1")))
        assert tutor.check(course.find("1.1")).passed
        assert tutor.current().key == "alpha/01-one"  # the last one stays; the optional one is not next
        tutor.prepare(ex)
        shutil.copy(ex.solution_path, tutor.workspace.path(ex))
        assert tutor.check(ex).kind == "unavailable" and tutor.progress(ex).attempts == 0
    finally:
        tutor.close()

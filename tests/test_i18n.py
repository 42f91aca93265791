"""Every text exists in Japanese and English, and the Japanese follows the glossary."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tutor.course.manifest import load_course
from tutor.i18n import LANGS, Text, catalogue, detect_lang, tr

ROOT = Path(__file__).resolve().parent.parent
JAPANESE = re.compile(r"[\u3001-\u303f\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]")  # kana, kanji, Japanese punctuation
# Terms the glossary replaces (GLOSSARY-ja.md): the left form must not appear.
AVOID = {"誤差逆伝搬": "誤差逆伝播", "ウェイト": "重み", "誤差関数": "損失関数"}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogue_is_complete_and_consistent():
    cat = catalogue()
    assert len(cat) > 50
    for key, texts in cat.items():
        assert set(texts) == set(LANGS), key
        assert texts["ja"].strip() and texts["en"].strip(), key
        assert fields(texts["ja"]) == fields(texts["en"]), f"{key}: format fields differ"
        assert not JAPANESE.search(texts["en"]), f"{key}: Japanese in the English text"
        # Short labels such as "ID" may be the same in both languages.
        assert JAPANESE.search(texts["ja"]) or texts["ja"] == texts["en"], f"{key}: no Japanese in the Japanese text"


def test_every_key_used_in_code_exists():
    used = set()
    for path in (ROOT / "tutor").rglob("*.py"):
        src = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""(?:\btr|\bboth|\bt|Notice)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", src))
    missing = sorted(k for k in used if k not in catalogue())
    assert not missing, missing


def test_tr_falls_back_and_fills():
    assert tr("verdict.passed", "ja").startswith("合格")
    assert tr("no.such.key", "en") == "no.such.key"
    assert "12" in tr("detail.syntax", "en", line=12, message="x")
    assert Text(ja="", en="only english").get("ja") == "only english"


@pytest.mark.parametrize("env, lang", [
    ({"LANG": "ja_JP.UTF-8"}, "ja"), ({"LANG": "en_US.UTF-8"}, "en"), ({"LC_ALL": "ja_JP.UTF-8", "LANG": "C"}, "ja"),
    ({"DLTUTOR_LANG": "en", "LANG": "ja_JP.UTF-8"}, "en"), ({"LANG": "C.UTF-8"}, "en"),
])
def test_language_from_locale(env, lang):
    assert detect_lang(env) == lang


def _course_texts():
    course = load_course(ROOT)
    yield "course title", course.title
    for lesson in course.lessons:
        yield f"{lesson.id} title", lesson.title
        yield f"{lesson.id} text", Text(ja=lesson.text_path("ja").read_text(encoding="utf-8"),
                                        en=lesson.text_path("en").read_text(encoding="utf-8"))
        for ex in lesson.exercises:
            yield f"{ex.key} title", ex.title
            for i, hint in enumerate(ex.hints, 1):
                yield f"{ex.key} hint {i}", hint


def test_course_texts_are_bilingual_and_follow_the_glossary():
    for where, text in _course_texts():
        assert JAPANESE.search(text.ja), f"{where}: the Japanese text has no Japanese"
        assert not JAPANESE.search(text.en), f"{where}: the English text contains Japanese"
        for wrong, right in AVOID.items():
            assert wrong not in text.ja, f"{where}: write {right}, not {wrong}"


def test_check_messages_follow_the_glossary():
    for path in list((ROOT / "checks").rglob("*.py")) + list((ROOT / "tutor").rglob("*.py")) + list((ROOT / "tutor/i18n/locale").glob("*.toml")):
        src = path.read_text(encoding="utf-8")
        for wrong, right in AVOID.items():
            assert wrong not in src, f"{path}: write {right}, not {wrong}"

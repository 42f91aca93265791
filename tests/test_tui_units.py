"""Unit tests of the TUI's small parts and of the `Tutor` methods added for it."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest

from test_tui_support import FakeChecker, open_tutor, tui_env, write_course  # noqa: F401
from tutor.i18n import LANGS, catalogue
from tutor.check.probe import GPU, Environment
from tutor.tui import workers
from tutor.tui.app import pick_theme
from tutor.tui.editor import find_editor
from tutor.tui.texts import KEYS, duration, short_path

TUI_DIR = Path(__file__).resolve().parents[1] / "tutor" / "tui"


# ---------------------------------------------------------------- texts


def tui_keys() -> dict[str, dict[str, str]]:
    return {key: texts for key, texts in catalogue().items() if key.startswith("tui.")}


def test_every_tui_text_exists_in_both_languages():
    texts = tui_keys()
    assert len(texts) > 100
    for key, langs in texts.items():
        for lang in LANGS:
            assert isinstance(langs.get(lang), str) and langs[lang].strip(), f"{key} has no {lang}"


def test_tui_texts_use_no_ambiguous_width_symbols():
    """Japanese terminals may draw "ambiguous" symbols two cells wide and break the panels."""
    for key, langs in tui_keys().items():
        for lang in LANGS:
            odd = [c for c in langs[lang] if unicodedata.east_asian_width(c) == "A"]
            assert not odd, f"{key} ({lang}) uses {odd}"


def test_every_text_the_code_asks_for_exists():
    used: set[str] = set()
    for path in TUI_DIR.rglob("*.py"):
        used |= set(re.findall(r'"(tui\.[a-z_]+\.[a-z0-9_.]+|tui\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    # Keys built at run time (f-strings), each family in full.
    used |= {f"tui.key.{k.action}" for k in KEYS if k.action != "lang"} | {f"tui.help.{k.action}" for k in KEYS}
    used |= {f"tui.cuda.{r}" for r in ("probing", "no_driver", "no_torch", "cpu_build", "unavailable", "probe_failed")}
    used |= {"tui.device.default", "tui.device.cpu", "tui.device.auto", "tui.lang_name.ja", "tui.lang_name.en"}
    missing = sorted(key for key in used if key not in catalogue())
    assert not missing
    assert len(used) > 60
    unused = sorted(key for key in tui_keys() if key not in used)
    assert not unused


def test_small_formatters(tmp_path):
    assert short_path(tmp_path / "dltutor" / "a.py", home=tmp_path) == "~/dltutor/a.py"
    assert short_path("/elsewhere/a.py", home=tmp_path) == "/elsewhere/a.py"
    assert duration(75, "ja") == "1 分 15 秒" and duration(3720, "en") == "1 h 2 min"


# ---------------------------------------------------------------- line breaking: tests/test_linebreak.py


# ---------------------------------------------------------------- editor, theme, probe


def test_editor_choice():
    def which(name):
        return "/usr/bin/vim" if name == "vim" else None

    assert find_editor({"VISUAL": "code --wait", "EDITOR": "vi"}, which) == (["code", "--wait"], False)
    assert find_editor({"EDITOR": "emacs -nw"}, which) == (["emacs", "-nw"], False)
    assert find_editor({}, which) == (["vim"], True)
    assert find_editor({}, lambda name: None) is None


def test_theme_follows_the_terminal_colours():
    assert pick_theme({"TERM": "xterm-256color"}) == "textual-dark"
    assert pick_theme({"TERM": "screen-256color"}) == "textual-dark"
    assert pick_theme({"TERM": "xterm", "COLORTERM": "truecolor"}) == "textual-dark"
    assert pick_theme({"TERM": "screen"}) == "ansi-dark"


def test_cuda_probe_without_a_driver_runs_nothing(monkeypatch):
    monkeypatch.setattr(workers.os.path, "exists", lambda path: False)

    def boom(*args, **kwargs):
        raise AssertionError("no child Python without a driver")

    monkeypatch.setattr("tutor.check.probe.probe_environment", boom)
    state = workers.probe_cuda(which=lambda name: None)
    assert state.available is False and state.reason == "no_driver"


@pytest.mark.parametrize("env, reason", [
    (Environment(executable="py", errors={"python": "TimeoutExpired"}), "probe_failed"),
    (Environment(executable="py", errors={"torch": "ModuleNotFoundError"}), "no_torch"),
    (Environment(executable="py", torch="2.5", cuda_build=None), "cpu_build"),
    (Environment(executable="py", torch="2.5", cuda_build="12.4", cuda_available=False), "unavailable"),
    (Environment(executable="py", torch="2.5", cuda_build="12.4", cuda_available=True,
                 gpus=[GPU(index=0, name="H100", free=40 * 2**30, total=80 * 2**30)]), ""),
])
def test_cuda_probe_reasons(monkeypatch, env, reason):
    monkeypatch.setattr("tutor.check.probe.probe_environment", lambda timeout_s: env)
    state = workers.probe_cuda(which=lambda name: "/usr/bin/nvidia-smi")
    assert state.reason == reason and state.available is (reason == "")
    if state.available:
        assert state.gpus == (("H100", 40.0, 80.0),)


def test_a_broken_probe_means_not_available():
    posted = []

    def probe():
        raise RuntimeError("boom")

    workers.run_probe(probe, posted.append)
    assert posted[0].cuda.available is False and posted[0].cuda.reason == "probe_failed"


# ---------------------------------------------------------------- Tutor methods added for the TUI


def test_language_and_position_are_remembered(tui_env):
    course = write_course(tui_env)
    tutor = open_tutor(course, FakeChecker())
    assert tutor.saved_lang() is None and tutor.resume().key == "basics/01-add"
    with pytest.raises(ValueError):
        tutor.choose_lang("fr")
    tutor.choose_lang("en")
    tutor.set_position(tutor.find("2.1"))
    tutor.close()
    tutor = open_tutor(course, FakeChecker())
    assert tutor.saved_lang() == "en" and tutor.resume().key == "training/01-step"
    tutor.store.set_setting("current_exercise", "gone/away")  # a course update removed it
    assert tutor.resume().key == "basics/01-add"
    tutor.close()


def test_step_moves_in_course_order(tui_env):
    tutor = open_tutor(write_course(tui_env), FakeChecker())
    first, second, third = tutor.course.exercises
    assert tutor.step(first, 1) is second and tutor.step(second, 1) is third
    assert tutor.step(third, 1) is None and tutor.step(first, -1) is None
    assert tutor.step(third, -2) is first
    tutor.close()


def test_stuck_after_every_third_failure_while_hints_remain(tui_env):
    tutor = open_tutor(write_course(tui_env), FakeChecker())
    ex = tutor.find("1.1")
    seen = []
    for _ in range(6):
        tutor.store.record_attempt(ex.key, "failed", 1.0, "cpu", "0" * 64)
        seen.append(tutor.stuck(ex))
    assert seen == [False, False, True, False, False, True]
    tutor.all_hints(ex)
    assert not tutor.stuck(ex)  # nothing left to offer
    other = tutor.find("1.2")
    for kind in ("failed", "failed", "passed"):
        tutor.store.record_attempt(other.key, kind, 1.0, "cpu", "0" * 64)
    assert not tutor.stuck(other)
    tutor.close()


def test_summary_figures(tui_env):
    tutor = open_tutor(write_course(tui_env), FakeChecker())
    add, scale, step = tutor.course.exercises
    tutor.store.record_attempt(add.key, "failed", 1.0, "cpu", "0" * 64, at=100.0)
    tutor.store.record_attempt(add.key, "passed", 1.0, "cpu", "0" * 64, at=160.0)
    tutor.store.record_attempt(scale.key, "passed", 1.0, "cpu", "0" * 64, at=200.0)
    tutor.next_hint(add)
    tutor.solution(step, give_up=True)
    lesson = tutor.course.lesson_of(add)
    assert tutor.summary(lesson) == {"exercises": 2, "passed": 2, "optional": 0, "optional_passed": 0,
                                     "attempts": 3, "hints": 1, "solutions": 0, "seconds": 60.0}
    whole = tutor.summary()
    assert whole["exercises"] == 3 and whole["solutions"] == 1 and whole["passed"] == 2
    tutor.close()

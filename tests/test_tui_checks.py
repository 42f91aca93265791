"""Behaviour tests of checking in the full-screen tutor: real checks, timeouts, stale runs, watching, finishing.

The flow test and the timeout test run real checks through the real checker
(built-in exercise 1.1, and a one-second timeout in the test course); the
others use `FakeChecker` to hold or script runs.
"""

from __future__ import annotations

import shutil
import subprocess
import threading

import pytest

from test_tui_support import (ROOT, FakeChecker, Notes, anyio_backend, make_app, open_tutor, outline_text,  # noqa: F401
                              no_suspend, panel_text, settle, tui_env, wait_for, write_course)
from tutor.tui.app import TutorApp
from tutor.tui.dialogs import SummaryDialog
from tutor.tui.screens import HelpScreen, MainScreen

pytestmark = pytest.mark.anyio

SIZE = (80, 24)


def course_tutor(tmp_path, checker=None, lang: str = "ja"):
    """A Tutor on the test course, language already chosen."""
    tutor = open_tutor(write_course(tmp_path), checker=checker)
    tutor.choose_lang(lang)
    return tutor


# ---------------------------------------------------------------- the real check flow


async def test_failed_check_then_edit_then_pass_with_real_checker(tui_env, monkeypatch):
    """Built-in exercise 1.1 through the real checker: a wrong file fails, the editor fixes it, the save passes."""
    tutor = open_tutor()
    tutor.choose_lang("ja")
    ex = tutor.find("1.1")
    path = tutor.workspace.path(ex)
    solution = ROOT / "solutions" / "tensors" / "01-create.py"
    # `e` runs $EDITOR on the file; this "editor" writes the reference solution into it.
    monkeypatch.setenv("EDITOR", f"cp {solution}")
    monkeypatch.setattr(TutorApp, "suspend", no_suspend)
    app = make_app(tutor, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.exercise.key == ex.key and path.is_file()
        assert app.watch_mode == "events"
        wrong = path.read_text(encoding="utf-8").replace("raise NotImplementedError", "return 1", 1)
        path.write_text(wrong, encoding="utf-8")
        await pilot.press("c")
        assert app.checking
        await wait_for(pilot, lambda: ex.key in app.main.verdicts and not app.checking, what="the failed check")
        assert app.main.verdicts[ex.key].kind == "failed"
        text = panel_text(app)
        assert "不合格です" in text and "✗" in text
        assert "✗ 1.1" in outline_text(app)
        assert tutor.progress(ex).status == "attempted"

        await pilot.press("e")  # the editor writes the solution; the watcher sees the save
        await wait_for(pilot, lambda: app.main.verdicts[ex.key].kind == "passed" and not app.checking,
                       what="the passing check after the save")
        text = panel_text(app)
        assert "合格です" in text and "チェック 2 回" in text
        assert "✓ 1.1" in outline_text(app)
        progress = tutor.progress(ex)
        assert progress.passed and progress.attempts == 2 and progress.last_verdict == "passed"
    tutor.close()


# ---------------------------------------------------------------- checks that run long


async def test_real_timeout_while_the_ui_keeps_responding(tui_env):
    """A real check of an endless loop (course timeout 1 s): the keys keep working until it times out."""
    tutor = course_tutor(tui_env)  # the real Checker
    ex = tutor.find("1.1")
    app = make_app(tutor, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tutor.workspace.path(ex).write_text("def add(a, b):\n    while True:\n        pass\n", encoding="utf-8")
        await pilot.press("c")
        assert app.checking and "チェック中" in app.main.query_one("#exercise").border_subtitle
        await pilot.press("h")  # a hint, while the check runs
        await settle(pilot)
        assert "ヒントその1" in panel_text(app) and app.checking
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and app.checking
        await pilot.press("escape", "l")
        await settle(pilot)
        assert app.lang == "en" and isinstance(app.screen, MainScreen) and app.checking
        await wait_for(pilot, lambda: ex.key in app.main.verdicts, timeout=60, what="the timeout verdict")
        assert app.main.verdicts[ex.key].kind == "timeout"
        assert "Timed out" in panel_text(app) and not app.checking
        assert tutor.progress(ex).last_verdict == "timeout"
    tutor.close()


async def test_a_new_check_cancels_the_stale_run(tui_env):
    checker = FakeChecker(["passed"])
    checker.gate = threading.Event()
    tutor = course_tutor(tui_env, checker)
    app = make_app(tutor, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await wait_for(pilot, checker.started.is_set, what="the first run")
        await pilot.press("c")  # a second check while the first one runs
        await wait_for(pilot, lambda: checker.cancelled == ["basics/01-add"], what="the stale run's cancellation")
        assert app.checking
        checker.gate.set()
        await wait_for(pilot, lambda: not app.checking, what="the second run")
        assert app.main.verdicts["basics/01-add"].kind == "passed"
        assert len(tutor.store.attempts("basics/01-add")) == 1  # the cancelled run is not an attempt
    tutor.close()


async def test_a_save_from_another_editor_is_checked_by_polling(tui_env):
    """Where file events do not arrive (NFS), polling still notices a save made outside the app."""
    checker = FakeChecker(["failed"])
    tutor = course_tutor(tui_env, checker)
    app = make_app(tutor, poll=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.watch_mode == "polling"
        await pilot.pause(0.8)  # the first poll has seen the stub
        tutor.workspace.path(tutor.find("1.2")).write_text("def scale(a, k):\n    return a\n", encoding="utf-8")
        await wait_for(pilot, lambda: checker.calls, timeout=20, what="the polled save")
        await wait_for(pilot, lambda: not app.checking, what="the check")
        # The student saved exercise 1.2 in another pane: the app follows them.
        assert app.main.exercise.key == "basics/02-scale" and checker.calls == [("basics/02-scale", "cpu")]
    tutor.close()


# ---------------------------------------------------------------- being stuck, finishing


async def test_a_quiet_hint_offer_after_three_failures(tui_env):
    tutor = course_tutor(tui_env, FakeChecker(["failed", "failed", "failed"]))
    notes = Notes()
    app = make_app(tutor, watch=False)
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await settle(pilot)
        for attempt in (1, 2, 3):
            await pilot.press("c")
            await wait_for(pilot, lambda: len(tutor.store.attempts("basics/01-add")) == attempt and not app.checking)
            await settle(pilot)
            assert notes.any("h でヒント") == (attempt == 3)
            assert isinstance(app.screen, MainScreen)  # a notification, never a dialog
    tutor.close()


async def test_finishing_a_lesson_then_the_course_shows_summaries(tui_env):
    tutor = course_tutor(tui_env, FakeChecker(["passed", "failed", "passed", "passed"]))
    app = make_app(tutor, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h", "c")
        await wait_for(pilot, lambda: not app.checking and tutor.progress(tutor.find("1.1")).passed)
        assert isinstance(app.screen, MainScreen)  # one exercise of two: no summary yet
        await pilot.press("n", "c")
        await wait_for(pilot, lambda: len(tutor.store.attempts("basics/02-scale")) == 1 and not app.checking)
        await pilot.press("c")
        await wait_for(pilot, lambda: not app.checking and tutor.progress(tutor.find("1.2")).passed)
        await settle(pilot)
        assert isinstance(app.screen, SummaryDialog)
        assert app.screen.summary == {**app.screen.summary, "exercises": 2, "passed": 2, "attempts": 3, "hints": 1}
        assert "レッスン 1「テンソルの基本」を修了しました" == app.screen.title_text
        await pilot.press("enter", "n", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryDialog), what="the course summary")
        assert "コース「TUI テスト用コース」をすべて修了しました" in app.screen.title_text
        assert app.screen.summary["passed"] == 3
    tutor.close()


async def test_a_python_without_torch_is_a_readable_verdict(tui_env, monkeypatch):
    """The checking Python lacks torch: the panel says so in words, and the app keeps running."""
    bare = shutil.which("python3", path="/usr/bin:/bin")
    if bare is None or subprocess.run([bare, "-c", "import torch"], capture_output=True).returncode == 0:
        pytest.skip("needs a Python without torch")
    monkeypatch.setenv("DLTUTOR_PYTHON", bare)
    tutor = course_tutor(tui_env)  # the real Checker
    ex = tutor.find("1.1")
    app = make_app(tutor, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tutor.workspace.path(ex).write_text("def add(a, b):\n    return a + b\n", encoding="utf-8")
        await pilot.press("c")
        await wait_for(pilot, lambda: ex.key in app.main.verdicts, timeout=60, what="the verdict")
        assert app.main.verdicts[ex.key].kind == "setup_error"
        assert "PyTorch がありません" in panel_text(app) and app.is_running
        assert tutor.progress(ex).attempts == 0  # not the student's fault: not an attempt
    tutor.close()


# ---------------------------------------------------------------- figures


def every_kind_of_figure():
    """A line plot, a scatter plot with a fitted line and a decision field, grey and signed pictures."""
    from tutor.figures import Figure

    field = [[int(255 * (c > r)) for c in range(24)] for r in range(24)]
    return [
        Figure.from_json({"kind": "line", "id": "loss", "title": {"ja": "損失の推移", "en": "Loss per epoch"},
                          "series": [{"name": "loss", "x": [1, 2, 3, 4], "y": [2.0, 1.0, None, 0.4]}]}),
        Figure.from_json({"kind": "scatter", "id": "boundary", "title": {"ja": "決定境界", "en": "Decision boundary"},
                          "series": [{"name": "class 0", "x": [0.1, 0.2], "y": [0.8, 0.9]},
                                     {"name": "class 1", "x": [0.8, 0.9], "y": [0.1, 0.2]}],
                          "lines": [{"name": "fit", "x": [0, 1], "y": [0, 1]}],
                          "field": {"x0": 0, "x1": 1, "y0": 0, "y1": 1, "values": field}}),
        Figure.from_json({"kind": "images", "id": "digits", "title": {"ja": "正解/予測", "en": "true/predicted"},
                          "images": [{"pixels": [[(r * c) % 256 for c in range(28)] for r in range(28)],
                                      "label": f"{k}/{k}", "mark": k == 1} for k in range(3)]}),
        Figure.from_json({"kind": "images", "id": "kernels", "title": {"ja": "カーネル", "en": "kernels"},
                          "cmap": "diverging", "images": [{"pixels": [[0, 128, 255]] * 3, "label": "0"}] * 4}),
    ]


async def test_every_figure_kind_shows_in_the_panel_at_80x24(tui_env):
    figures = every_kind_of_figure()
    tutor = course_tutor(tui_env, FakeChecker(["passed"], figures=figures))
    app = make_app(tutor, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: "basics/01-add" in app.main.verdicts and not app.checking, what="the check")
        text = panel_text(app)
        for title in ("損失の推移", "決定境界", "正解/予測", "カーネル"):
            assert title in text
        assert "クラス 1" in text and "*1/1" in text  # the legend, in Japanese; a mistake starred in plain text
        app.main.query_one("ExercisePanel").focus()
        await pilot.press("z", "end")
        await settle(pilot)
        shot = app.export_screenshot()
        assert app.is_running and "▄" in shot  # drawn by the real compositor, pictures in half blocks
    # Shown again from the store after a restart: the figures of the last pass.
    again = make_app(open_tutor(tutor.course.root, checker=FakeChecker()), poll=False)
    tutor.close()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "カーネル" not in panel_text(again)  # it resumes at the next exercise
        await pilot.press("p")
        await settle(pilot)
        assert "カーネル" in panel_text(again) and "1.1" in panel_text(again)
    again.tutor.close()

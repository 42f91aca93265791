"""Behaviour tests of the full-screen tutor, driven with `App.run_test()` and Pilot at 80x24.

Here: first-run language choice and resuming, hint order, solution gating,
reset with confirmation and backup, language switch, device switch without
CUDA, engine problems as notices, the editor, live resizes. Checking itself
(real checks, timeouts, stale runs, watching, summaries) is in
`test_tui_checks.py`. Tests about the UI rather than the checker use
`FakeChecker`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from rich.cells import cell_len

from test_tui_support import (FakeChecker, Notes, anyio_backend, make_app, open_tutor, outline_text,  # noqa: F401
                              no_suspend, panel_text, settle, tui_env, wait_for, write_course)
from tutor.tui.app import TutorApp
from tutor.tui.dialogs import ConfirmDialog, DeviceDialog, SolutionScreen
from tutor.tui.messages import CudaState
from tutor.tui.screens import HelpScreen, LanguageScreen, MainScreen
from tutor.tui.widgets import KeyBar, LessonView, Outline

pytestmark = pytest.mark.anyio

SIZE = (80, 24)


def course_tutor(tmp_path: Path, checker=None, lang: str = "ja", saved: bool = True):
    """A Tutor on the test course; `saved` skips the first-run language screen."""
    tutor = open_tutor(write_course(tmp_path), checker=checker)
    if saved:
        tutor.choose_lang(lang)
    return tutor


# ---------------------------------------------------------------- first run and resume


async def test_first_run_asks_the_language_then_lands_on_first_unfinished(tui_env, monkeypatch):
    monkeypatch.setenv("DLTUTOR_LANG", "en")  # the locale says English: preselected
    tutor = course_tutor(tui_env, FakeChecker(), saved=False)
    tutor.store.record_attempt("basics/01-add", "passed", 1.0, "cpu", "0" * 64)
    assert tutor.saved_lang() is None
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LanguageScreen)
        langs = screen.query_one("#langs")
        assert langs.highlighted == 1  # English, from the locale
        assert "~/dltutor" in str(screen.query_one("#workspace").content)
        assert "Choose the language" in str(screen.query_one("#question").content)
        await pilot.press("up")  # the explanation follows the highlight
        assert "言語を選んでください" in str(screen.query_one("#question").content)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.lang == "ja" and tutor.store.get_setting("lang") == "ja"
        assert app.main.exercise.key == "basics/02-scale"  # the first unfinished one
        assert "▸- 1.2" in outline_text(app)  # 80 columns: the outline shows numbers only, the open one marked
        assert "1.2 テンソルを定数倍する" in panel_text(app)
        assert (tui_env / "home" / "dltutor" / "basics" / "02-scale.py").is_file()
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("q")
    assert app.return_code == 0
    tutor.close()

    # A later run: no question, straight back to where the student was.
    tutor = course_tutor(tui_env, FakeChecker(), saved=False)
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.exercise.key == "training/01-step"
        assert "演習 2.1" in app.main.query_one("#exercise").border_title
    tutor.close()


# ---------------------------------------------------------------- hints and solutions


async def test_hints_are_revealed_in_order_and_recorded(tui_env):
    tutor = course_tutor(tui_env, FakeChecker())
    notes = Notes()
    app = make_app(tutor)
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await settle(pilot)
        assert "ヒントその1" not in panel_text(app)
        for level in (1, 2, 3):
            await pilot.press("h")
            await settle(pilot)
            assert tutor.store.hints_revealed("basics/01-add") == level
            assert f"ヒント {level}/3" in panel_text(app)
        text = panel_text(app)
        assert text.index("ヒントその1") < text.index("ヒントその2") < text.index("ヒントその3")
        assert "ヒント 3/3" in text.split("ヒントその2")[1]
        await pilot.press("h")
        await settle(pilot)
        assert tutor.store.hints_revealed("basics/01-add") == 3
        assert notes.any("ヒントはこれで全部です")
    tutor.close()


async def test_solution_needs_a_pass_or_a_confirmed_give_up(tui_env):
    tutor = course_tutor(tui_env, FakeChecker(["passed"]))
    add = tutor.find("1.1")
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # changes one's mind: nothing shown, nothing recorded
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert not tutor.progress(add).solution_revealed
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")  # Enter on the focused, safe button also says no
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and not tutor.progress(add).solution_revealed
        await pilot.press("s", "y")
        await settle(pilot)
        assert isinstance(app.screen, SolutionScreen)
        assert "return a + b" in app.screen.code and app.screen.gave_up
        assert tutor.progress(add).solution_reason == "give_up"
        await pilot.press("escape")
        await settle(pilot)
        assert "解答例を表示済み" in panel_text(app)

        # After a pass the solution opens at once, recorded as "passed".
        await pilot.press("n", "c")
        await wait_for(pilot, lambda: "basics/02-scale" in app.main.verdicts, what="the pass")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SolutionScreen) and not app.screen.gave_up
        assert tutor.progress(tutor.find("1.2")).solution_reason == "passed"
    tutor.close()


async def test_v_in_the_solution_shows_the_students_file_against_it(tui_env):
    tutor = course_tutor(tui_env, FakeChecker(["passed"]))
    add = tutor.find("1.1")
    tutor.prepare(add)
    path = tutor.workspace.path(add)
    path.write_text(path.read_text(encoding="utf-8") + "\n# my own note\n", encoding="utf-8")
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "y")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SolutionScreen) and screen.diff is not None
        code, diff = screen.query_one("#solution-code"), screen.query_one("#solution-diff")
        assert code.display and not diff.display
        await pilot.press("v")
        await settle(pilot)
        assert diff.display and not code.display
        lines = screen.diff.plain.splitlines()
        assert "-# my own note" in lines and any(line.startswith("+") and "a + b" in line for line in lines)
        assert "差分" in str(screen.query_one("#solution-keys").render())
        await pilot.press("v")
        await settle(pilot)
        assert code.display and not diff.display
    tutor.close()


# ---------------------------------------------------------------- reset


async def test_reset_asks_first_and_keeps_a_backup(tui_env):
    tutor = course_tutor(tui_env, FakeChecker())
    ex = tutor.find("1.1")
    notes = Notes()
    app = make_app(tutor)
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await settle(pilot)
        path = tutor.workspace.path(ex)
        path.write_text("def add(a, b):\n    return 'mine'\n", encoding="utf-8")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert "mine" in path.read_text(encoding="utf-8") and tutor.workspace.backups(ex) == []
        await pilot.press("r", "y")
        await settle(pilot)
        assert path.read_text(encoding="utf-8") == ex.stub_path.read_text(encoding="utf-8")
        backups = tutor.workspace.backups(ex)
        assert len(backups) == 1 and "mine" in backups[0].read_text(encoding="utf-8")
        assert notes.any("~/dltutor/.backup/basics/01-add.")
    tutor.close()


# ---------------------------------------------------------------- language and device


async def test_language_switches_at_once_and_is_remembered(tui_env):
    tutor = course_tutor(tui_env, FakeChecker())
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "ファイル:" in panel_text(app)
        assert "English" in str(app.main.query_one(KeyBar).render())
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "en" and tutor.lang == "en" and tutor.store.get_setting("lang") == "en"
        assert "file: ~/dltutor/basics/01-add.py" in panel_text(app)
        assert app.main.query_one(Outline).border_title == "Course" and "▸- 1.1" in outline_text(app)
        assert app.main.query_one(LessonView).border_title == "Lesson 1: Tensor basics"
        assert "日本語" in str(app.main.query_one(KeyBar).render())
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and app.screen.lang == "en"
        await pilot.press("escape", "l")
        await settle(pilot)
        assert app.lang == "ja" and "ファイル:" in panel_text(app)
    tutor.close()


async def test_device_switch_greys_out_cuda_when_absent(tui_env):
    checker = FakeChecker()
    tutor = course_tutor(tui_env, checker)
    app = make_app(tutor, cuda_probe=lambda: CudaState(available=False, reason="no_driver"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.cuda.available is None  # nobody asked about devices yet: no probe
        await pilot.press("d")
        await wait_for(pilot, lambda: app.cuda.available is False, what="the probe")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DeviceDialog)
        options = dialog.query_one("#devices")
        cuda = options.get_option("cuda")
        assert cuda.disabled and "nvidia-smi" in str(cuda.prompt)
        assert options.highlighted == 0  # "default", the current device
        await pilot.press("down")
        assert options.highlighted == 1  # cpu
        await pilot.press("down")  # skips the disabled cuda
        assert options.highlighted == 3
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.device == "auto"
        await pilot.press("c")
        await wait_for(pilot, lambda: checker.calls, what="the check")
        assert checker.calls[-1] == ("basics/01-add", "auto")
        await pilot.press("d", "escape")
        await settle(pilot)
        assert app.device == "auto"
    tutor.close()


async def test_cuda_is_greyed_while_the_probe_runs_and_enabled_when_found(tui_env):
    tutor = course_tutor(tui_env, FakeChecker())
    gate = threading.Event()

    def slow_probe() -> CudaState:
        gate.wait(10)
        return CudaState(available=True, reason="", gpus=(("NVIDIA H100", 70.0, 80.0),))

    app = make_app(tutor, cuda_probe=slow_probe)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        options = app.screen.query_one("#devices")
        assert options.get_option("cuda").disabled and "GPU を確認しています" in str(options.get_option("cuda").prompt)
        gate.set()  # the probe answers while the dialog is open
        await wait_for(pilot, lambda: app.cuda.available, what="the probe")
        await settle(pilot)
        options = app.screen.query_one("#devices")
        assert not options.get_option("cuda").disabled
        await pilot.press("down", "down", "enter")  # from "default", past cpu
        await settle(pilot)
        assert app.device == "cuda"
    tutor.close()


# ---------------------------------------------------------------- engine problems, editor, terminal


async def test_engine_problems_are_notices_not_tracebacks(tui_env, monkeypatch):
    blocker = tui_env / "home" / "not-a-folder"
    blocker.write_text("a file where the workspace should be", encoding="utf-8")
    monkeypatch.setenv("DLTUTOR_WORKSPACE", str(blocker / "ws"))
    state = tui_env / "state"
    state.mkdir()
    (state / "progress-tuicourse.sqlite3").write_bytes(b"this is not a database" * 10)
    tutor = course_tutor(tui_env, FakeChecker())
    notes = Notes()
    app = make_app(tutor)
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await settle(pilot)
        assert notes.any("壊れていた") and notes.any("作業フォルダに書き込めません")
        assert app.watch_mode == "off"
        count = len(notes.texts)
        await pilot.press("c")
        await wait_for(pilot, lambda: not app.checking, what="the check")
        await settle(pilot)
        assert any("作業フォルダに書き込めません" in text for text in notes.texts[count:])
        await pilot.press("r", "y", "n")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.is_running
    tutor.close()


async def test_editor_degrades_where_the_app_cannot_suspend(tui_env, monkeypatch):
    """Headless (like `textual serve`) there is no suspending: the student is told to use their own editor."""
    monkeypatch.setenv("EDITOR", "true")
    tutor = course_tutor(tui_env, FakeChecker())
    notes = Notes()
    app = make_app(tutor)
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert notes.any("お好きなエディタで ~/dltutor/basics/01-add.py を編集")
        assert app.watch_mode == "events"  # and saving still checks
    tutor.close()


async def test_editor_fallback_is_named(tui_env, monkeypatch):
    import tutor.tui.app as app_module

    monkeypatch.setattr(app_module, "find_editor", lambda **_: (["true"], True))
    monkeypatch.setattr(TutorApp, "suspend", no_suspend)
    tutor = course_tutor(tui_env, FakeChecker())
    notes = Notes()
    app = make_app(tutor, watch=False)
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: tutor.checker.calls, what="the check after editing")
        assert notes.any("true で開きます")
    tutor.close()


async def test_layout_follows_live_resizes(tui_env):
    tutor = course_tutor(tui_env, FakeChecker())
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keybar = app.main.query_one(KeyBar)
        # One line at every width: at 80 columns in Japanese some keys are left to the help.
        assert keybar.size.height == 1 and not app.main.has_class("-wide")
        narrow = len(keybar._lines(80)[0])
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        assert keybar.size.height == 1 and app.main.has_class("-wide")
        assert len(keybar._lines(200)[0]) > narrow
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert keybar.size.height == 1 and not app.main.has_class("-wide")
        await pilot.press("z")
        await settle(pilot)
        assert app.main.maximized is not None
        await pilot.press("z")
        await settle(pilot)
        assert app.main.maximized is None
    tutor.close()


async def test_ctrl_c_quits(tui_env):
    tutor = course_tutor(tui_env, FakeChecker())
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert not app.is_running
    assert app.return_code == 0
    tutor.close()


async def test_the_key_bar_is_clickable(tui_env):
    tutor = course_tutor(tui_env, FakeChecker())
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keybar = app.main.query_one(KeyBar)
        x = 0
        for key, label in keybar._lines(keybar.size.width)[0]:
            if key.action == "hint":
                break
            x += cell_len(f" {key.shown} ") + cell_len(f" {label}") + 1
        await pilot.click(KeyBar, offset=(x + 1, 0))
        await settle(pilot)
        assert tutor.store.hints_revealed("basics/01-add") == 1
    tutor.close()

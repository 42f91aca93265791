"""The TUI's whole-course keys and ways out (issue 18): `a` checks every exercise, q and Ctrl+C
quit from every screen, an explicit `--lang` wins. Pilot at 80x24 with `FakeChecker`."""

from __future__ import annotations

import pytest

from test_tui_support import (FakeChecker, anyio_backend, make_app, open_tutor, settle, tui_env,  # noqa: F401
                              wait_for, write_course, plain)
from tutor.tui.dialogs import AllChecksDialog, SummaryDialog
from tutor.tui.screens import HelpScreen, LanguageScreen, MainScreen

pytestmark = pytest.mark.anyio

SIZE = (80, 24)


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_q_and_ctrl_c_quit_the_first_run_welcome(tui_env, key):
    tutor = open_tutor(write_course(tui_env), checker=FakeChecker())
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LanguageScreen)
        await pilot.press(key)
        await settle(pilot)
        assert not app.is_running
    assert app.return_code == 0 and tutor.saved_lang() is None  # nothing chosen, nothing remembered
    tutor.close()


async def test_q_quits_from_a_dialog_and_escape_only_closes_it(tui_env):
    tutor = open_tutor(write_course(tui_env), checker=FakeChecker())
    tutor.choose_lang("ja")
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.is_running
        await pilot.press("question_mark")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert not app.is_running
    tutor.close()


async def test_an_explicit_lang_wins_over_the_remembered_one_and_skips_the_chooser(tui_env):
    tutor = open_tutor(write_course(tui_env), checker=FakeChecker())
    tutor.choose_lang("en")  # `l` was pressed once in an earlier run
    app = make_app(tutor, lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.lang == "ja"
        assert "演習 1.1" in app.main.query_one("#exercise").border_title
    assert tutor.saved_lang() == "ja"
    tutor.close()
    fresh = open_tutor(write_course(tui_env / "other"), checker=FakeChecker())
    app = make_app(fresh, lang="en")  # first run: no chooser either
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.lang == "en"
    fresh.close()


async def test_a_checks_every_exercise_and_shows_a_summary(tui_env):
    checker = FakeChecker(["passed"])
    tutor = open_tutor(write_course(tui_env), checker=checker)
    tutor.choose_lang("ja")
    app = make_app(tutor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AllChecksDialog), what="the summary")
        # Only 1.1 has a file (the app wrote it on opening): the others are not started, and not written.
        assert [key for key, _ in checker.calls] == ["basics/01-add"]
        assert not (tui_env / "home/dltutor/basics/02-scale.py").exists()
        lines = plain(app.screen.query_one("#all-lines").content).splitlines()
        assert lines[0].startswith("✓ 1.1") and "合格" in lines[0]
        assert lines[1].startswith("- 1.2") and "未着手" in lines[1]
        totals = str(app.screen.query_one("#all-totals").content)
        assert totals == "必須の演習 3 問中 1 問合格、0 問不合格、2 問未着手です。"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, (MainScreen, SummaryDialog))
        assert tutor.progress(tutor.find("1.1")).passed
    tutor.close()


# ---------------------------------------------------------------- the editor, asked once


def installed(*names):
    return lambda name: f"/usr/bin/{name}" if name in names else None


async def test_the_welcome_asks_the_editor_once_and_e_opens_it(tui_env, monkeypatch):
    from tutor.tui.app import TutorApp
    from tutor.tui.screens.editor_choice import EditorScreen
    from test_tui_support import no_suspend

    opened = []
    monkeypatch.setattr(TutorApp, "suspend", no_suspend)
    monkeypatch.setattr("subprocess.call", lambda argv: opened.append(argv) or 0)
    tutor = open_tutor(write_course(tui_env), checker=FakeChecker())
    app = make_app(tutor, which=installed("vim", "micro"), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the language
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        options = app.screen.query_one("#editors")
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == ["micro", "vim", "other"]
        await pilot.press("enter")  # micro, the gentlest installed one, is preselected
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and tutor.store.get_setting("editor") == "micro"
        await pilot.press("e")
        await wait_for(pilot, lambda: opened, what="the editor")
        assert opened[0][0] == "micro" and opened[0][1].endswith("basics/01-add.py")
    tutor.close()
    again = open_tutor(write_course(tui_env), checker=FakeChecker())
    app = make_app(again, which=installed("vim", "micro"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # asked once: never again
    again.close()


async def test_vim_gets_a_how_to_quit_note_first_and_only_once(tui_env, monkeypatch):
    from tutor.tui.app import TutorApp
    from tutor.tui.dialogs.notice import NoticeDialog
    from test_tui_support import Notes, no_suspend

    opened = []
    monkeypatch.setattr(TutorApp, "suspend", no_suspend)
    monkeypatch.setattr("subprocess.call", lambda argv: opened.append(argv) or 0)
    tutor = open_tutor(write_course(tui_env), checker=FakeChecker())
    tutor.choose_lang("ja")
    tutor.store.set_setting("editor", "vim")
    notes = Notes()
    app = make_app(tutor, which=installed("vim"), watch=False)
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog) and not opened
        assert ":wq" in str(app.screen.query_one("#notice-body").content)
        await pilot.press("enter")
        await wait_for(pilot, lambda: opened, what="vim")
        await wait_for(pilot, lambda: tutor.checker.calls, what="the check after editing")
        await pilot.press("e")  # the second time: straight into vim, no note, no toast
        await wait_for(pilot, lambda: len(opened) == 2, what="vim again")
        assert isinstance(app.screen, MainScreen)
        assert not notes.texts, notes.texts
    tutor.close()


async def test_another_window_means_no_editor_is_started(tui_env, monkeypatch):
    from test_tui_support import Notes

    monkeypatch.setattr("subprocess.call", lambda argv: pytest.fail("no editor may start"))
    tutor = open_tutor(write_course(tui_env), checker=FakeChecker())
    tutor.choose_lang("ja")
    tutor.store.set_setting("editor", "other")
    notes = Notes()
    app = make_app(tutor, which=installed("nano"))
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert notes.any("別のウィンドウのエディタで ~/dltutor/basics/01-add.py を開いてください")
    tutor.close()


def test_find_editor_order():
    from tutor.tui.editor import editor_options, find_editor

    assert editor_options(installed("vim", "nano")) == ["nano", "vim", "other"]
    assert find_editor({}, installed("vim", "micro")) == (["micro"], True)  # gentlest first
    assert find_editor({}, installed("vim", "nano"), chosen="vim") == (["vim"], False)
    assert find_editor({"EDITOR": "emacs -nw"}, installed("nano"), chosen="other") == (["emacs", "-nw"], False)
    assert find_editor({}, installed("nano"), chosen="other") is None

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

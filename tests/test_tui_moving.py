"""The TUI's ways through the whole course (issue 18): `g` jumps to `2.1`, an id or words; `f`
lists only what is not passed; the top bar counts required passes; one toast at a time, never
over the verdict or the key bar; a one-line key bar at 60x20. Pilot with `FakeChecker`."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from test_tui_support import (FakeChecker, anyio_backend, make_app, open_tutor, plain, settle,  # noqa: F401
                              tui_env, wait_for, write_course)
from tutor.tui.dialogs import JumpDialog
from tutor.tui.screens import MainScreen
from tutor.tui.texts import KEYS
from tutor.tui.widgets import ExercisePanel, KeyBar, TopBar

pytestmark = pytest.mark.anyio


def listed(app) -> list[str]:
    return [option.id for option in app.screen.query_one("#jump-list", OptionList).options]


async def type_in(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space", ".": "full_stop", "/": "slash", "-": "minus"}.get(c, c) for c in text])
    await settle(pilot)


async def test_g_jumps_by_number_lesson_id_or_words_and_esc_goes_nowhere(tui_env):
    tutor = open_tutor(write_course(tui_env), checker=FakeChecker())
    app = make_app(tutor, watch=False, lang="ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, JumpDialog), what="jump dialog")
        assert listed(app) == ["basics/01-add", "basics/02-scale", "training/01-step"]
        await type_in(pilot, "1")  # a lesson number keeps that lesson's exercises
        assert listed(app) == ["basics/01-add", "basics/02-scale"]
        await pilot.press("backspace")
        await type_in(pilot, "2.1")
        assert listed(app) == ["training/01-step"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.main.exercise.key == "training/01-step"
        assert "演習 2.1" in app.main.query_one(ExercisePanel).border_title
        assert tutor.working_on().key == "training/01-step"  # remembered like n/p

        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, JumpDialog))
        await type_in(pilot, "定数倍")  # words of a title
        assert listed(app) == ["basics/02-scale"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.exercise.key == "basics/02-scale"

        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, JumpDialog))
        await type_in(pilot, "basics/01-add")  # an id, as on the command line
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.exercise.key == "basics/01-add"

        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, JumpDialog))
        await type_in(pilot, "nothing-like-this")
        assert listed(app) == [] and "当てはまる演習はありません" in plain(app.screen.query_one("#jump-status").content)
        await pilot.press("enter")  # nothing to open: the dialog stays
        await settle(pilot)
        assert isinstance(app.screen, JumpDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.main.exercise.key == "basics/01-add"
    tutor.close()


async def test_f_lists_only_what_is_not_passed_and_the_top_bar_counts_the_pass(tui_env):
    tutor = open_tutor(write_course(tui_env), checker=FakeChecker(["passed"]))
    app = make_app(tutor, watch=False, lang="ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        top = app.main.query_one(TopBar)
        assert "必須 0/3" in plain(top.content, width=80)
        await pilot.press("c")
        await wait_for(pilot, lambda: tutor.progress(tutor.find("1.1")).passed, what="a pass")
        await settle(pilot)
        assert "必須 1/3" in plain(top.content, width=80)
        assert "発展" not in plain(top.content, width=80)  # the test course has no optional exercise
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, JumpDialog))
        assert listed(app) == ["basics/02-scale", "training/01-step"]
        await pilot.press("ctrl+f")  # all again (Ctrl+F also works while typing)
        await settle(pilot)
        assert listed(app)[0] == "basics/01-add"
        await pilot.press("ctrl+f", "down", "enter")
        await settle(pilot)
        assert app.main.exercise.key == "training/01-step"
    tutor.close()


def test_the_top_bar_counts_optional_exercises_apart(tui_env):
    """The built-in course has optional exercises: the bar says 必須 n/51 and 発展 n/m apart."""
    from tutor.tui.widgets.topbar import TopBar as Bar

    tutor = open_tutor()
    bar = Bar()
    bar.redraw = lambda: None  # not mounted: only the counting
    bar.set_progress(tutor.lessons_progress())
    required = sum(not ex.optional for ex in tutor.course.exercises)
    optional = len(tutor.course.exercises) - required
    assert optional > 0 and bar.counts == (0, required, 0, optional)
    tutor.close()


@pytest.mark.parametrize("size", [(80, 24), (160, 40)])
async def test_one_toast_at_a_time_never_over_the_verdict_or_the_key_bar(tui_env, size):
    from textual.widgets._toast import Toast

    tutor = open_tutor(write_course(tui_env), checker=FakeChecker())
    app = make_app(tutor, watch=False, lang="ja")
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("p")  # "this is the first exercise"
        await settle(pilot)
        app.say("二つ目の知らせです。" * 6)
        await pilot.pause(0.3)
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 1 and "二つ目" in str(toasts[0]._notification.message)
        toast = toasts[0].region
        for widget in (app.main.query_one(ExercisePanel), app.main.query_one(KeyBar)):
            assert not toast.overlaps(widget.region), (toast, widget.region)
    tutor.close()


async def test_the_key_bar_is_one_line_at_60x20_and_shows_every_key_when_there_is_room(tui_env):
    tutor = open_tutor(write_course(tui_env), checker=FakeChecker())
    app = make_app(tutor, watch=False, lang="ja")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        bar = app.main.query_one(KeyBar)
        assert bar.size.height == 1
        shown = {key.action for key, _label in bar.shown(60)[0]}
        assert {"edit", "check", "hint", "next", "help", "quit"} <= shown and "device" not in shown
        assert bar.shown(160)[0] and {key.action for key, _ in bar.shown(160)[0]} == {key.action for key in KEYS}
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert bar.size.height == 1 and " 移動" in plain(bar.render(), width=160)
    tutor.close()



async def test_another_lesson_s_title_comes_with_its_text_never_over_the_old_one(tui_env):
    # Seen in tmux after a jump: the new lesson's title over the old lesson's text while the
    # new text was parsed. The title must change only once the text it names is in place.
    from textual.widgets._markdown import MarkdownH1

    from tutor.tui.widgets import LessonView

    tutor = open_tutor(None, checker=FakeChecker())  # the built-in course: long lessons
    app = make_app(tutor, watch=False, lang="ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.main.query_one(LessonView)
        await wait_for(pilot, lambda: bool(view.query(MarkdownH1)), what="the first lesson's text")
        before = str(view.border_title)
        lesson = next(le for le in tutor.course.lessons if le.id == "mnist")
        view.show(lesson, "ja", "5.3")
        assert str(view.border_title) == before  # not yet: the text is still lesson 1's
        await wait_for(pilot, lambda: "レッスン 5" in str(view.border_title), what="the new title")
        heading = view.query(MarkdownH1).first().content.plain
        assert heading in str(view.border_title) and heading not in before

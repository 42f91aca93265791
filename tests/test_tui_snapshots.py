"""Snapshot tests (pytest-textual-snapshot) of the main screen in Japanese and English, and of the help.

All at 80x24 on the test course, with a fixed verdict (from `FakeChecker`)
and one hint shown, so the screens are the same on every run: HOME is a tmp
dir, so the file path reads `~/dltutor/...` wherever the test runs, and
notifications are cleared before the picture is taken.

Review a changed snapshot in the report pytest writes before running
`pytest tests/test_tui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from tutor.figures import Figure

from test_tui_support import FakeChecker, make_app, open_tutor, settle, tui_env, wait_for, write_course  # noqa: F401

SIZE = (80, 24)


def snapshot_app(root, lang: str, figures=None):
    """The test course in `lang`, exercise 1.1 open, no background GPU probe."""
    tutor = open_tutor(write_course(root), checker=FakeChecker(["failed"], figures=figures))
    tutor.choose_lang(lang)
    return make_app(tutor, poll=False)


async def checked_with_a_hint(pilot) -> None:
    """Reveal hint 1, run the (fake) check, and wait until the screen is still."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("h", "c")
    await wait_for(pilot, lambda: "basics/01-add" in app.main.verdicts and not app.checking, what="the check")
    app.clear_notifications()
    await settle(pilot)


def test_main_screen_japanese(snap_compare, tui_env):
    assert snap_compare(snapshot_app(tui_env, "ja"), terminal_size=SIZE, run_before=checked_with_a_hint)


def test_main_screen_english(snap_compare, tui_env):
    assert snap_compare(snapshot_app(tui_env, "en"), terminal_size=SIZE, run_before=checked_with_a_hint)


def test_help_screen(snap_compare, tui_env):
    async def open_help(pilot) -> None:
        await checked_with_a_hint(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(snapshot_app(tui_env, "ja"), terminal_size=SIZE, run_before=open_help)


LOSS = Figure.from_json({
    "kind": "line", "id": "loss", "title": {"ja": "損失の推移", "en": "Loss per epoch"},
    "x_label": {"ja": "エポック", "en": "epoch"},
    "series": [{"name": "loss", "x": list(range(1, 21)), "y": [2.3 * 0.8 ** i for i in range(20)]},
               {"name": "val_loss", "x": list(range(1, 21)), "y": [2.3 * 0.83 ** i + 0.05 for i in range(20)]}]})


def _digit(k: int) -> list[list[int]]:
    """A 28x28 stand-in for a digit: a bar that moves with k (deterministic, no data needed)."""
    return [[255 if 6 + k <= r < 12 + k and 6 <= c < 22 else 0 for c in range(28)] for r in range(28)]


DIGITS = Figure.from_json({
    "kind": "images", "id": "digits", "title": {"ja": "正解/予測", "en": "true/predicted"},
    "images": [{"pixels": _digit(k), "label": f"{k}/{(k + 1) % 10 if k % 4 == 0 else k}", "mark": k % 4 == 0}
               for k in range(10)]})


async def figures_full_screen(pilot) -> None:
    """Check, then give the exercise panel the screen and scroll to its end, where the figures are."""
    await checked_with_a_hint(pilot)
    pilot.app.main.query_one("ExercisePanel").focus()
    await pilot.press("z", "end")
    await settle(pilot)


def test_loss_plot_in_the_exercise_panel(snap_compare, tui_env):
    assert snap_compare(snapshot_app(tui_env, "ja", figures=[LOSS]), terminal_size=SIZE, run_before=figures_full_screen)


def test_digit_grid_in_the_exercise_panel(snap_compare, tui_env):
    assert snap_compare(snapshot_app(tui_env, "en", figures=[DIGITS]), terminal_size=SIZE, run_before=figures_full_screen)


def test_main_screen_in_a_browser_window(snap_compare, tui_env):
    """94x35 cells, a 1024x640 browser window (textual-serve, JupyterLab): one line of keys, half the rows for the lesson."""
    assert snap_compare(snapshot_app(tui_env, "ja"), terminal_size=(94, 35), run_before=checked_with_a_hint)

"""Snapshot tests (pytest-textual-snapshot) of the main screen in Japanese and English, and of the help.

All at 80x24 on the test course, with a fixed verdict (from `FakeChecker`)
and one hint shown, so the screens are the same on every run: HOME is a tmp
dir, so the file path reads `~/dltutor/...` wherever the test runs, and
notifications are cleared before the picture is taken.

Review a changed snapshot in the report pytest writes before running
`pytest tests/test_tui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from test_tui_support import FakeChecker, make_app, open_tutor, settle, tui_env, wait_for, write_course  # noqa: F401

SIZE = (80, 24)


def snapshot_app(root, lang: str):
    """The test course in `lang`, exercise 1.1 open, no background GPU probe."""
    tutor = open_tutor(write_course(root), checker=FakeChecker(["failed"]))
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

"""The main screen's keys for moving through the whole course (issue 18): `a` checks every
exercise, with a summary; `g` goes to an exercise by number, id or words; `f` does the same
among those not passed yet. A mixin, so `screens/main.py` only gains its name.

A run of `a` uses the screen's one `CancelToken` slot: a save or `c` meanwhile cancels it
(the student's latest action comes first), and quitting stops it like any check.
"""

from __future__ import annotations

from functools import partial

from tutor.check.runner import CancelToken
from tutor.i18n import tr
from tutor.tui.dialogs.all_checks import AllChecksDialog
from tutor.tui.dialogs.jump import JumpDialog
from tutor.tui.messages import AllChecked
from tutor.tui.widgets import ExercisePanel
from tutor.tui.workers import run_check_all


class WorkingKeys:
    """`action_check_all` and its message handler, `action_jump` and `action_find`, for `MainScreen`."""

    def action_jump(self) -> None:
        """g: type `5.3`, an id or words, and go there."""
        self._open_jump(unpassed_only=False)

    def action_find(self) -> None:
        """f: the same, listing only the exercises not passed yet."""
        self._open_jump(unpassed_only=True)

    def _open_jump(self, unpassed_only: bool) -> None:
        def chosen(key: str | None) -> None:
            if key is not None and key != self.exercise.key:
                self.select(self.tutor.find(key))

        self.app.push_screen(JumpDialog(self.tutor, self.app.lang, unpassed_only), chosen)

    def action_check_all(self) -> None:
        """a: check every exercise in a thread worker; the summary opens when it is done."""
        if self.token is not None:
            self.token.cancel()
        token = self.token = CancelToken()
        self.checking = None
        self.app.checking = True
        self.run_worker(partial(run_check_all, self.tutor, self.app.device, token, self.post_message),
                        thread=True, exclusive=True, group="check", name="check all", exit_on_error=False)
        self._all_progress(0, len(self.tutor.course.exercises))

    def _all_progress(self, done: int, total: int) -> None:
        self.query_one(ExercisePanel).border_subtitle = tr("tui.all.progress", self.app.lang, done=done, total=total)

    def on_all_checked(self, message: AllChecked) -> None:
        """Progress in the panel's border; at the end, the summary (unless a newer run replaced this one)."""
        if message.token is not self.token:
            return
        if message.results is None:
            self._all_progress(message.done, message.total)
            return
        self.token = None
        self.app.checking = False
        self.refresh_progress()
        if not message.token.cancelled:
            self.app.push_screen(AllChecksDialog(message.results, self.app.lang))

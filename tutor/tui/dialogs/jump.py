"""`g` and `f`: go to an exercise by typing `5.3`, an id (`mnist/03`), or words of its title,
with the list narrowed as one types; `f` opens it showing only the exercises not passed yet.

What is typed narrows the list: a number (`5`, `5.`) keeps that lesson's exercises, `5.3` that
exercise, other words match ids and titles (both languages) and the lesson's title. Ctrl+F
switches "not passed only" on and off. Enter opens the exercise the typed id names (the course's
own `find`, as on the command line), else the highlighted one.
"""

from __future__ import annotations

import re

from rich.text import Text as RText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tutor.course.manifest import UnknownExercise
from tutor.i18n import tr
from tutor.i18n.richtext import plain as plain_title
from tutor.tui.dialogs.base import DIALOG_CSS, Dialog
from tutor.tui.texts import STATUS_MARK

NUMBER = re.compile(r"(\d+)(?:\.(\d*))?")


def matches(rows, query: str, unpassed_only: bool) -> list:
    """The rows (exercise, lesson, status) that `query` names, in course order."""
    q = query.strip().lower()
    out = [row for row in rows if not (unpassed_only and row[2] == "passed")]
    number = NUMBER.fullmatch(q)
    if number:
        lesson, ex = int(number.group(1)), number.group(2)
        return [row for row in out if row[0].number[0] == lesson
                and (not ex or str(row[0].number[1]) == ex)]
    words = q.split()
    if not words:
        return out

    def haystack(row) -> str:
        exercise, lesson, _status = row
        parts = [exercise.key, exercise.short, exercise.title.ja, exercise.title.en, lesson.title.ja, lesson.title.en]
        return " ".join(plain_title(part) for part in parts if part).lower()

    return [row for row in out if all(word in haystack(row) for word in words)]


class JumpDialog(Dialog[str | None]):
    """Returns the chosen exercise's key, or None (Esc)."""

    DEFAULT_CSS = "JumpDialog {" + DIALOG_CSS + """
        & #jump-input { margin-bottom: 1; }
        & #jump-list { height: auto; max-height: 50vh; }
    }"""

    BINDINGS = [Binding("escape", "close", show=False),
                Binding("ctrl+f", "toggle", show=False, priority=True),
                Binding("down", "move(1)", show=False), Binding("up", "move(-1)", show=False)]

    def __init__(self, tutor, lang: str, unpassed_only: bool = False) -> None:
        super().__init__()
        self.tutor = tutor
        self.lang = lang
        self.unpassed_only = unpassed_only
        progress = {ex.key: p for lp in tutor.lessons_progress()
                    for ex, p in zip(lp.lesson.exercises, lp.exercises)}
        self.rows = [(ex, tutor.course.lesson_of(ex), progress[ex.key].status) for ex in tutor.course.exercises]
        self.shown: list = []

    def compose(self) -> ComposeResult:
        """Title, the input, the narrowed list, a status line and the keys."""
        with Vertical(id="box"):
            yield Static(tr("tui.jump.title", self.lang), id="box-title", markup=False)
            yield Input(placeholder=tr("tui.jump.placeholder", self.lang), id="jump-input", compact=True)
            yield OptionList(id="jump-list", compact=True)
            yield Static("", id="jump-status", markup=False)
            yield Static(tr("tui.jump.keys", self.lang), classes="keys", markup=False)

    def on_mount(self) -> None:
        """Typing goes to the input; the list starts full (or not passed only)."""
        self.query_one("#jump-list", OptionList).can_focus = False
        self.query_one(Input).focus()
        self.refill("")

    def refill(self, query: str) -> None:
        """The list for `query` and the count line."""
        self.shown = matches(self.rows, query, self.unpassed_only)
        options = []
        for ex, _lesson, status in self.shown:
            mark, style = STATUS_MARK.get(status, ("-", ""))
            prompt = RText()
            prompt.append(f"{mark} ", style=style)
            prompt.append(f"{ex.short} ", style="bold")
            prompt.append(plain_title(ex.title.get(self.lang)))
            options.append(Option(prompt, id=ex.key))
        listing = self.query_one("#jump-list", OptionList)
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = 0
        key = "tui.jump.count_unpassed" if self.unpassed_only else "tui.jump.count"
        self.query_one("#jump-status", Static).update(
            tr(key, self.lang, count=len(self.shown)) if self.shown else tr("tui.jump.none", self.lang))

    def on_input_changed(self, event: Input.Changed) -> None:
        """Each keystroke narrows the list."""
        self.refill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: the exercise the typed id names, else the highlighted one."""
        query = event.value.strip()
        if (query and not NUMBER.fullmatch(query)) or re.fullmatch(r"\d+\.\d+", query):
            try:
                self.dismiss(self.tutor.find(query).key)
                return
            except UnknownExercise:
                pass
        listing = self.query_one("#jump-list", OptionList)
        if self.shown and listing.highlighted is not None:
            self.dismiss(self.shown[listing.highlighted][0].key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on an exercise opens it."""
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        """Up and down move through the list while typing."""
        listing = self.query_one("#jump-list", OptionList)
        if self.shown:
            listing.highlighted = max(0, min(len(self.shown) - 1, (listing.highlighted or 0) + step))

    def action_toggle(self) -> None:
        """Ctrl+F: only the exercises not passed yet, or all again."""
        self.unpassed_only = not self.unpassed_only
        self.refill(self.query_one(Input).value)

    def action_close(self) -> None:
        """Esc: back, nowhere else."""
        self.dismiss(None)

"""The short summary shown when a lesson, or the whole course, is finished."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tutor.i18n import tr
from tutor.i18n.richtext import Prose
from tutor.tui.dialogs.base import DIALOG_CSS, Dialog
from tutor.tui.texts import duration


def summary_lines(summary: dict, lang: str) -> list[str]:
    """The figures of `Tutor.summary()` as sentences."""
    lines = [tr("tui.summary.passed", lang, passed=summary["passed"], exercises=summary["exercises"]),
             tr("tui.summary.attempts", lang, attempts=summary["attempts"]),
             tr("tui.summary.hints", lang, hints=summary["hints"])]
    if summary["solutions"]:
        lines.append(tr("tui.summary.solutions", lang, solutions=summary["solutions"]))
    lines.append(tr("tui.summary.time", lang, time=duration(summary["seconds"], lang)))
    return lines


class SummaryDialog(Dialog[None]):
    """A title and a few figures; any of Enter, Esc or q closes it."""

    DEFAULT_CSS = "SummaryDialog {" + DIALOG_CSS + "}"

    BINDINGS = [Binding("escape", "close", show=False), Binding("enter", "close", show=False)]

    def __init__(self, title: str, summary: dict, lang: str) -> None:
        super().__init__()
        self.title_text = title
        self.summary = summary
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Title and figures."""
        with Vertical(id="box"):
            yield Static(Prose(self.title_text), id="box-title")  # `code` in a title rendered
            for line in summary_lines(self.summary, self.lang):
                yield Static(line, markup=False)
            yield Static(tr("tui.close", self.lang), classes="keys", markup=False)

    def action_close(self) -> None:
        """Back to the main screen."""
        self.dismiss(None)

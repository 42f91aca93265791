"""What `a` (check every exercise) found: a line per exercise and the totals."""

from __future__ import annotations

from rich.text import Text as RText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tutor.check.verdict import KIND_STYLE
from tutor.i18n import tr
from tutor.session import tally
from tutor.tui.dialogs.base import DIALOG_CSS, Dialog

MARK = {"passed": ("✓", "green"), "not_started": ("-", "bright_black")}
"""Marks of East Asian width N, as in the outline; every other kind is ✗."""


def result_lines(results, lang: str) -> RText:
    """One line per exercise: mark, number, title, the verdict in a word."""
    text = RText()
    for i, (ex, verdict) in enumerate(results):
        mark, style = MARK.get(verdict.kind, ("✗", "red"))
        if i:
            text.append("\n")
        text.append(f"{mark} ", style=style)
        text.append(f"{ex.short} ", style="bold")
        text.append(ex.title.get(lang))
        text.append("  ")
        text.append(tr(f"work.kind.{verdict.kind}", lang), style=KIND_STYLE.get(verdict.kind, "bold"))
    return text


class AllChecksDialog(Dialog[None]):
    """Esc or Enter closes it; the list scrolls."""

    DEFAULT_CSS = "AllChecksDialog {" + DIALOG_CSS + """
        & #all-list { height: auto; max-height: 50vh; }
    }"""

    BINDINGS = [Binding("escape", "close", show=False), Binding("enter", "close", show=False)]

    def __init__(self, results, lang: str) -> None:
        super().__init__()
        self.results = results
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Title, the list, the totals."""
        counts = tally(self.results)
        with Vertical(id="box"):
            yield Static(tr("tui.all.title", self.lang), id="box-title", markup=False)
            with VerticalScroll(id="all-list"):
                yield Static(result_lines(self.results, self.lang), id="all-lines")
            yield Static(tr("work.all_totals", self.lang, **counts), id="all-totals", markup=False)
            if counts["opt_total"]:
                yield Static(tr("work.all_optional", self.lang, **counts), markup=False)
            yield Static(tr("tui.close", self.lang), classes="keys", markup=False)

    def on_mount(self) -> None:
        """Arrow keys scroll the list."""
        self.query_one("#all-list").focus()

    def action_close(self) -> None:
        """Back to the main screen."""
        self.dismiss(None)

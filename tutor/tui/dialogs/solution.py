"""The reference solution, highlighted, in a scrolling dialog."""

from __future__ import annotations

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tutor.tui.dialogs.base import DIALOG_CSS, Dialog
from tutor.tui.texts import t


class SolutionScreen(Dialog[None]):
    """Shows `code`; says so when it was opened by giving up (already recorded by the core)."""

    DEFAULT_CSS = "SolutionScreen {" + DIALOG_CSS + """
        & > #box { width: 100; height: 90%; }
        & VerticalScroll { height: 1fr; }
        & #gave-up { color: $warning; }
    }"""

    BINDINGS = [Binding("escape", "close", show=False), Binding("q", "close", show=False),
                Binding("s", "close", show=False)]

    def __init__(self, title: str, code: str, gave_up: bool, lang: str) -> None:
        super().__init__()
        self.title_text = title
        self.code = code
        self.gave_up = gave_up
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Title, the give-up note, the code."""
        with Vertical(id="box"):
            yield Static(self.title_text, id="box-title", markup=False)
            if self.gave_up:
                yield Static(t("solution.gave_up", self.lang), id="gave-up", markup=False)
            with VerticalScroll(id="code"):
                # ansi_dark: the terminal's own 16 colours, fine without truecolor.
                yield Static(Syntax(self.code, "python", line_numbers=True, theme="ansi_dark",
                                    word_wrap=False, background_color="default"))
            yield Static(t("close", self.lang), classes="keys", markup=False)

    def on_mount(self) -> None:
        """Arrow keys scroll the code at once."""
        self.query_one("#code").focus()

    def action_close(self) -> None:
        """Back to the main screen."""
        self.dismiss(None)

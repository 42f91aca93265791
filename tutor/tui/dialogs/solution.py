"""The reference solution, highlighted, in a scrolling dialog."""

from __future__ import annotations

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.widgets import Static

from tutor.i18n import tr
from tutor.i18n.richtext import Prose
from tutor.tui.dialogs.base import DIALOG_CSS, Dialog


class SolutionScreen(Dialog[None]):
    """Shows `code`; says so when it was opened by giving up (already recorded by the core)."""

    DEFAULT_CSS = "SolutionScreen {" + DIALOG_CSS + """
        & > #box { width: 100; height: 90%; }
        & #code { height: 1fr; }
        & #code > Static { width: auto; }  /* long lines scroll sideways instead of being cut */
        & #gave-up { color: $warning; }
    }"""

    BINDINGS = [Binding("escape", "close", show=False),
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
            yield Static(Prose(self.title_text), id="box-title")  # `code` in a title rendered
            if self.gave_up:
                yield Static(tr("tui.solution.gave_up", self.lang), id="gave-up", markup=False)
            with ScrollableContainer(id="code"):
                # ansi_dark: the terminal's own 16 colours, fine without truecolor.
                yield Static(Syntax(self.code, "python", line_numbers=True, theme="ansi_dark",
                                    word_wrap=False, background_color="default"))
            yield Static(tr("tui.close", self.lang), classes="keys", markup=False)

    def on_mount(self) -> None:
        """Arrow keys scroll the code at once (left/right for long lines)."""
        self.query_one("#code").focus()

    def action_close(self) -> None:
        """Back to the main screen."""
        self.dismiss(None)

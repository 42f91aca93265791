"""The reference solution, highlighted, in a scrolling dialog; `v` shows the student's file against it."""

from __future__ import annotations

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.widgets import Static

from tutor.i18n import tr
from tutor.i18n.codediff import diff_text
from tutor.i18n.richtext import Prose
from tutor.tui.dialogs.base import DIALOG_CSS, Dialog


class SolutionScreen(Dialog[None]):
    """Shows `code`; says so when it was opened by giving up (already recorded by the core).

    Given the student's file, `v` switches between the solution and the diff from the
    student's file to it (the same diff as `dltutor solution EX --diff`).
    """

    DEFAULT_CSS = "SolutionScreen {" + DIALOG_CSS + """
        & > #box { width: 100; height: 90%; }
        & #code { height: 1fr; }
        & #code > Static { width: auto; }  /* long lines scroll sideways instead of being cut */
        & #gave-up { color: $warning; }
    }"""

    BINDINGS = [Binding("escape", "close", show=False),
                Binding("s", "close", show=False),
                Binding("v", "toggle_diff", show=False)]

    def __init__(self, title: str, code: str, gave_up: bool, lang: str, student: str | None = None,
                 student_name: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.code = code
        self.gave_up = gave_up
        self.lang = lang
        self.diff = diff_text(student, code, student_name, tr("tui.solution.reference", lang)) if student else None
        """The coloured diff, None without a student file (or when it equals the reference)."""
        self.same = student is not None and self.diff is None

    def compose(self) -> ComposeResult:
        """Title, the give-up note, the code."""
        with Vertical(id="box"):
            yield Static(Prose(self.title_text), id="box-title")  # `code` in a title rendered
            if self.gave_up:
                yield Static(tr("tui.solution.gave_up", self.lang), id="gave-up", markup=False)
            with ScrollableContainer(id="code"):
                # ansi_dark: the terminal's own 16 colours, fine without truecolor.
                yield Static(Syntax(self.code, "python", line_numbers=True, theme="ansi_dark",
                                    word_wrap=False, background_color="default"), id="solution-code")
                if self.diff is not None:
                    diff = Static(self.diff, id="solution-diff")
                    diff.display = False
                    yield diff
            if self.diff is not None:
                keys = tr("tui.solution.keys_diff", self.lang)
            elif self.same:
                keys = tr("tui.solution.keys_same", self.lang)
            else:
                keys = tr("tui.close", self.lang)
            yield Static(keys, classes="keys", markup=False, id="solution-keys")

    def on_mount(self) -> None:
        """Arrow keys scroll the code at once (left/right for long lines)."""
        self.query_one("#code").focus()

    def action_toggle_diff(self) -> None:
        """v: the diff from the student's file to the solution, or the solution again."""
        if self.diff is None:
            return
        code, diff = self.query_one("#solution-code"), self.query_one("#solution-diff")
        code.display, diff.display = diff.display, code.display
        self.query_one("#code").scroll_home(animate=False)

    def action_close(self) -> None:
        """Back to the main screen."""
        self.dismiss(None)

"""A yes/no question whose safe answer is the default (Enter, n and Esc all say no)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tutor.i18n import tr
from tutor.tui.dialogs.base import DIALOG_CSS, Dialog


class ConfirmDialog(Dialog[bool]):
    """Dismisses with True only for an explicit yes (y, or the yes button)."""

    DEFAULT_CSS = "ConfirmDialog {" + DIALOG_CSS + """
        & #buttons { height: auto; align-horizontal: right; }
        & Button { margin-left: 2; }
    }"""

    BINDINGS = [Binding("y", "answer(True)", show=False), Binding("n", "answer(False)", show=False),
                Binding("escape", "answer(False)", show=False)]

    def __init__(self, title: str, body: list[str], yes: str, lang: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes = yes
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Title, sentences, then the buttons, "no" focused first."""
        with Vertical(id="box"):
            yield Static(self.title_text, id="box-title", markup=False)
            for line in self.body:
                yield Static(line, markup=False)
            with Horizontal(id="buttons"):
                yield Button(self.yes, id="yes", variant="warning")
                yield Button(tr("tui.confirm.no", self.lang), id="no", variant="primary")
            yield Static(tr("tui.confirm.keys", self.lang), classes="keys", markup=False)

    def on_mount(self) -> None:
        """The safe answer has the focus, so a stray Enter cancels."""
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A button answers."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """A key answers."""
        self.dismiss(yes)

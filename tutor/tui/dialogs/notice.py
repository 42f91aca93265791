"""A note to read before something happens (how to quit vim): Enter goes on, Esc does not."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tutor.tui.dialogs.base import DIALOG_CSS, Dialog


class NoticeDialog(Dialog[bool]):
    """Dismisses with True on Enter, False on Esc."""

    DEFAULT_CSS = "NoticeDialog {" + DIALOG_CSS + "}"

    BINDINGS = [Binding("enter", "answer(True)", show=False), Binding("escape", "answer(False)", show=False)]

    def __init__(self, title: str, body: str, keys: str) -> None:
        super().__init__()
        self.title_text, self.body, self.keys = title, body, keys

    def compose(self) -> ComposeResult:
        """Title, the note, the keys."""
        with Vertical(id="box"):
            yield Static(self.title_text, id="box-title", markup=False)
            yield Static(self.body, id="notice-body", markup=False)
            yield Static(self.keys, classes="keys", markup=False)

    def action_answer(self, go: bool) -> None:
        """Enter or Esc."""
        self.dismiss(go)

"""What every dialog shares: a centred box on a dimmed screen."""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")

DIALOG_CSS = """
    align: center middle;
    & > #box {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    & #box-title { text-style: bold; margin-bottom: 1; }
    & .keys { color: $text-muted; margin-top: 1; }
"""
"""CSS for a dialog screen whose box has the id `box` (nest it under the screen's type)."""


class Dialog(ModalScreen[ResultT]):
    """A modal screen that leaves the main screen's keys alone while it is open.

    A modal screen also hides the app's own keys: `q` is bound again here so that it quits
    from every dialog (Esc closes one); Ctrl+C is a priority binding of the app and needs nothing."""

    BINDINGS = [Binding("q", "app.quit_tutor", show=False)]

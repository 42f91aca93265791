"""The exercise panel: stub path, attempts and hints so far, the last verdict check by check, hints."""

from __future__ import annotations

from rich.console import RenderableType
from textual.containers import VerticalScroll
from textual.widgets import Static


class ExercisePanel(VerticalScroll):
    """A scrolling panel around one Static; the screen gives it what to show."""

    DEFAULT_CSS = """
    ExercisePanel {
        height: 1fr;
        border: round $primary 60%;
        &:focus { border: round $primary; }
        & > Static { padding: 0 1; }
    }
    """

    ALLOW_MAXIMIZE = True
    """`z` may fill the screen with it."""

    def compose(self):
        """The one body."""
        yield Static(id="exercise-body")

    def show(self, title: str, body: RenderableType, subtitle: str = "") -> None:
        """Replace the panel's content."""
        self.border_title = title
        self.border_subtitle = subtitle
        self.query_one("#exercise-body", Static).update(body)

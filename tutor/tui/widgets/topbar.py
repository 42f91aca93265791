"""The top line: course title on the left; checking indicator, device and watch state on the right."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text as RText
from textual.widgets import Static

from tutor.i18n import tr
from tutor.tui.texts import SPINNER

WATCH_KEYS = {"events": "tui.top.watching", "polling": "tui.top.polling", "off": "tui.top.not_watching"}


class TopBar(Static):
    """One line that follows the app's `lang`, `device`, `watch_mode` and `checking`."""

    DEFAULT_CSS = """
    TopBar {
        dock: top;
        height: 1;
        background: $panel;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._frame = 0

    def on_mount(self) -> None:
        """Follow the app's state; the spinner only ticks while a check runs."""
        self._spinner = self.set_interval(0.1, self._tick, pause=True)
        for name in ("lang", "device", "watch_mode", "checking"):
            self.watch(self.app, name, self._changed, init=False)
        self._changed()

    def _changed(self, *_: object) -> None:
        if self.app.checking:
            self._spinner.resume()
        else:
            self._spinner.pause()
        self.redraw()

    def _tick(self) -> None:
        self._frame += 1
        self.redraw()

    def redraw(self) -> None:
        """Render the line again from the app's state."""
        app = self.app
        lang = app.lang
        left = RText(" " + app.tutor.course.title.get(lang), style="bold")
        right = RText()
        if app.checking:
            right.append(f"{SPINNER[self._frame % len(SPINNER)]} {tr('tui.top.checking', lang)}", style="bold yellow")
            right.append(" | ")
        right.append(tr("tui.top.device", lang, device=app.device))
        right.append(" | ")
        right.append(tr(WATCH_KEYS[app.watch_mode], lang), style="dim" if app.watch_mode == "off" else "")
        right.append(" ")
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="crop")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(left, right)
        self.update(grid)

"""The top line: progress and course title on the left; checking indicator, device and watch state
on the right.

The progress is the required exercises passed of all required ones, as a bar, and the optional
ones counted apart (the split of `dltutor check --all` and the hand-in). The title gives way first
when the line is short.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text as RText
from textual.widgets import Static

from tutor.i18n import tr
from tutor.tui.texts import SPINNER

BAR_WIDTH = 12
"""Columns of the progress bar when the line has room."""
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
        self.counts: tuple[int, int, int, int] | None = None
        """(required passed, required total, optional passed, optional total); None before the first."""

    def set_progress(self, lessons) -> None:
        """Count from `Tutor.lessons_progress()` (the screen calls this whenever the store changed)."""
        counts = [0, 0, 0, 0]
        for lp in lessons:
            for ex, progress in zip(lp.lesson.exercises, lp.exercises):
                at = 2 if ex.optional else 0
                counts[at] += progress.passed
                counts[at + 1] += 1
        self.counts = tuple(counts)
        self.redraw()

    def _progress(self, lang: str, room: int) -> Table | None:
        """The progress cell in at most `room` columns: the bar narrows (to 4) before it goes."""
        if self.counts is None:
            return None
        passed, total, opt_passed, opt_total = self.counts
        head = RText(" " + tr("tui.top.required", lang, passed=passed, total=total) + " ")
        tail = RText(" " + tr("tui.top.optional", lang, passed=opt_passed, total=opt_total) + " " if opt_total else " ")
        bar_width = min(BAR_WIDTH, room - head.cell_len - tail.cell_len)
        cell = Table.grid()
        if bar_width >= 4:
            cell.add_row(head, ProgressBar(total=max(total, 1), completed=passed, width=bar_width,
                                           complete_style="green", finished_style="bold green"), tail)
        else:
            cell.add_row(head, tail)
        return cell

    def on_mount(self) -> None:
        """Follow the app's state; the spinner only ticks while a check runs."""
        self._spinner = self.set_interval(0.1, self._tick, pause=True)
        for name in ("lang", "device", "watch_mode", "checking"):
            self.watch(self.app, name, self._changed, init=False)
        self._changed()

    def on_resize(self) -> None:
        """The bar and the title share what the right side leaves."""
        self.redraw()

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
        progress = self._progress(lang, max(0, self.size.width - right.cell_len - 1))
        if progress is not None:
            used = cell_width(progress)
            grid.add_column(no_wrap=True, width=used)
            if left.cell_len > self.size.width - used - right.cell_len:
                left = RText("")  # a cut title reads as a word cut in two: none at all
        grid.add_column(ratio=1, no_wrap=True, overflow="crop")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(*([progress] if progress is not None else []), left, right)
        self.update(grid)


def cell_width(renderable) -> int:
    """The natural width of a small renderable (the progress cell), to give its column exactly that."""
    console = Console(width=200)
    return console.measure(renderable).maximum

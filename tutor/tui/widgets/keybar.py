"""The key bar: the main screen's keys with their labels, on one line.

Textual's `Footer` keeps to one line and scrolls what does not fit; at 80
columns, in Japanese, that hides half the keys. This bar chooses instead:
the roomiest form (padding, gaps) in which the keys fit, and where none
does, it leaves out keys by `Key.rank` (highest first) until the rest fit,
so every row below it goes to the exercise panel (at 60x20 the full set
took 3 rows). `?` (rank 0) is always there and the help lists every key.
Keys with `bar=False` appear only when every key fits. It relabels itself
when the language changes; each key is clickable.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.markup import escape
from textual.widget import Widget

from tutor.tui.texts import Key

GAP = 1
"""Columns between two keys."""
FORMS = ((1, 1), (0, 1), (0, 0))
"""(padding around the key, gap after a label), roomiest first: the first that puts the keys on one
line is used (at 94 columns, a 1024x640 browser window, the compact forms keep every bar key in both
languages)."""


class KeyBar(Widget):
    """The keys in `keys`, labelled from `tui.key.<action>` in the app's language."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        background: $panel;
        link-style: none;
        link-style-hover: bold;
        link-background-hover: $accent 50%;
    }
    """

    def __init__(self, keys: tuple[Key, ...]) -> None:
        super().__init__()
        self.keys = keys

    def on_mount(self) -> None:
        """Relabel (and maybe re-wrap) when the language changes."""
        self.watch(self.app, "lang", lambda _lang: self.refresh(layout=True), init=False)

    def _all_items(self) -> list[tuple[Key, str]]:
        lang = self.app.lang
        return [(key, key.label(lang)) for key in self.keys]

    @staticmethod
    def _width(items: list[tuple[Key, str]], pad: int, gap: int) -> int:
        return (sum(cell_len(key.shown) + 2 * pad + cell_len(f" {label}") for key, label in items)
                + gap * max(0, len(items) - 1))

    def shown(self, width: int) -> tuple[list[tuple[Key, str]], tuple[int, int]]:
        """The keys on the bar at `width` columns and the form they use: every key if they all fit,
        else the bar's keys, leaving out the highest ranks until the rest fit."""
        everything = self._all_items()
        items = [(key, label) for key, label in everything if key.bar]
        candidates = [everything, list(items)]
        # Give up one key at a time: the highest rank first, the last of a rank first.
        for key, label in sorted((item for item in items if item[0].rank > 0),
                                 key=lambda item: (-item[0].rank, -items.index(item))):
            items.remove((key, label))
            candidates.append(list(items))
        for at, items in enumerate(candidates):
            # A key is given up before the gaps between keys are (after the first two candidates).
            for pad, gap in (FORMS if at < 2 else [form for form in FORMS if form[1]]):
                if self._width(items, pad, gap) <= width:
                    return items, (pad, gap)
        return candidates[-1], FORMS[-1]  # narrower than the essential keys: they wrap

    def _lines(self, width: int) -> list[list[tuple[Key, str]]]:
        """Pack the shown keys into lines no wider than `width`, breaking only between keys."""
        items, (pad, gap) = self.shown(width)
        lines: list[list[tuple[Key, str]]] = [[]]
        used = 0
        for key, label in items:
            size = cell_len(key.shown) + 2 * pad + cell_len(f" {label}") + gap
            if lines[-1] and used + size - gap > width:
                lines.append([])
                used = 0
            lines[-1].append((key, label))
            used += size
        return lines

    def get_content_height(self, container, viewport, width: int) -> int:
        """As many lines as the keys need at this width."""
        return len(self._lines(max(1, width)))

    def render(self) -> Content:
        """The packed lines as clickable markup."""
        rows = []
        width = max(1, self.size.width)
        pad, gap = self.shown(width)[1]
        space = " " * pad
        for line in self._lines(width):
            rows.append((" " * gap).join(
                f"[reverse bold @click=screen.{key.action}]{space}{escape(key.shown)}{space}[/]"
                f"[@click=screen.{key.action}] {escape(label)}[/]"
                for key, label in line))
        return Content.from_markup("\n".join(rows))

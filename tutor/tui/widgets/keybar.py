"""The key bar: every key of the main screen with its label, wrapped onto as many lines as needed.

Textual's `Footer` keeps to one line and scrolls what does not fit; at 80
columns, in Japanese, that hides half the keys. This bar wraps between keys
instead, so every key is always on screen, and relabels itself when the
language changes. Each key is clickable.
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
"""(padding around the key, gap after a label), roomiest first: the first that puts every key on one
line is used, and where none does, the roomiest wraps (at 94 columns, a 1024x640 browser window, the
compact forms keep the bar to one line in both languages)."""


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

    def _items(self) -> list[tuple[Key, str]]:
        lang = self.app.lang
        return [(key, key.label(lang)) for key in self.keys if key.bar]

    def _form(self, width: int) -> tuple[int, int]:
        """The roomiest form in which every key fits on one line, else the roomiest."""
        items = self._items()
        for pad, gap in FORMS:
            total = sum(cell_len(key.shown) + 2 * pad + cell_len(f" {label}") for key, label in items)
            if total + gap * (len(items) - 1) <= width:
                return pad, gap
        return FORMS[0]

    def _lines(self, width: int) -> list[list[tuple[Key, str]]]:
        """Pack the keys into lines no wider than `width`, breaking only between keys."""
        pad, gap = self._form(width)
        lines: list[list[tuple[Key, str]]] = [[]]
        used = 0
        for key, label in self._items():
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
        pad, gap = self._form(width)
        space = " " * pad
        for line in self._lines(width):
            rows.append((" " * gap).join(
                f"[reverse bold @click=screen.{key.action}]{space}{escape(key.shown)}{space}[/]"
                f"[@click=screen.{key.action}] {escape(label)}[/]"
                for key, label in line))
        return Content.from_markup("\n".join(rows))

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
        return [(key, key.label(lang)) for key in self.keys]

    def _lines(self, width: int) -> list[list[tuple[Key, str]]]:
        """Pack the keys into lines no wider than `width`, breaking only between keys."""
        lines: list[list[tuple[Key, str]]] = [[]]
        used = 0
        for key, label in self._items():
            size = cell_len(f" {key.shown} ") + cell_len(f" {label}") + GAP
            if lines[-1] and used + size > width:
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
        for line in self._lines(max(1, self.size.width)):
            rows.append((" " * GAP).join(
                f"[reverse bold @click=screen.{key.action}] {escape(key.shown)} [/]"
                f"[@click=screen.{key.action}] {escape(label)}[/]"
                for key, label in line))
        return Content.from_markup("\n".join(rows))

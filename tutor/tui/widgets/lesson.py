"""The lesson text: Markdown, with code blocks highlighted, in a scrolling panel.

What the student reads gets the care: the panel opens at the open
exercise's section (the heading that names it, "(演習 1.2)"), a code line
wider than the panel scrolls with a visible scroll bar instead of being cut
without a mark, and a table too wide for the panel is shown as a list.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownHeader, MarkdownTable

from tutor.i18n import tr
from tutor.i18n.richtext import plain
from tutor.course.manifest import Lesson


class LessonTable(MarkdownTable):
    """A Markdown table that becomes a list of rows ("header: cell") when the panel is too narrow for it."""

    DEFAULT_CSS = """
    LessonTable {
        & > .as-list { display: none; padding: 0 1; }
        &.-as-list > MarkdownTableContent { display: none; }
        &.-as-list > .as-list { display: block; }
    }
    """

    def compose(self):
        """The table, and the same rows as a list (shown instead when narrow)."""
        yield from super().compose()
        yield Static(self.as_list(), classes="as-list")

    def natural_width(self) -> int:
        """Cells the table needs to show every cell whole: widest cell per column, padding, lines between and around."""
        rows = [self._headers, *self._rows]
        columns = max((len(row) for row in rows), default=0)
        widest = [max((cell_len(row[c].plain) for row in rows if c < len(row)), default=0) for c in range(columns)]
        return sum(w + 2 for w in widest) + max(0, columns - 1) + 2

    def as_list(self) -> Content:
        """Each row as "▸ first cell", then "  header: cell" for the others."""
        lines: list[Content] = []
        for row in self._rows:
            for c, cell in enumerate(row):
                head = self._headers[c].plain if c < len(self._headers) else ""
                if c == 0:
                    lines.append(Content("▸ ") + (Content(f"{head}: ") if head else Content("")) + cell)
                else:
                    lines.append(Content("  ") + Content.styled(f"{head}: " if head else "", "bold") + cell)
        return Content("\n").join(lines)

    def on_resize(self, event) -> None:
        """Too narrow for every cell whole: the list."""
        self.set_class(event.size.width < self.natural_width(), "-as-list")


class LessonMarkdown(Markdown):
    """Markdown with list bullets that are one cell wide in every terminal, and tables that fold to lists.

    Textual's "•" is an East Asian ambiguous-width character: Japanese
    terminal setups often draw it two cells wide and shift the line.
    """

    BULLETS = ["▸ ", "- ", "▸ ", "- ", "▸ "]
    BLOCKS = {**Markdown.BLOCKS, "table_open": LessonTable}


def section_pattern(short: str) -> re.Pattern[str]:
    """A heading that names exercise `short` ("(演習 1.2)", "(Exercises 4.1, 4.2)"), not 1.20 or 11.2."""
    return re.compile(rf"(?<![\d.]){re.escape(short)}(?![\d])")


class LessonView(VerticalScroll):
    """The text of the open exercise's lesson; scroll it with the arrow keys when focused."""

    DEFAULT_CSS = """
    LessonView {
        height: 1fr;
        border: round $primary 60%;
        &:focus { border: round $primary; }
        & > LessonMarkdown { padding: 0 1; }
        /* Textual's headers leave two blank lines above and centre the first:
           too costly in a panel eight lines high at 80x24. */
        & MarkdownHeader { margin: 1 0 0 0; }
        & MarkdownH1 { content-align: left top; margin: 0 0 1 0; }
        /* A code line wider than the panel scrolls; the bar says there is more. */
        & MarkdownFence { scrollbar-size-horizontal: 1; }
    }
    """

    ALLOW_MAXIMIZE = True
    """`z` may fill the screen with it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[str, str] | None = None
        self._section: str | None = None
        self._placed: float | None = None
        """Where `goto_section` left the scroll (None before it did)."""

    def compose(self):
        """A single Markdown document."""
        yield LessonMarkdown()

    def show(self, lesson: Lesson, lang: str, short: str | None = None) -> None:
        """Show `lesson` in `lang`, scrolled to exercise `short`'s section when the exercise changed.

        The same lesson and exercise again does nothing (the student's scroll position is kept).
        """
        if self._shown == (lesson.id, lang):
            if short != self._section:
                self._section = short
                self.goto_section(short)
            return
        self._shown = (lesson.id, lang)
        self._section = short
        title = tr("tui.lesson.title", lang, number=lesson.number, title=plain(lesson.title.get(lang)))
        text = lesson.text(lang).strip() or tr("tui.lesson.empty", lang)
        self.run_worker(self._load(title, text, short), exclusive=True, group="lesson")

    async def _load(self, title: str, text: str, short: str | None) -> None:
        # The title changes with the text, once it is parsed: never a new title over the old text.
        await self.query_one(LessonMarkdown).update(text)
        self.border_title = title
        self.scroll_home(animate=False)
        self.goto_section(short)

    def goto_section(self, short: str | None) -> None:
        """Scroll so that the first heading naming exercise `short` is at the top (the start if none does)."""
        header = None
        if short:
            pattern = section_pattern(short)
            header = next((h for h in self.query(MarkdownHeader) if pattern.search(h._content.plain)), None)
        if header is None:
            self.scroll_home(animate=False)
        else:
            self.call_after_refresh(self._to_top, header)

    def _to_top(self, header: MarkdownHeader, tries: int = 3) -> None:
        """Scroll by where the heading is now drawn, so that its first line is the panel's first.

        Looked at again after the next refresh: the text above may still be
        re-wrapping to a new width (the outline narrows at start-up).
        """
        offset = header.region.y - self.content_region.y
        if header.region.height and offset and self.scroll_y + offset >= 0:
            before = self.scroll_y
            self.scroll_to(y=self.scroll_y + offset, animate=False, immediate=True)
            if tries > 1 and self.scroll_y != before:
                self.call_after_refresh(self._to_top, header, tries - 1)
        self._placed = self.scroll_y

    def on_resize(self, event) -> None:
        """A new width re-wraps the text above the section: place it again, unless the student has scrolled."""
        if self._section and (self._placed is None or abs(self.scroll_y - self._placed) < 1):
            self.goto_section(self._section)

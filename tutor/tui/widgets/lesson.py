"""The lesson text: Markdown, with code blocks highlighted, in a scrolling panel."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Markdown

from tutor.i18n import tr
from tutor.i18n.richtext import plain
from tutor.course.manifest import Lesson


class LessonMarkdown(Markdown):
    """Markdown with list bullets that are one cell wide in every terminal.

    Textual's "•" is an East Asian ambiguous-width character: Japanese
    terminal setups often draw it two cells wide and shift the line.
    """

    BULLETS = ["▸ ", "- ", "▸ ", "- ", "▸ "]


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
    }
    """

    ALLOW_MAXIMIZE = True
    """`z` may fill the screen with it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[str, str] | None = None

    def compose(self):
        """A single Markdown document."""
        yield LessonMarkdown()

    def show(self, lesson: Lesson, lang: str) -> None:
        """Show `lesson` in `lang`; does nothing if it is already shown (keeps the scroll position)."""
        if self._shown == (lesson.id, lang):
            return
        self._shown = (lesson.id, lang)
        self.border_title = tr("tui.lesson.title", lang, number=lesson.number, title=plain(lesson.title.get(lang)))
        text = lesson.text(lang).strip() or tr("tui.lesson.empty", lang)
        self.query_one(LessonMarkdown).update(text)
        self.scroll_home(animate=False)

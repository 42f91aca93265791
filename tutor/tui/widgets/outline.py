"""The course outline: lessons with their progress, exercises with their status."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text as RText
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tutor.i18n import tr
from tutor.i18n.richtext import Prose
from tutor.course.manifest import Exercise
from tutor.session import LessonProgress
from tutor.tui.texts import STATUS_MARK


class Outline(OptionList):
    """Every lesson (a header, not selectable) and its exercises; Enter opens one.

    Option ids are exercise keys, so the screen maps a selection straight
    back to `Course.find`. `compact` (narrow terminals, where the lesson
    needs the columns) shows numbers and marks only; the open exercise's
    title is on the panels' borders.
    """

    DEFAULT_CSS = """
    Outline {
        width: 30;
        height: 1fr;
        border: round $primary 60%;
        &:focus { border: round $primary; }
        & > .option-list--option-disabled { color: $foreground; text-style: bold; }
    }
    """

    ALLOW_MAXIMIZE = True
    """`z` may fill the screen with it."""

    compact = False
    """Numbers and marks only (set by the screen on narrow terminals; `z` shows the titles again)."""

    def show(self, lessons: list[LessonProgress], current_key: str, lang: str) -> None:
        """Rebuild the list, keeping the highlight on the open exercise."""
        self._last = (lessons, current_key, lang)
        compact = self.compact and not self.is_maximized
        self.border_title = tr("tui.outline.title", lang)
        options: list[Option] = []
        for lp in lessons:
            if compact:
                title = f"{lp.lesson.number}. {lp.passed}/{lp.total}"
            else:
                title = tr("tui.outline.lesson", lang, number=lp.lesson.number, title=lp.lesson.title.get(lang),
                          passed=lp.passed, total=lp.total)
            options.append(Option(RText(title, style="bold"), id=f"lesson:{lp.lesson.id}", disabled=True))
            for ex, progress in zip(lp.lesson.exercises, lp.exercises):
                current = ex.key == current_key
                prompt = _compact_prompt(ex, progress.status, current) if compact else \
                    _exercise_prompt(ex, progress.status, current, lang)
                options.append(Option(prompt, id=ex.key))
        self.set_options(options)
        self.highlighted = self.get_option_index(current_key)

    def set_compact(self, compact: bool) -> None:
        """Switch between the full list and numbers only, redrawing what was shown."""
        if compact != self.compact:
            self.compact = compact
            self.redraw()

    def redraw(self) -> None:
        """Draw the last list again (after a change of mode or of maximized state)."""
        if getattr(self, "_last", None) is not None:
            self.show(*self._last)


def _compact_prompt(exercise: Exercise, status: str, current: bool) -> RText:
    """"▸✓ 1.1": the marks and the number, no title."""
    mark, style = STATUS_MARK[status]
    head = RText("▸" if current else " ", style="bold")
    head.append(f"{mark} ", style=style)
    head.append(exercise.short, style="bold" if current else "")
    return head


def _exercise_prompt(exercise: Exercise, status: str, current: bool, lang: str) -> Table:
    """Marks and number in one column, the title in another, so a long title wraps under itself."""
    mark, style = STATUS_MARK[status]
    head = RText("▸" if current else " ", style="bold")
    head.append(f"{mark} ", style=style)
    head.append(exercise.short, style="bold" if current else "")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(head, Prose(exercise.title.get(lang), style="bold" if current else ""))
    return grid

"""The main screen's widgets: the top bar, the outline, the lesson, the exercise panel and the key bar."""

from tutor.tui.widgets.exercise import ExercisePanel
from tutor.tui.widgets.keybar import KeyBar
from tutor.tui.widgets.lesson import LessonView
from tutor.tui.widgets.outline import Outline
from tutor.tui.widgets.topbar import TopBar

__all__ = ["ExercisePanel", "KeyBar", "LessonView", "Outline", "TopBar"]

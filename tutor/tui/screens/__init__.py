"""Full screens: the first-run language choice, the main screen, the help."""

from tutor.tui.screens.help import HelpScreen
from tutor.tui.screens.language import LanguageScreen
from tutor.tui.screens.main import MainScreen

__all__ = ["HelpScreen", "LanguageScreen", "MainScreen"]

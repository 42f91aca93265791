"""First run: choose the language and see where the exercise files will be written."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.i18n import LANGS, tr
from tutor.tui.texts import lang_name


class LanguageScreen(Screen[str]):
    """Dismisses with "ja" or "en". The explanation follows the highlighted language,
    so a student who cannot read one of them still understands the question."""

    DEFAULT_CSS = """
    LanguageScreen {
        align: center middle;
        & > #box {
            width: 76;
            max-width: 100%;
            height: auto;
            border: round $primary;
            padding: 0 1;
        }
        & #welcome { text-style: bold; margin-bottom: 1; }
        & #workspace { color: $accent; margin-bottom: 1; }
        & OptionList, & OptionList:focus { height: auto; border: none; margin: 1 0; }
        & .muted { color: $text-muted; }
    }
    """

    def __init__(self, preselected: str, workspace: str) -> None:
        super().__init__()
        self.preselected = preselected if preselected in LANGS else LANGS[0]
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        """Welcome, the question, the two languages, the workspace."""
        with Vertical(id="box"):
            yield Static(id="welcome", markup=False)
            yield Static(id="question", markup=False)
            yield OptionList(*[Option(lang_name(lang), id=lang) for lang in LANGS], id="langs")
            yield Static(id="workspace-intro", markup=False)
            yield Static(self.workspace, id="workspace", markup=False)
            yield Static(id="workspace-change", classes="muted", markup=False)
            yield Static(id="keys", classes="muted", markup=False)

    def on_mount(self) -> None:
        """Preselect the language from --lang or the locale."""
        langs = self.query_one("#langs", OptionList)
        langs.highlighted = LANGS.index(self.preselected)
        langs.focus()
        self._explain(self.preselected)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Explain in the language under the cursor."""
        self._explain(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter chooses."""
        self.dismiss(event.option.id)

    def _explain(self, lang: str) -> None:
        for widget_id, key in (("welcome", "tui.welcome.title"), ("question", "tui.welcome.lang"),
                               ("workspace-intro", "tui.welcome.workspace"),
                               ("workspace-change", "tui.welcome.workspace_change"), ("keys", "tui.welcome.keys")):
            self.query_one(f"#{widget_id}", Static).update(tr(key, lang))

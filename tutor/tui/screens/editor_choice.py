"""First run, after the language: which editor `e` opens (asked once; never when $VISUAL or
$EDITOR is set). Installed gentle editors come first and nano or micro is preselected."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.i18n import tr
from tutor.tui.editor import OTHER


LABELS = {"nano": "tui.editor.nano", "micro": "tui.editor.micro", "vim": "tui.editor.vim", OTHER: "tui.editor.other"}
"""Each choice's line, naming how to save and quit."""


class EditorScreen(Screen[str]):
    """Dismisses with the chosen editor's name, or `OTHER`."""

    DEFAULT_CSS = """
    EditorScreen {
        align: center middle;
        & > #box {
            width: 76;
            max-width: 100%;
            height: auto;
            border: round $primary;
            padding: 0 1;
        }
        & #editor-title { text-style: bold; margin-bottom: 1; }
        & OptionList, & OptionList:focus { height: auto; border: none; margin: 1 0; }
        & .muted { color: $text-muted; }
    }
    """

    def __init__(self, options: list[str], lang: str) -> None:
        super().__init__()
        self.options = options
        self.lang = lang

    def compose(self) -> ComposeResult:
        """The question, the editors, the keys."""
        lang = self.lang
        with Vertical(id="box"):
            yield Static(tr("tui.editor.title", lang), id="editor-title", markup=False)
            question = tr("tui.editor.question", lang)
            if "nano" in self.options:
                question += ("" if lang == "ja" else " ") + tr("tui.editor.nano_tip", lang)
            yield Static(question, markup=False)
            yield OptionList(*[Option(tr(LABELS[name], lang), id=name) for name in self.options],
                             id="editors")
            yield Static(tr("tui.editor.later", lang), classes="muted", markup=False)
            yield Static(tr("tui.editor.keys", lang), classes="muted", markup=False)

    def on_mount(self) -> None:
        """The first option (the gentlest installed editor) is highlighted."""
        editors = self.query_one("#editors", OptionList)
        editors.highlighted = 0
        editors.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter chooses."""
        self.dismiss(event.option.id or OTHER)

"""The help screen: every key with what it does, how watching works, where files are."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text as RText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tutor.i18n import tr
from tutor.tui.dialogs.base import DIALOG_CSS, Dialog
from tutor.tui.texts import KEYS, short_path


def keys_table(lang: str) -> Table:
    """Key, short label, and the sentence from `tui.help.<action>`."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for key in KEYS:
        table.add_row(RText(f" {key.shown} ", style="reverse bold"), RText(key.label(lang), style="bold"),
                      RText(tr(f"tui.help.{key.action}", lang)))
    return table


class HelpScreen(Dialog[None]):
    """Esc, q or ? closes it."""

    DEFAULT_CSS = "HelpScreen {" + DIALOG_CSS + """
        & > #box { width: 100; height: 90%; }
        & .section { text-style: bold; margin-top: 1; }
    }"""

    BINDINGS = [Binding("escape", "close", show=False),
                Binding("question_mark", "close", show=False)]

    def __init__(self, lang: str, workspace: str) -> None:
        super().__init__()
        self.lang = lang
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        """Keys, then watching, then files."""
        lang = self.lang
        with VerticalScroll(id="box"):
            yield Static(tr("tui.help.title", lang), id="box-title", markup=False)
            yield Static(tr("tui.help.keys", lang), classes="section", markup=False)
            yield Static(keys_table(lang))
            yield Static(tr("tui.help.move", lang), markup=False)
            yield Static(tr("tui.help.watch_title", lang), classes="section", markup=False)
            yield Static(tr("tui.help.watch", lang), markup=False)
            yield Static(tr("tui.help.files_title", lang), classes="section", markup=False)
            yield Static(tr("tui.help.files", lang, workspace=short_path(self.workspace)), markup=False)
            yield Static(tr("tui.close", lang), classes="keys", markup=False)

    def on_mount(self) -> None:
        """Arrow keys scroll at once."""
        self.query_one("#box").focus()

    def action_close(self) -> None:
        """Back to the main screen."""
        self.dismiss(None)

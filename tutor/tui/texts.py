"""Catalogue look-ups for the TUI, the key table, and the small formatters panels share.

Every text the TUI shows is `tui.*` in `tutor/i18n/locale/tui.toml`, looked up
with `tr` and its full key (so a test can find every key the code uses);
verdict headlines and progress words come from the core's catalogue, as in
the CLI.
Marks and separators are chosen among characters of East Asian width "N"
(✓ ✗ ▸ ⠋ and ASCII): terminals that draw "ambiguous" ones double-width, as
many Japanese setups do, would otherwise push Japanese text out of line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tutor.i18n import tr


@dataclass(frozen=True)
class Key:
    """One key of the main screen: its binding, its action, and where its texts live."""

    key: str
    """The Textual key name."""
    shown: str
    """What the key bar and the help print."""
    action: str
    """The main screen's action (without `action_`); also the `tui.key.*` / `tui.help.*` suffix."""
    bar: bool = True
    """Shown in the key bar; False for keys the bar shows only when every key fits on its one line
    (the help always lists them)."""
    rank: int = 0
    """Which keys the one-line bar gives up first when it is short of columns, highest first
    (0: never; `?` is always there, so the help reaches the others)."""

    def label(self, lang: str) -> str:
        """The key bar's word for it; `l` names the language it switches to, in that language."""
        if self.action == "lang":
            return lang_name(other_lang(lang))
        return tr(f"tui.key.{self.action}", lang)


KEYS: tuple[Key, ...] = (
    Key("e", "e", "edit"), Key("c", "c", "check"), Key("h", "h", "hint"), Key("s", "s", "solution", rank=1),
    Key("r", "r", "reset", rank=1), Key("n", "n", "next"), Key("p", "p", "prev", rank=2),
    Key("d", "d", "device", rank=3), Key("l", "l", "lang", rank=1), Key("z", "z", "zoom", rank=3),
    Key("question_mark", "?", "help"), Key("q", "q", "quit"),
    Key("a", "a", "check_all", bar=False), Key("g", "g", "jump", bar=False), Key("f", "f", "find", bar=False),
    Key("x", "x", "study", bar=False),
)
"""The main screen's keys in the order the key bar and the help list them."""

STATUS_MARK = {"passed": ("✓", "green"), "attempted": ("✗", "yellow"), "not_started": ("-", "bright_black")}
"""Per-exercise status in the outline (same marks as `dltutor list`)."""

CHECK_MARK = {"passed": ("✓", "green"), "failed": ("✗", "red"), "todo": ("?", "yellow"), "error": ("!", "red"),
              "needs_gpu": ("-", "yellow"), "unavailable": ("-", "yellow"), "not_run": ("-", "bright_black")}
"""Per-check status in a verdict."""

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
"""Frames of the checking indicator (braille: one cell wide everywhere)."""


def short_path(path: Path | str, home: Path | None = None) -> str:
    """`path` with the home directory written as `~`, as students type it."""
    path = Path(path)
    home = Path(os.path.expanduser("~")) if home is None else home
    try:
        return str(Path("~") / path.relative_to(home))
    except ValueError:
        return str(path)


def duration(seconds: float, lang: str) -> str:
    """A span of time in minutes and seconds, or hours and minutes."""
    total = max(0, int(round(seconds)))
    hours, rest = divmod(total, 3600)
    if hours:
        return tr("tui.time.hours", lang, h=hours, m=rest // 60)
    return tr("tui.time.minutes", lang, m=rest // 60, s=rest % 60)


def lang_name(lang: str) -> str:
    """A language's name in itself: 日本語, English."""
    return tr(f"tui.lang_name.{lang}", lang)


def other_lang(lang: str) -> str:
    """The language `l` switches to."""
    return "en" if lang == "ja" else "ja"

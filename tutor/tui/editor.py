"""Which editor `e` opens: `$VISUAL`, `$EDITOR`, the one chosen on the welcome screen, or a
sensible one that is installed.

With neither variable set, a first-year student would otherwise land in vim and learn it only
after escaping: the welcome screen asks once (`editor_options`), gentlest first, and the choice
is kept in the store's settings (`EDITOR_SETTING`). "other" means "I edit in another window".
"""

from __future__ import annotations

import os
import shlex
import shutil
from typing import Callable

CHOICES = ("nano", "micro", "vim")
"""What the welcome screen offers, gentlest first (those installed), then "other"."""
OTHER = "other"
"""The choice "I edit in another window": `e` only says which file to open."""
FALLBACKS = ("nano", "micro", "vim", "vi")
"""Tried in order when nothing was set or chosen: nano or micro first, as the gentlest for beginners."""
EDITOR_SETTING = "editor"
VIM_NOTE_SETTING = "vim_note_seen"
"""Set once the how-to-quit-vim note was shown: it is never repeated."""


def env_editor(env: dict[str, str] | None = None) -> list[str] | None:
    """The argv `$VISUAL` or `$EDITOR` names, if either is set."""
    env = os.environ if env is None else env
    for var in ("VISUAL", "EDITOR"):
        value = env.get(var, "").strip()
        if value:
            try:
                argv = shlex.split(value)  # "code --wait", "emacs -nw"
            except ValueError:
                argv = [value]
            if argv:
                return argv
    return None


def editor_options(which: Callable[[str], str | None] = shutil.which) -> list[str]:
    """The choices for the welcome screen: the installed ones of `CHOICES`, then `OTHER`."""
    return [name for name in CHOICES if which(name)] + [OTHER]


def find_editor(env: dict[str, str] | None = None, which: Callable[[str], str | None] = shutil.which,
                chosen: str | None = None) -> tuple[list[str], bool] | None:
    """The editor's argv and whether it is a fallback (nobody chose it); None if there is none,
    or the student edits in another window (`chosen == OTHER`)."""
    argv = env_editor(env)
    if argv:
        return argv, False
    if chosen == OTHER:
        return None
    if chosen and which(chosen):
        return [chosen], False
    for name in FALLBACKS:
        if which(name):
            return [name], True
    return None


def is_vim(argv: list[str]) -> bool:
    """Whether `argv` starts vi or vim (the how-to-quit note goes before it)."""
    return os.path.basename(argv[0]) in ("vi", "vim", "nvim", "view")

"""Which editor `e` opens: `$VISUAL`, `$EDITOR`, or a sensible one that is installed."""

from __future__ import annotations

import os
import shlex
import shutil
from typing import Callable

FALLBACKS = ("nano", "vim", "vi")
"""Tried in order when neither variable is set: nano first, as the gentlest for beginners."""


def find_editor(env: dict[str, str] | None = None,
                which: Callable[[str], str | None] = shutil.which) -> tuple[list[str], bool] | None:
    """The editor's argv and whether it is a fallback (the app then says which); None if none."""
    env = os.environ if env is None else env
    for var in ("VISUAL", "EDITOR"):
        value = env.get(var, "").strip()
        if value:
            try:
                argv = shlex.split(value)  # "code --wait", "emacs -nw"
            except ValueError:
                argv = [value]
            if argv:
                return argv, False
    for name in FALLBACKS:
        if which(name):
            return [name], True
    return None

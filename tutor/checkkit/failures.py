"""Exceptions a check raises to say what is wrong, in both languages."""

from __future__ import annotations

import re

from tutor.i18n import Text


_NO_SPACE_AFTER = re.compile(r"([。、]) +")


class CheckFailure(Exception):
    """The student's answer is wrong; `text` says how, in Japanese and English."""

    def __init__(self, ja: str, en: str):
        super().__init__(en)
        # Messages are often built from pieces (a reason, then a likely cause); Japanese puts no space after 。/、.
        self.text = Text(ja=_NO_SPACE_AFTER.sub(r"\1", ja), en=en)


class Todo(CheckFailure):
    """The student's function still raises NotImplementedError (its TODO is left)."""

    def __init__(self, name: str):
        super().__init__(
            ja=f"`{name}` はまだ `raise NotImplementedError` のままです。TODO の部分を書いてください。",
            en=f"`{name}` still raises NotImplementedError: fill in its TODO.",
        )
        self.name = name


class Unavailable(CheckFailure):
    """The check cannot run here (e.g. optional data that needs the network): never a pass.

    The verdict says why, so an optional exercise is shown as unavailable
    rather than failed.
    """

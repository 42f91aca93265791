"""Line breaking for Japanese in Textual and Rich.

Both libraries break lines only at spaces. Japanese has none between words,
so a sentence after an inline `code` or a number ("演習 1.1 にはまだ...") is
one long "word": it jumps to the next line and leaves a half-empty line
behind. Japanese may break between any two characters, except before closing
punctuation (、。」) or after opening brackets (「) -- the kinsoku rules.

`install()` swaps the one regular expression each library uses to split a
line into breakable chunks for one that also splits Japanese runs into
single characters, keeping those rules. It only replaces a pattern it
recognises, so a future Textual or Rich that changes its internals is left
alone (with the old, space-only breaking).
"""

from __future__ import annotations

import re

CJK = "\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
"""Japanese punctuation, kana, kanji and full-width forms."""
NO_LINE_START = "、。，．・：；？！ー」』）］｝〕〉》】ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々)]},.:;!?"
"""Characters that may not begin a line: they stay with the character before."""
NO_LINE_END = "「『（［｛〔〈《【([{"
"""Characters that may not end a line: they stay with the character after."""

_JA_CHUNK = f"[{re.escape(NO_LINE_END)}]*[{CJK}][{re.escape(NO_LINE_START)}]*"
TEXTUAL_CHUNK = re.compile(rf"{_JA_CHUNK}\s*|[^\s{CJK}]+\s*|\s+")
"""Textual's `re_chunk`, with each Japanese character (and its kinsoku neighbours) a chunk."""
RICH_WORD = re.compile(rf"\s*(?:{_JA_CHUNK}|[^\s{CJK}]+)\s*")
"""Rich's `re_word`, likewise."""

_ORIGINAL = {"textual": r"\S+\s*|\s+", "rich": r"\s*\S+\s*"}


def install() -> None:
    """Let Textual and Rich break Japanese text between characters (idempotent)."""
    import rich._wrap
    import textual._wrap

    if getattr(textual._wrap, "re_chunk", None) is not None and textual._wrap.re_chunk.pattern == _ORIGINAL["textual"]:
        textual._wrap.re_chunk = TEXTUAL_CHUNK
    if getattr(rich._wrap, "re_word", None) is not None and rich._wrap.re_word.pattern == _ORIGINAL["rich"]:
        rich._wrap.re_word = RICH_WORD

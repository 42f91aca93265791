"""Where a line of text may break: one rule for the CLI (Rich) and the TUI (Textual).

Both libraries break only at spaces. Japanese has none between words, so
they either leave a sentence after `code` or a number as one long "word"
(ragged lines) or, folded, cut it anywhere (`[不` / `合格]`, `ま` / `す`).
Here a line may break:

* after a run of spaces (as in English);
* in Japanese, between two phrases as BudouX (the phrase segmenter Chrome
  uses) finds them;

and never

* before a character that may not begin a line (。、」ー small kana...) or
  after one that may not end it (「（【...): 行頭禁則 and 行末禁則;
* inside `inline code`, a bracketed status (`[不合格]`, `【任意】`), a
  command (`dltutor check 1.2`), or between a number and its unit
  (`20 秒`, `40.0 GiB`, `2 次元`).

`break_points` says where; `pieces` cuts a line there; `wrap` fills lines
of a given width (a "piece" wider than the line is cut by characters,
keeping the kinsoku rules). Pure Python on top of BudouX: no Rich, no
Textual; `tutor.i18n.richtext` and `tutor.tui.wrap` plug it into them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CJK = "\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
"""Japanese punctuation, kana, kanji and full-width forms."""
NO_LINE_START = "、。，．・：；？！ー」』）］｝〕〉》】ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々)]},.:;!?"
"""Characters that may not begin a line (行頭禁則): they stay with the character before."""
NO_LINE_END = "「『（［｛〔〈《【([{"
"""Characters that may not end a line (行末禁則): they stay with the character after."""

LONG_PHRASE = 8
"""A phrase of this many characters may be split inside rather than leave a line half empty (short ones never are)."""

_HAS_CJK = re.compile(f"[{CJK}]")
_AFTER_PUNCT = re.compile("[、。・，．：；？！」』）】]+")
_BEFORE_OPEN = re.compile("[「『（【]")
_UNITS = ("%|GiB|MiB|KiB|TiB|GB|MB|KB|kB|TB|B|ms|µs|us|ns|s|sec|min|h|px|x|×|dB|°C|°|K|M|G|"
          "epochs?|steps?|bytes?|bits?|cells?|lines?|columns?|rows?|points?")
_KEEP = re.compile(
    r"`[^`\n]+`"  # inline code, backticks and all
    r"|【[^】\n]{1,24}】|\[[^\]\n]{1,24}\]|［[^］\n]{1,24}］"  # a bracketed status or tag
    r"|\bdltutor(?: [a-z][a-z-]*)(?: (?:\d+\.\d+|--?[a-z][a-z-]*))*"  # a command, with its exercise id
    rf"|(?<![\w.])[-+]?\d+(?:[.,]\d+)*(?: ?(?:{_UNITS})(?![A-Za-z])| ?[{CJK}])"  # a number and its unit
)
"""Spans no line may break inside."""


def is_cjk(char: str) -> bool:
    """Whether `char` is Japanese (kana, kanji, Japanese punctuation, full-width forms)."""
    return bool(_HAS_CJK.match(char))


@lru_cache(maxsize=1)
def _parser():
    import budoux

    return budoux.load_default_japanese_parser()


def _phrase_ends(text: str) -> set[int]:
    """Indices between two of BudouX's phrases."""
    ends: set[int] = set()
    pos = 0
    for phrase in _parser().parse(text):
        pos += len(phrase)
        ends.add(pos)
    return ends


def needs_care(text: str) -> bool:
    """Whether `text` breaks differently here than at plain spaces (Japanese, or a span to keep)."""
    return bool(_HAS_CJK.search(text) or _KEEP.search(text))


@lru_cache(maxsize=8192)
def break_points(text: str, keep: tuple[tuple[int, int], ...] = ()) -> tuple[int, ...]:
    """The indices (0 < i < len(text)) where a new line may begin, in order.

    `text` is one line (no newline); a break after a run of spaces leaves the
    spaces at the end of the line before, where a renderer drops them.
    `keep`: more (start, end) spans not to break inside (code whose
    backticks a renderer has already taken away).
    """
    n = len(text)
    candidates = {m.end() for m in re.finditer(r"\s+", text) if m.start() > 0}
    if _HAS_CJK.search(text):
        candidates |= _phrase_ends(text)
        # After Japanese punctuation and before an opening bracket a line may always break.
        candidates |= {m.end() for m in _AFTER_PUNCT.finditer(text)} | {m.start() for m in _BEFORE_OPEN.finditer(text)}
    kept: set[int] = set()
    for m in _KEEP.finditer(text):
        kept.update(range(m.start() + 1, m.end()))
    for start, end in keep:
        kept.update(range(start + 1, end))
    points = []
    for i in sorted(candidates):
        if not 0 < i < n or i in kept:
            continue
        before, after = text[i - 1], text[i]
        if after.isspace():
            continue  # spaces stay at the end of the line before
        if not before.isspace() and not (is_cjk(before) or is_cjk(after)):
            continue  # inside a word of Latin letters, digits and signs
        if after in NO_LINE_START or before in NO_LINE_END:
            continue
        points.append(i)
    return tuple(points)


def pieces(text: str, keep: tuple[tuple[int, int], ...] = ()) -> list[str]:
    """`text` cut at every break point: each piece keeps its trailing spaces."""
    cuts = (0, *break_points(text, keep), len(text))
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


@lru_cache(maxsize=8192)
def soft_points(text: str, keep: tuple[tuple[int, int], ...] = ()) -> frozenset[int]:
    """Indices inside Japanese phrases where a line may break when it would otherwise be left half empty.

    Between two characters of which one is Japanese, never against the
    kinsoku rules or inside a span to keep, and never leaving a single
    character of a run alone on either side (`ま` / `す`).
    """
    kept: set[int] = set()
    for m in _KEEP.finditer(text):
        kept.update(range(m.start() + 1, m.end()))
    for start, end in keep:
        kept.update(range(start + 1, end))
    points = set()
    for i in range(2, len(text) - 1):
        before, after = text[i - 1], text[i]
        if i in kept or before.isspace() or after.isspace() or not (is_cjk(before) and is_cjk(after)):
            continue
        if after in NO_LINE_START or before in NO_LINE_END:
            continue
        if text[i - 2].isspace() or text[i + 1].isspace() or text[i + 1] in NO_LINE_START:
            continue  # one character alone, or with only its punctuation, on a line
        points.add(i)
    return frozenset(points)


def cell_width(text: str) -> int:
    """Terminal cells `text` takes: two for wide and full-width characters, none for combining marks."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or char in "\u200b\u200d":
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def _fold(piece: str, width: int) -> list[str]:
    """A piece wider than a line, cut by characters, kinsoku kept.

    A character that may not begin a line takes the one before it along to
    the next line (追い出し), so that no line is wider than `width`.
    """
    parts: list[str] = []
    current = ""
    for char in piece:
        if current and cell_width(current + char.rstrip()) > width and current[-1] not in NO_LINE_END:
            carry = ""
            while char in NO_LINE_START and len(current) > 1 and current[-1] not in NO_LINE_END \
                    and (current[-1] in NO_LINE_START or not carry):
                carry, current = current[-1] + carry, current[:-1]
            parts.append(current)
            current = carry
        current += char
    if current:
        parts.append(current)
    return parts


def wrap(text: str, width: int, *, indent: int = 0, first_width: int | None = None,
         keep: tuple[tuple[int, int], ...] = (), fold: bool = True) -> list[tuple[int, int]]:
    """Lines of at most `width` cells, as (start, end) indices into `text` (one line, no newline).

    Lines break at `break_points`; a long Japanese phrase (LONG_PHRASE
    characters or more) that would leave the line more than half empty is
    split inside at a `soft_points` index instead. `first_width` is the first line's room when it differs (a mark
    before it); `indent` cells are taken from every later line (a hanging
    indent). Trailing spaces count for nothing. A piece wider than a whole
    line is cut by characters (`fold`), or left to overflow.
    """
    spans: list[tuple[int, int]] = []
    room = max(1, first_width if first_width is not None else width)
    next_room = max(1, width - indent)
    soft = soft_points(text, keep) if _HAS_CJK.search(text) else frozenset()
    start = used = pos = 0
    queue = pieces(text, keep)
    while queue:
        piece = queue.pop(0)
        piece_w = cell_width(piece.rstrip())
        if used and used + piece_w > room:
            left = room - used
            cut = _soft_cut(text, pos, piece, left, soft) if left * 2 > room and len(piece.rstrip()) >= LONG_PHRASE else None
            if cut:
                queue[:0] = [piece[:cut], piece[cut:]]
                continue
            spans.append((start, pos))
            start, used, room = pos, 0, next_room
        if piece_w > room and fold:
            parts = _fold(piece, room)
            queue[:0] = parts[1:]
            piece = parts[0]
        pos += len(piece)
        used += cell_width(piece)
    spans.append((start, len(text)))
    return spans


def _soft_cut(text: str, pos: int, piece: str, room: int, soft: frozenset[int]) -> int | None:
    """The longest head of `piece` (at `pos` in `text`) that fits `room` cells and ends at a soft point."""
    best = None
    for k in range(1, len(piece)):
        if cell_width(piece[:k]) > room:
            break
        if pos + k in soft:
            best = k
    return best


def wrap_lines(text: str, width: int, *, indent: int = 0) -> list[str]:
    """`text` (newlines kept as breaks) filled to `width`, continuation lines indented by `indent` spaces."""
    out: list[str] = []
    for line in text.split("\n"):
        for k, (a, b) in enumerate(wrap(line, width, indent=indent)):
            out.append((" " * indent if k else "") + line[a:b].rstrip())
    return out

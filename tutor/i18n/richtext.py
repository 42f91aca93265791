"""Titles and messages as Rich text, for the CLI and the TUI alike.

* `inline(text)`: the inline Markdown that course texts and messages use
  (`code`) as styled Rich text, the backticks gone (only code: a `**` in a
  message is as likely Python's power as Markdown's bold);
* `plain(text)`: the same text with the marks stripped (for places that
  take no styles, such as a panel's border title);
* `Prose`: a paragraph that breaks lines by `tutor.i18n.linebreak` (never
  inside `code`, a number and its unit, a bracketed status), with a mark
  before the first line and a hanging indent under it;
* `install()`: makes Rich's own wrapping (tables, panels, plain `Text`)
  follow the same rule, for the text that is not a `Prose`.

Rich only; no Textual (the TUI plugs the rule into Textual in `tutor.tui.wrap`).
Importing `tutor.i18n` does not import this module.
"""

from __future__ import annotations

import re
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from tutor.i18n import linebreak

CODE_STYLE = "bold cyan"
"""How inline code looks (readable on dark and light terminals, and in 16 colours)."""

_INLINE = re.compile(r"`([^`\n]+)`")


def plain(text: str) -> str:
    """`text` without its inline Markdown marks: "`nn.MSELoss` で" -> "nn.MSELoss で"."""
    return _INLINE.sub(lambda m: m.group(1), text)


def _parse(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The plain text, and the (start, end) of each code span in it."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = length = 0
    for m in _INLINE.finditer(text):
        out.append(text[pos:m.start()])
        length += m.start() - pos
        inner = m.group(1)
        spans.append((length, length + len(inner)))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


def inline(text: str, style: str = "", code_style: str = CODE_STYLE) -> Text:
    """`text` with its inline code rendered; everything else as it is (never Rich markup)."""
    shown, spans = _parse(text)
    result = Text(shown, style=style)
    for start, end in spans:
        result.stylize(code_style, start, end)
    return result


class Prose:
    """A paragraph of course or message text that wraps by the tutor's line-breaking rule.

    `prefix` (a check's mark, a label) goes before the first line; later
    lines start `hang` cells in (by default under the text after the prefix);
    `suffix` (a status) follows the text.
    Inline Markdown is rendered unless `markdown=False` (student text).
    """

    def __init__(self, text: str | Text, *, style: str = "", prefix: str | Text = "", hang: int | None = None,
                 suffix: Text | None = None, markdown: bool = True, code_style: str = CODE_STYLE) -> None:
        self.prefix = Text(prefix) if isinstance(prefix, str) else prefix
        if isinstance(text, Text):
            self.text, self.keep = text, []
        elif markdown:
            self.text = inline(text, style, code_style)
            self.keep = _parse(text)[1]
        else:
            self.text, self.keep = Text(text, style=style), []
        if suffix is not None:
            self.text = self.text + suffix
        self.hang = self.prefix.cell_len if hang is None else hang

    def lines(self, width: int) -> list[Text]:
        """The paragraph as lines of at most `width` cells (a line wider only if one word is)."""
        result: list[Text] = []
        offset = 0
        for k, line in enumerate(self.text.split("\n", allow_blank=True)):
            length = len(line.plain)
            keep = tuple((a - offset, b - offset) for a, b in self.keep if offset <= a and b <= offset + length)
            first = width - self.prefix.cell_len if k == 0 else width - self.hang
            spans = linebreak.wrap(line.plain, width, indent=self.hang, first_width=first, keep=keep)
            for j, (a, b) in enumerate(spans):
                piece = line[a:b]
                piece.rstrip()
                lead = self.prefix.copy() if k == 0 and j == 0 else Text(" " * self.hang)
                result.append(lead + piece)
            offset += length + 1
        return result

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.lines(options.max_width)
        for line in lines:
            line.no_wrap = True
            line.overflow = "fold"
            line.end = "\n"
        yield from lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        text = self.text.plain
        words = [linebreak.cell_width(p.rstrip()) for line in text.split("\n") for p in linebreak.pieces(line)]
        widest = max((linebreak.cell_width(line) for line in text.split("\n")), default=0)
        minimum = self.hang + max(words, default=1)
        return Measurement(min(minimum, options.max_width), min(self.prefix.cell_len + widest, options.max_width))


def divide_line(original):
    """A `divide_line(text, width, fold)` (Rich's contract: where to cut one line) by the tutor's rule.

    Text without Japanese or a span to keep goes to `original` unchanged, so
    English wraps exactly as Rich wraps it.
    """
    def divide(text: str, width: int, fold: bool = True) -> list[int]:
        if "\t" in text or not linebreak.needs_care(text):
            return original(text, width, fold=fold)
        return [start for start, _end in linebreak.wrap(text, width, fold=fold)[1:]]

    divide._dltutor = True  # type: ignore[attr-defined]
    divide.original = original  # type: ignore[attr-defined]
    return divide


def install(*modules) -> None:
    """Let Rich's own wrapping (`Text`, tables, panels) follow the same rule (idempotent).

    Rich cuts lines with `rich._wrap.divide_line`, which `rich.text` (and
    `textual.content`, passed in `modules` by the TUI) import by name: each
    name is replaced only where it still is Rich's own function.
    """
    import rich._wrap
    import rich.text

    if not _RICH_DIVIDE:
        _RICH_DIVIDE.append(getattr(rich._wrap.divide_line, "original", rich._wrap.divide_line))
    for module in (rich._wrap, rich.text, *modules):
        if getattr(module, "divide_line", None) is _RICH_DIVIDE[0]:
            module.divide_line = divide_line(_RICH_DIVIDE[0])


_RICH_DIVIDE: list = []
"""Rich's own `divide_line`, once found."""

"""The tutor's line-breaking rule (`tutor.i18n.linebreak`) in Textual.

Textual, like Rich, breaks lines only at spaces. Japanese has none between
words, so a sentence after an inline `code` or a number is one long "word":
it jumps to the next line and leaves a half-empty line behind, or is folded
anywhere, even inside `[不合格]` or between `2` and `次元`.

Textual's `Content` (every widget's text, the lesson's Markdown) cuts lines
with Rich's `divide_line`, imported into `textual.content` by name.
`install()` replaces it there, and in Rich, by the tutor's
(`tutor.i18n.richtext.install`): breaks at spaces and between Japanese
phrases (BudouX), kinsoku kept, never inside a bracketed status, a command,
or between a number and its unit. Text without Japanese or such a span goes
to Rich's own function unchanged; a Textual that no longer imports it is
left alone (with the old, space-only breaking).
"""

from __future__ import annotations

from tutor.i18n.richtext import install as install_rich


def install() -> None:
    """Let Textual and Rich break lines by the tutor's rule (idempotent)."""
    import textual.content

    install_rich(textual.content)

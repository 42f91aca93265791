"""The one escape for student-originated text before it reaches a terminal or a report.

Student code controls exception messages, printed output, reprs inside check
messages and the file itself. Sent raw to a terminal, an OSC sequence writes
the clipboard or the title, a CSI clears the screen, a C1 control is read by
some terminals as ESC, and bidirectional overrides make a line read other
than it is. `escape_text` shows each such character as visible text
(`\\x1b`, `\\u202e`), keeps newlines and tabs, and is idempotent (escaping
twice gives the same text), so stored verdicts can be escaped again on read.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and newline, DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides, isolates
    "\u2028\u2029\ufeff"  # line/paragraph separators, BOM / zero-width no-break space
    "]"
)


def _show(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_text(text: str) -> str:
    """`text` with every control, C1 and bidi-control character shown as a visible escape."""
    if not isinstance(text, str):
        text = str(text)
    return _UNSAFE.sub(_show, text)


def escape_bytes(data: bytes) -> str:
    """Decode bytes from student code (invalid UTF-8 shown as `\\xNN`) and escape them."""
    return escape_text(data.decode("utf-8", errors="backslashreplace"))

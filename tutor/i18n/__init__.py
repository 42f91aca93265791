"""Every text in both languages: the language choice and the message catalogue.

Holds `catalogue` (the code), `escape` (the one escape of student text for
terminals and reports), `linebreak` (where a line of Japanese or English
may break: BudouX phrases, kinsoku, numbers with their units and `code`
kept whole; pure Python), `richtext` (that rule, and inline code, as Rich
text for the CLI and the TUI) and `locale/*.toml` (every message the tutor
itself prints, each key with a `ja` and an `en` string). The bottom of the
house: it imports nothing from the rest of `tutor`; importing it imports
neither Rich nor BudouX (`linebreak` and `richtext` are imported by name).
"""

from tutor.i18n.catalogue import LANGS, Notice, Text, catalogue, detect_lang, tr
from tutor.i18n.escape import escape_bytes, escape_text

__all__ = ["LANGS", "Notice", "Text", "catalogue", "detect_lang", "escape_bytes", "escape_text", "tr"]

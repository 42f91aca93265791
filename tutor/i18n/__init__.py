"""Every text in both languages: the language choice and the message catalogue.

Holds `catalogue` (the code) and `locale/*.toml` (every message the tutor
itself prints, each key with a `ja` and an `en` string). The bottom of the
house: it imports nothing from the rest of `tutor`.
"""

from tutor.i18n.catalogue import LANGS, Notice, Text, catalogue, detect_lang, tr

__all__ = ["LANGS", "Notice", "Text", "catalogue", "detect_lang", "tr"]

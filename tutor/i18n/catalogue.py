"""Bilingual text: language choice and the message catalogue.

Every message the tutor itself prints lives in `tutor/i18n/locale/*.toml`, one
table per key with a `ja` and an `en` string (Python `str.format` fields).
Keeping both languages side by side in one table makes a missing translation
visible in review and lets a test prove that none is missing.
"""

from __future__ import annotations

import locale
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

LANGS = ("ja", "en")
"""The languages every text exists in, in the order they are listed."""

_LOCALE_DIR = Path(__file__).with_name("locale")


def detect_lang(env: dict[str, str] | None = None) -> str:
    """Return "ja" or "en" from `DLTUTOR_LANG` or the POSIX locale variables."""
    env = os.environ if env is None else env
    explicit = env.get("DLTUTOR_LANG", "").strip().lower()
    if explicit in LANGS:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    try:  # pragma: no cover - depends on the machine's locale settings
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "ja" if code.lower().startswith("ja") else "en"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Load and merge every catalogue file; later files may not redefine keys."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_LOCALE_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for key, texts in data.items():
            if key in merged:
                raise ValueError(f"message key {key!r} defined twice ({path.name})")
            merged[key] = texts
    return merged


def tr(key: str, lang: str, /, **params: object) -> str:
    """Translate `key` into `lang`, filling `params`; unknown keys show themselves."""
    texts = catalogue().get(key)
    if texts is None:
        return key
    template = texts.get(lang) or texts.get("en") or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


@dataclass(frozen=True)
class Text:
    """A piece of text in both languages, as checks and the manifest give it."""

    ja: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to the other language when empty."""
        return (self.ja if lang == "ja" else self.en) or self.en or self.ja

    def to_json(self) -> dict[str, str]:
        """Plain dict form, for JSON output and the store."""
        return {"ja": self.ja, "en": self.en}

    @classmethod
    def from_json(cls, data: object) -> "Text":
        """Build from `{"ja": ..., "en": ...}`; anything else becomes empty text."""
        if isinstance(data, dict):
            return cls(ja=str(data.get("ja", "")), en=str(data.get("en", "")))
        if isinstance(data, str):
            return cls(ja=data, en=data)
        return cls(ja="", en="")


@dataclass(frozen=True)
class Notice:
    """A message for the user from the core (e.g. the store was moved aside).

    Front ends render it with `tr(notice.key, lang, **notice.params)`.
    """

    key: str
    level: str = "warn"  # "info", "warn" or "error"
    params: dict[str, object] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        """The notice as one line of text in `lang`."""
        return tr(self.key, lang, **self.params)

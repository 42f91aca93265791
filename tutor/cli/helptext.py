"""`dltutor --help` and usage errors in the student's language.

The parser in `tutor.cli` is written in English and stays the one source of the English
texts; `localise(parser, "ja")` replaces every help text by its Japanese entry in
`tutor/i18n/locale/clihelp.toml` (the `help.*` entries, matched by their `en`), and
`argparse_language("ja")` makes argparse's own words ("usage:", "options", "the following
arguments are required") Japanese (the `argparse.*` entries, matched by argparse's message ids).
The language is known before parsing: `--lang` in the arguments, else the locale.
"""

from __future__ import annotations

import argparse
import gettext

from tutor.i18n import LANGS, detect_lang
from tutor.i18n.catalogue import catalogue


def lang_from_argv(argv: list[str]) -> str:
    """The language `--lang X` (or `--lang=X`) asks for, else the locale's; read before parsing."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in LANGS:
            return value
    return detect_lang()


def table(prefix: str, lang: str) -> dict[str, str]:
    """English text -> text in `lang`, for the catalogue entries under `prefix`."""
    return {texts["en"]: texts.get(lang) or texts["en"]
            for key, texts in catalogue().items() if key.startswith(prefix) and "en" in texts}


def help_texts(parser: argparse.ArgumentParser):
    """Every (holder, attribute) whose text `--help` prints, through the subcommands."""
    if parser.description:
        yield parser, "description"
    for action in parser._actions:
        if action.help and action.help is not argparse.SUPPRESS:
            yield action, "help"
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.help:
                    yield choice, "help"
            for sub in dict.fromkeys(action.choices.values()):
                yield from help_texts(sub)


def localise(parser: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    """Put every help text of `parser` into `lang` (English is left as written)."""
    if lang == "en":
        return parser
    words = table("help.", lang) | table("argparse.", lang)
    for holder, attr in help_texts(parser):
        text = getattr(holder, attr)
        setattr(holder, attr, words.get(text, text))
    return parser


def argparse_language(lang: str) -> None:
    """Make argparse's own messages `lang` for this process (argparse looks them up through
    its module's `_` and `ngettext` at the moment it prints them)."""
    if lang == "en":
        argparse._ = gettext.gettext
        argparse.ngettext = gettext.ngettext
        return
    words = table("argparse.", lang)
    argparse._ = lambda message: words.get(message, message)
    argparse.ngettext = lambda singular, plural, n: words.get(singular if n == 1 else plural,
                                                              gettext.ngettext(singular, plural, n))

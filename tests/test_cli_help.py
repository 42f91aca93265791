"""`--help` and usage errors in Japanese when the language is Japanese (real subprocesses),
and no help text of the parser without its Japanese entry."""

from __future__ import annotations

import os
import subprocess
import sys

from tutor.cli import build_parser
from tutor.cli.helptext import help_texts, table


def dltutor(*args, lang="en"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLTUTOR_")}
    env.update(DLTUTOR_LANG=lang, COLUMNS="100")
    return subprocess.run([sys.executable, "-m", "tutor", *args], env=env, capture_output=True, text=True, timeout=60)


def test_every_help_text_has_a_japanese_entry():
    english = table("help.", "en") | table("argparse.", "en")
    texts = [getattr(holder, attr) for holder, attr in help_texts(build_parser())]
    assert len(texts) > 50
    missing = sorted({t for t in texts if t not in english})
    assert not missing, f"add these to tutor/i18n/locale/clihelp.toml: {missing}"


def test_help_in_japanese_from_the_locale_or_lang():
    ja = dltutor("--help", lang="ja")
    assert ja.returncode == 0 and ja.stdout.startswith("使い方: dltutor")
    assert "オプション:" in ja.stdout and "このヘルプを表示して終了します" in ja.stdout
    assert "演習をチェックします" in ja.stdout and "show this help" not in ja.stdout and "check an exercise" not in ja.stdout
    sub = dltutor("--lang", "ja", "check", "--help")  # --lang wins over an English locale
    assert "すべての演習をチェックして結果を一覧にします" in sub.stdout and "usage:" not in sub.stdout
    en = dltutor("check", "--help")
    assert "usage: dltutor check" in en.stdout and "check every exercise" in en.stdout


def test_usage_errors_in_japanese():
    missing = dltutor("solution", lang="ja")
    assert missing.returncode == 2 and "エラー: 次の引数が必要です: exercise" in missing.stderr
    assert "`dltutor solution --help` で使い方を表示します。" in missing.stderr
    device = dltutor("--lang=ja", "check", "--device", "tpu")
    assert device.returncode == 2 and "デバイス 'tpu' は使えません" in device.stderr
    english = dltutor("solution")
    assert english.returncode == 2 and "the following arguments are required: exercise" in english.stderr

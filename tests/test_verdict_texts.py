"""Verdict texts through the real checker: the headline counts failures and errors apart, an error is
shown once, a syntax error is explained in Japanese, and a timeout says where the code was."""

from __future__ import annotations

import pytest

from tutor.check.checker import Checker

ADD = "basics/01-add"


def test_headline_counts_failures_and_errors_apart_and_shows_the_error_once(checker, minicourse, student_file):
    # 2-D inputs get a wrong sum (a failure); 1-D ones raise in the student's code (an error).
    path = student_file("""
        def add(a, b):
            if a.ndim == 1:
                return 1 / 0
            return a - b
    """)
    verdict = checker.check(minicourse.find(ADD), path)
    assert {c.id: c.status for c in verdict.checks} == {"sum_values": "failed", "keeps_shape": "error"}
    assert verdict.kind == "error" and verdict.error.exc_type == "ZeroDivisionError"
    assert "チェック 2 個のうち、1 個が不合格、1 個がエラーでした。" in verdict.headline("ja")
    assert "。 " not in verdict.headline("ja")
    assert "Of 2 checks, 1 failed and 1 raised an error." in verdict.headline("en")
    header = f"{verdict.error.exc_type}: {verdict.error.message}"
    errored = next(c for c in verdict.checks if c.status == "error")
    assert header not in errored.message.en and header not in errored.message.ja  # the error block says it, once


@pytest.mark.parametrize("source, said", [
    ("def f(:\n    pass\n", "Python の文法に合わない書き方があります"),
    ("x = (1,\n", "`(` が閉じられていません"),
    ("def f():\nreturn 1\n", "1 行目の次には、字下げした中身が必要です"),
    ("if x\n    pass\n", "行の終わりに `:` が必要です"),
    ("x\u3000= 1\n", "全角スペース"),
])
def test_a_syntax_error_is_explained_in_japanese(minicourse, student_file, source, said):
    verdict = Checker().check(minicourse.find(ADD), student_file(source))  # compiled only, never run
    assert verdict.kind == "syntax_error"
    assert said in verdict.detail.ja and verdict.detail.ja.endswith("。"), verdict.detail.ja
    assert not any(word in verdict.detail.ja for word in ("invalid", "expected", "never closed")), verdict.detail.ja
    assert verdict.error.message in verdict.detail.en  # English keeps Python's own words


def test_a_timeout_says_where_the_code_was_when_it_was_stopped(checker, minicourse, student_file):
    path = student_file("""
        def _spin():
            n = 0
            while True:
                n += 1


        def add(a, b):
            _spin()
    """)
    verdict = checker.check(minicourse.find(ADD), path)
    assert verdict.kind == "timeout"
    assert "止めたとき、コードは 4 行目 (_spin) の `n += 1` を実行していました。" in verdict.detail.ja or \
        "止めたとき、コードは 3 行目 (_spin) の `while True:` を実行していました。" in verdict.detail.ja, verdict.detail.ja
    assert "そこへは 8 行目 (add) から呼ばれていました。" in verdict.detail.ja
    assert "called from line 8 (add)." in verdict.detail.en
    for foreign in ("harness", "checkkit", "checks/"):  # only the student's own frames
        assert foreign not in verdict.detail.ja + verdict.detail.en

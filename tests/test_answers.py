"""Every typical wrong answer is rejected with the message that names it; every
correct variant passes.

Answer files live in `tests/answers/<lesson>/<exercise>/`. Each starts with
header comments that state what the checker must say:

    # expect: failed                 (the verdict kind)
    # message: dtype float64         (a phrase of the English text that names the mistake)

`wrong_*.py` files must carry a message; `correct_*.py` files expect `passed`.
The phrase is looked for in the failing checks' messages, the verdict's
detail and the error hint, so it must come from the check, not from the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.check.checker import Checker
from tutor.course.manifest import load_course
from tutor.check.warm import WarmRunner

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = Path(__file__).resolve().parent / "answers"
COURSE = load_course(ROOT)


@pytest.fixture(scope="module")
def checker():
    """One warm worker for every answer file (the cold path is covered by test_warm and test_checker)."""
    runner = WarmRunner()
    yield Checker(runner=runner)
    runner.close()


def _header(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines()[:6]:
        m = re.match(r"#\s*(expect|message):\s*(.+?)\s*$", line)
        if m:
            fields[m.group(1)] = m.group(2)
    return fields


def _answer_files() -> list[Path]:
    """Every answer file of an ordinary exercise; an experiment's answers are tiny studies, which
    `tests/test_experiments.py` runs (study, then checks) against a pack with reachable marks."""
    experiments = {ex.key for ex in COURSE.exercises if ex.is_experiment}
    return sorted(p for p in ANSWERS.glob("*/*/*.py") if f"{p.parent.parent.name}/{p.parent.name}" not in experiments)


def test_every_exercise_has_wrong_and_correct_answers():
    """Each exercise of the course has two or more wrong answers and a correct variant."""
    for ex in COURSE.exercises:
        folder = ANSWERS / ex.lesson_id / ex.id
        wrong = list(folder.glob("wrong_*.py"))
        correct = list(folder.glob("correct_*.py"))
        assert len(wrong) >= 2, f"{ex.key}: needs at least two wrong answers in {folder}"
        assert len(correct) >= 1, f"{ex.key}: needs a correct variant in {folder}"


def test_answer_folders_match_exercises():
    """No answer folder for an exercise that does not exist (a renamed id)."""
    keys = {ex.key for ex in COURSE.exercises}
    for folder in ANSWERS.glob("*/*"):
        assert f"{folder.parent.name}/{folder.name}" in keys, f"orphan answer folder {folder}"


@pytest.mark.parametrize("path", _answer_files(), ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.stem}")
def test_answer(path: Path, checker: Checker):
    """Run the answer through the real checker and compare with its header."""
    header = _header(path)
    expect = header.get("expect")
    assert expect, f"{path} has no '# expect:' header"
    ex = COURSE.find(f"{path.parent.parent.name}/{path.parent.name}")
    if path.name.startswith("correct_"):
        assert expect == "passed"
    else:
        assert path.name.startswith("wrong_") and expect != "passed" and header.get("message"), path
    verdict = checker.check(ex, path)
    texts = [c.message.en for c in verdict.checks if c.message and c.status != "passed"]
    texts += [verdict.detail.en] if verdict.detail else []
    if verdict.error:
        texts.append(f"{verdict.error.exc_type}: {verdict.error.message}")
        texts += [verdict.error.hint.en] if verdict.error.hint else []
    if ex.optional and expect == "passed" and verdict.kind == "unavailable":
        # An optional exercise whose data cannot be had here: never a pass, and it says why.
        assert verdict.detail and verdict.detail.en and verdict.detail.ja
        return
    if ex.gpu and expect == "passed" and verdict.kind == "no_gpu" and verdict.device.startswith("cpu"):
        # A GPU exercise on a CPU-only machine: the CPU checks passed, the GPU ones say "needs a GPU".
        assert all(c.status in ("passed", "needs_gpu") for c in verdict.checks) and verdict.detail.ja
        return
    assert verdict.kind == expect, f"{path.name}: expected {expect}, got {verdict.kind}: {texts}"
    if expect != "passed":
        phrase = header["message"]
        assert any(phrase in t for t in texts), f"{path.name}: no message contains {phrase!r}: {texts}"
        # The same mistake is named in Japanese too.
        ja = [c.message.ja for c in verdict.checks if c.message and c.status != "passed"]
        ja += [verdict.detail.ja] if verdict.detail else []
        ja += [verdict.error.hint.ja] if verdict.error and verdict.error.hint else []
        assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t) for t in ja) or verdict.error, path.name

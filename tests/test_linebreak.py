"""The one line-breaking rule (`tutor.i18n.linebreak`), in Rich (CLI) and Textual (TUI) alike.

Every property is tried at every width from narrow to wide, so a rule that
holds only at the one width a test happened to pick fails here.
"""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text as RText

from tutor.i18n.linebreak import NO_LINE_END, NO_LINE_START, break_points, wrap_lines
from tutor.i18n.richtext import Prose, inline, plain
from tutor.tui.wrap import install

WIDTHS = range(8, 61)

SENTENCE = ("演習 1.1 にはまだ合格していません。20 秒以内に終わらなかったので、`dltutor check 1.2` で"
            "もう一度チェックしてください。メモリは 40.0 GiB あり、2 次元で返します。[不合格] と【任意】の"
            "演習は「あとで」でも構いません。PyTorch でディープラーニングを書くとき、データもモデルも"
            "テンソル (torch.Tensor) として扱います。")

KEPT = ["20 秒", "40.0 GiB", "2 次", "[不合格]", "【任意】", "`dltutor check 1.2`", "1.1 に"]
"""Spans of SENTENCE that no line may cut."""


def rich_lines(text, width: int) -> list[str]:
    """What the CLI prints: a Rich console of `width` columns."""
    install()
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(text)
    return [line.rstrip() for line in console.export_text().rstrip("\n").split("\n")]


def textual_lines(text: str, width: int) -> list[str]:
    """What the TUI draws: Textual's `Content` wrapped to `width`."""
    from textual.content import Content

    install()
    return [line.plain.rstrip() for line in Content(text).wrap(width)]


def assert_kept(lines: list[str], spans: list[str], width: int) -> None:
    for span in spans:
        if cell_len(span) <= width:
            assert any(span in line for line in lines), (span, width, lines)


def assert_kinsoku(lines: list[str], width: int) -> None:
    for k, line in enumerate(lines):
        body = line.strip()
        if k and body:
            assert body[0] not in NO_LINE_START, (width, lines)
        if body and k < len(lines) - 1:
            assert body[-1] not in NO_LINE_END, (width, lines)


@pytest.mark.parametrize("front_end", [rich_lines, textual_lines])
def test_no_break_inside_kept_spans_or_against_kinsoku_at_any_width(front_end):
    for width in WIDTHS:
        lines = front_end(SENTENCE, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == SENTENCE.replace(" ", ""), "a character was lost or added"
        assert_kept(lines, KEPT, width)
        assert_kinsoku(lines, width)


def test_the_cli_and_the_tui_break_japanese_at_the_same_places():
    for width in (20, 30, 41, 58):
        assert rich_lines(SENTENCE, width) == textual_lines(SENTENCE, width)


def test_breaks_fall_between_phrases_not_inside_words():
    """BudouX's phrases: `ディープラーニング` and `ます` are never cut where a whole phrase fits."""
    for width in range(24, 61):
        lines = wrap_lines(SENTENCE, width)
        joined = "\n".join(lines)
        for word in ("ディープ\nラーニング", "ま\nす", "テン\nソル", "チェック\nして"):
            assert word not in joined, (width, lines)


def test_lines_are_not_left_ragged():
    """A long phrase is split (at a character, kinsoku kept) rather than leave a line more than half empty."""
    text = SENTENCE[:SENTENCE.index("`")] + SENTENCE[SENTENCE.index("メモリ"):SENTENCE.index("[")]
    for width in range(20, 61):
        lines = wrap_lines(text, width)
        assert all(cell_len(line) * 2 >= width - 4 for line in lines[:-1]), (width, lines)


@pytest.mark.parametrize("text, no_break_at", [
    ("20秒以内に終わりませんでした", "20|秒"),
    ("40.0 GiB のメモリ", "40.0 |GiB"),
    ("2 次元で返します", "2 |次元"),
    ("状態は [不合格] です", "[不|合格]"),
    ("演習は【任意】です", "【任|意】"),
    ("`nn.Linear(1, 1)` で直線を学習", "(1, |1)"),
    ("まず dltutor check 1.2 を実行", "check |1.2"),
    ("です。」と言う", "。|」"),
    ("「かっこ」", "「|か"),
])
def test_break_points_say_where_not(text, no_break_at):
    where = no_break_at.index("|")
    index = text.index(no_break_at.replace("|", "")) + where
    assert index not in break_points(text)


def test_english_wraps_exactly_as_rich_does():
    import rich._wrap

    install()
    original = rich._wrap.divide_line.original
    text = "the quick brown fox jumps over the lazy dog; `shape` and numel() tell its size"
    for width in WIDTHS:
        assert rich._wrap.divide_line(text, width) == original(text, width)
    assert rich_lines(RText("the quick brown fox jumps over the lazy dog"), 12) == \
        ["the quick", "brown fox", "jumps over", "the lazy dog"]


def test_inline_code_is_rendered_and_kept_whole_with_a_hanging_indent():
    message = "値を足して返す `add(a, b)` を書き、`dltutor check 1.2` でもう一度チェックします。"
    assert plain("平均二乗誤差を手で、`nn.MSELoss` で") == "平均二乗誤差を手で、nn.MSELoss で"
    shown = inline("`nn.MSELoss` で")
    assert shown.plain == "nn.MSELoss で" and shown.spans and shown.spans[0].end == len("nn.MSELoss")
    for width in range(22, 61):
        lines = rich_lines(Prose(message, prefix=" ✗ "), width)
        assert lines[0].startswith(" ✗ ") and "`" not in "".join(lines)
        assert all(line.startswith("   ") and not line[3].isspace() for line in lines[1:]), (width, lines)
        assert_kept(lines, ["add(a, b)", "dltutor check 1.2"], width - 3)

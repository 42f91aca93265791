"""The reading layout at 60x20, 80x24 and 120x40: what the student reads gets the screen.

Snapshots (pytest-textual-snapshot) of the main screen at the three sizes a
new user tried, on a lesson with sections per exercise, a code line wider
than the panel, a table and Japanese that must break by the rules (numbers
with units, `code`, a status); Pilot tests of what the pictures cannot
show: where the lesson scrolls when the exercise changes, which widgets
the outline and the table become at each width.

Review a changed snapshot in the report pytest writes before running
`pytest tests/test_tui_layout.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from test_tui_support import (FakeChecker, anyio_backend, make_app, open_tutor, settle, tui_env,  # noqa: F401
                              wait_for, write_course)
from tutor.check.verdict import CheckLine, Verdict
from tutor.i18n import Text
from tutor.tui.widgets import ExercisePanel, LessonView, Outline
from tutor.tui.widgets.lesson import LessonTable

FILLER_JA = ("テンソルは PyTorch の多次元配列で、データもモデルのパラメータもすべてテンソルとして扱います。"
             "形は `shape`、型は `dtype` で調べられ、20 秒以内に終わらない計算は打ち切られます。")
FILLER_EN = ("A tensor is PyTorch's n-dimensional array: the data and the model's parameters are all tensors. "
             "`shape` and `dtype` tell its shape and type, and a run that takes more than 20 s is stopped.")

LESSON_JA = f"""# テンソルの基本

{FILLER_JA}

## テンソルを足す (演習 1.1)

同じ形のテンソルは `+` で要素ごとに足せます。GPU のメモリが 40.0 GiB あっても、2 次元のテンソルで十分です。

```python
x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=torch.float32, requires_grad=True)  # 2 行 3 列
```

| 調べたいこと | 書き方 | 上の例での値 | 説明 |
|---|---|---|---|
| 形 (各次元の大きさ) | `x.shape` | `torch.Size([2, 3])` | タプルのようなもの |
| 次元数 | `x.ndim` | `2` | 軸の数 |

{FILLER_JA}

{FILLER_JA}

{FILLER_JA}

## テンソルを定数倍する (演習 1.2)

`a * k` はテンソルのすべての要素を k 倍します。

{FILLER_JA}

{FILLER_JA}
"""

LESSON_EN = f"""# Tensor basics

{FILLER_EN}

## Adding tensors (Exercise 1.1)

Tensors of the same shape add elementwise with `+`. Even with 40.0 GiB of GPU memory, a 2-D tensor will do.

```python
x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=torch.float32, requires_grad=True)  # 2 rows, 3 columns
```

| What | How | Here | Note |
|---|---|---|---|
| shape (size of each dimension) | `x.shape` | `torch.Size([2, 3])` | like a tuple |
| number of dimensions | `x.ndim` | `2` | the axes |

{FILLER_EN}

{FILLER_EN}

{FILLER_EN}

## Scaling a tensor (Exercise 1.2)

`a * k` multiplies every element by k.

{FILLER_EN}

{FILLER_EN}
"""


class LayoutChecker(FakeChecker):
    """A failed verdict whose texts need the line-breaking rules: code, a number and its unit, a long title."""

    def check(self, exercise, path, **kwargs) -> Verdict:
        verdict = super().check(exercise, path, **kwargs)
        verdict.checks = [
            CheckLine(id="shape", title=Text(ja="`add(a, b)` の結果の形 (2 次元のテンソル 2 つを足したとき)",
                                             en="the shape of `add(a, b)` (two 2-D tensors added)"), status="passed"),
            CheckLine(id="sum", title=Text(ja="`add(a, b)` が返すテンソルの値と dtype (float32 のテンソルどうし)",
                                           en="the values and dtype that `add(a, b)` returns (float32 tensors)"),
                      status="failed",
                      message=Text(ja="`add(a, b)` の dtype が float64 になっています。float32 にしてください。"
                                      "最大誤差は 0.5、最初に違う要素は [0, 1] です。20 秒以内に終わりました。",
                                   en="`add(a, b)` returned float64 values; make them float32. The largest error "
                                      "is 0.5, the first mismatch at [0, 1]. It finished within 20 s.")),
        ]
        return verdict


def layout_app(root, lang: str):
    """The test course with the lesson above, exercise 1.1 open, no background jobs."""
    course = write_course(root)
    for name, text in (("ja.md", LESSON_JA), ("en.md", LESSON_EN)):
        (course / "lessons" / "basics" / name).write_text(text, encoding="utf-8")
    tutor = open_tutor(course, checker=LayoutChecker(["failed"]))
    tutor.choose_lang(lang)
    return make_app(tutor, poll=False)


async def checked(pilot) -> None:
    """Run the (fake) check of 1.1 and wait until the screen is still."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("c")
    await wait_for(pilot, lambda: "basics/01-add" in app.main.verdicts and not app.checking, what="the check")
    app.clear_notifications()
    await settle(pilot)
    await pilot.pause(0.2)  # the lesson's section scroll runs after its Markdown is mounted
    await settle(pilot)


@pytest.mark.parametrize("size, lang", [((60, 20), "ja"), ((80, 24), "ja"), ((120, 40), "ja"), ((80, 24), "en")],
                         ids=["60x20-ja", "80x24-ja", "120x40-ja", "80x24-en"])
def test_reading_layout(snap_compare, tui_env, size, lang):
    assert snap_compare(layout_app(tui_env, lang), terminal_size=size, run_before=checked)


@pytest.mark.anyio
@pytest.mark.parametrize("width, outline, as_list", [(60, "hidden", True), (80, "compact", True), (120, "full", False)])
async def test_the_outline_and_tables_make_room_for_the_text(tui_env, width, outline, as_list):
    app = layout_app(tui_env, "ja")
    async with app.run_test(size=(width, 30)) as pilot:
        await checked(pilot)
        widget = app.main.query_one(Outline)
        lesson = app.main.query_one(LessonView)
        assert widget.display is (outline != "hidden")
        assert widget.compact is (outline != "full")
        assert (app.focused is lesson) if outline == "hidden" else (app.focused is widget)
        prompts = [str(option.prompt) if not hasattr(option.prompt, "columns") else "" for option in widget.options]
        assert any("1.1" in p for p in prompts) is (outline != "full")  # compact prompts are plain "▸- 1.1"
        table = lesson.query_one(LessonTable)
        assert table.has_class("-as-list") is as_list
        panel = app.main.query_one(ExercisePanel)
        assert lesson.size.height > panel.size.height, "the lesson gets the larger share"
        if outline == "compact":  # z on the outline shows the titles again
            widget.focus()
            await pilot.press("z")
            await settle(pilot)
            assert not widget.options[1].prompt.__class__.__name__ == "Text"
            await pilot.press("z")
            await settle(pilot)
            assert widget.options[1].prompt.__class__.__name__ == "Text"


@pytest.mark.anyio
async def test_the_lesson_opens_at_the_exercise_section(tui_env):
    app = layout_app(tui_env, "ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        lesson = app.main.query_one(LessonView)
        first = lesson.scroll_y
        assert first > 0, "1.1's section is not the lesson's first line"
        await pilot.press("n")
        await wait_for(pilot, lambda: lesson.scroll_y > first + 5, timeout=5, what="the scroll to 1.2's section")
        header = next(h for h in lesson.query("MarkdownH2") if "1.2" in h._content.plain)
        assert header.region.y - lesson.content_region.y in (0, 1), "1.2's heading at the top"
        lesson.scroll_home(animate=False)  # the student scrolls away: the same exercise again keeps it
        await settle(pilot)
        app.main.refresh_lesson()
        await settle(pilot)
        assert lesson.scroll_y == 0
        await pilot.press("p")
        await wait_for(pilot, lambda: abs(lesson.scroll_y - first) <= 1, timeout=5, what="the scroll back to 1.1")

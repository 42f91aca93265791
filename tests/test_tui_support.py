"""Shared helpers for the TUI tests (this module holds no tests of its own).

* `tui_env` isolates a test: state, workspace and HOME in tmp dirs, Japanese,
  no editor variables, no forced polling.
* `write_course` writes a tiny course pack whose exercise 1.1 has a real
  check with a one-second timeout, so a real run can time out quickly.
* `FakeChecker` stands in for `tutor.check.checker.Checker` where a test is about
  the UI rather than the checker: scripted verdicts, and a gate that holds a
  run until the test releases it (or the run is cancelled).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console
from textual.notifications import Notify
from textual.widgets import Static

from tutor.i18n import Text
from tutor.session import Tutor
from tutor.tui.app import TutorApp, create_app
from tutor.check.verdict import CheckLine, Verdict

ROOT = Path(__file__).resolve().parents[1]

COURSE_TOML = '''
format_version = 1
id = "tuicourse"
title.ja = "TUI テスト用コース"
title.en = "TUI test course"

[[lessons]]
id = "basics"
title.ja = "テンソルの基本"
title.en = "Tensor basics"

[[lessons.exercises]]
id = "01-add"
title.ja = "2 つのテンソルを足す"
title.en = "Add two tensors"
timeout = 1

[[lessons.exercises.hints]]
ja = "ヒントその1: テンソル同士は `+` で足せます。"
en = "Hint one: tensors add with `+`."

[[lessons.exercises.hints]]
ja = "ヒントその2: 形が同じなら要素ごとに足されます。"
en = "Hint two: same shapes add elementwise."

[[lessons.exercises.hints]]
ja = "ヒントその3: `return a + b` と書きます。"
en = "Hint three: write `return a + b`."

[[lessons.exercises]]
id = "02-scale"
title.ja = "テンソルを定数倍する"
title.en = "Scale a tensor"
timeout = 1

[[lessons.exercises.hints]]
ja = "`*` を使います。"
en = "Use `*`."

[[lessons.exercises.hints]]
ja = "`return a * k` と書きます。"
en = "Write `return a * k`."

[[lessons]]
id = "training"
title.ja = "学習ループ"
title.en = "The training loop"

[[lessons.exercises]]
id = "01-step"
title.ja = "勾配降下法の 1 ステップ"
title.en = "One step of gradient descent"
timeout = 1

[[lessons.exercises.hints]]
ja = "`s - a * g` を返します。"
en = "Return `s - a * g`."

[[lessons.exercises.hints]]
ja = "`return s - a * g` と書きます。"
en = "Write `return s - a * g`."
'''

LESSON_JA = """# テンソルの基本

テンソルは PyTorch の多次元配列です。同じ形のテンソルは `+` で要素ごとに足せます。

```python
import torch
a = torch.tensor([1.0, 2.0])
print(a + a)
```

- 形は `shape` で分かります
- 型は `dtype` で分かります
"""

LESSON_EN = """# Tensor basics

A tensor is PyTorch's n-dimensional array. Tensors of the same shape add elementwise with `+`.

```python
import torch
a = torch.tensor([1.0, 2.0])
print(a + a)
```

- `shape` tells the shape
- `dtype` tells the type
"""

STUBS = {
    "basics/01-add": ("add(a, b)", "def add(a, b):\n    # TODO: return the sum\n    raise NotImplementedError\n",
                      "def add(a, b):\n    return a + b\n"),
    "basics/02-scale": ("scale(a, k)", "def scale(a, k):\n    # TODO\n    raise NotImplementedError\n",
                        "def scale(a, k):\n    return a * k\n"),
    "training/01-step": ("step(s, a, g)", "def step(s, a, g):\n    # TODO\n    raise NotImplementedError\n",
                         "def step(s, a, g):\n    return s - a * g\n"),
}

ADD_CHECK = '''
from tutor.checkkit import check


@check(ja="2 つのテンソルの和", en="the sum of two tensors")
def sum_values(t):
    a, b = t.randn(3), t.randn(3)
    t.tensor(t.call("add", a.clone(), b.clone()), a + b, name="add(a, b)")
'''


def write_course(root: Path) -> Path:
    """Write the test course under `root` and return its folder."""
    course = root / "course"
    (course / "course.toml").parent.mkdir(parents=True, exist_ok=True)
    (course / "course.toml").write_text(COURSE_TOML, encoding="utf-8")
    for lesson in ("basics", "training"):
        (course / "lessons" / lesson).mkdir(parents=True, exist_ok=True)
        (course / "lessons" / lesson / "ja.md").write_text(LESSON_JA, encoding="utf-8")
        (course / "lessons" / lesson / "en.md").write_text(LESSON_EN, encoding="utf-8")
    for key, (_sig, stub, solution) in STUBS.items():
        for folder, text in (("lessons", '"""Exercise."""\n\n' + stub), ("solutions", solution)):
            path = course / folder / f"{key}.py"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        check = course / "checks" / f"{key}.py"
        check.parent.mkdir(parents=True, exist_ok=True)
        check.write_text(ADD_CHECK, encoding="utf-8")
    return course


@pytest.fixture
def tui_env(tmp_path, monkeypatch) -> Path:
    """Isolate one test: every location under `tmp_path`, Japanese, no editor, HOME there too."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("DLTUTOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("DLTUTOR_WORKSPACE", str(home / "dltutor"))
    monkeypatch.setenv("DLTUTOR_LANG", "ja")
    monkeypatch.delenv("DLTUTOR_COURSE", raising=False)
    monkeypatch.delenv("DLTUTOR_POLL", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    return tmp_path


@pytest.fixture
def anyio_backend() -> str:
    """The TUI runs on asyncio."""
    return "asyncio"


class FakeChecker:
    """A `Checker` stand-in: verdict kinds from `script` (then "failed"), optionally held at a gate."""

    runner = None  # `Tutor.close` stops a warm runner; this checker has none

    def __init__(self, script: list[str] | None = None, figures: list | None = None) -> None:
        self.script = list(script or [])
        self.figures = list(figures or [])
        self.calls: list[tuple[str, str]] = []
        self.gate: threading.Event | None = None
        self.started = threading.Event()
        self.cancelled: list[str] = []

    def check(self, exercise, path, *, device="cpu", seed=None, force_run=False, cancel=None,
              visible_devices=None) -> Verdict:
        """Return the next scripted verdict; while `gate` is closed, wait (or stop when cancelled)."""
        self.calls.append((exercise.key, device))
        self.started.set()
        if self.gate is not None:
            while not self.gate.wait(0.02):
                if cancel is not None and cancel.cancelled:
                    self.cancelled.append(exercise.key)
                    return Verdict(kind="cancelled", exercise=exercise.key, device=device)
        kind = self.script.pop(0) if self.script else "failed"
        line = CheckLine(id="sum", title=Text(ja="2 つのテンソルの和", en="the sum of two tensors"),
                         status="passed" if kind == "passed" else "failed",
                         message=None if kind == "passed" else Text(ja="値が違います。", en="Wrong values."))
        detail = Text(ja="1 秒以内に終わりませんでした。", en="The run did not finish within 1 s.") if kind == "timeout" else None
        return Verdict(kind=kind, exercise=exercise.key, checks=[line], detail=detail, duration_s=0.5,
                       device=device, file_hash="0" * 64, figures=list(self.figures))


def open_tutor(course: Path | None = None, checker=None, lang: str | None = None) -> Tutor:
    """A Tutor on the test course (or the built-in one when `course` is None)."""
    return Tutor.open(course=course, checker=checker, lang=lang)


def make_app(tutor: Tutor, **options) -> TutorApp:
    """The app as the CLI builds it, minus the GPU probe unless a test gives one, and with no
    editor installed unless a test gives a `which` (so the first run asks only the language)."""
    options.setdefault("cuda_probe", None)
    options.setdefault("which", lambda name: None)
    return create_app(tutor, **options)


class Notes:
    """Collects the texts of notifications through `run_test(message_hook=...)`."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, message) -> None:
        if isinstance(message, Notify):
            self.texts.append(str(message.notification.message))

    def any(self, fragment: str) -> bool:
        """Whether any notification so far contains `fragment`."""
        return any(fragment in text for text in self.texts)


def plain(renderable, width: int = 120) -> str:
    """A Rich renderable as plain text."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


def panel_text(app: TutorApp) -> str:
    """The exercise panel's text."""
    return plain(app.screen.query_one("#exercise-body", Static).content)


def outline_text(app: TutorApp) -> str:
    """The outline's options, one per line."""
    from tutor.tui.widgets import Outline

    outline = app.main.query_one(Outline)
    return "\n".join(plain(option.prompt).rstrip() for option in outline.options)


@contextlib.contextmanager
def no_suspend(app=None):
    """Stands in for `App.suspend()`, which headless tests cannot do: the "editor" just runs."""
    yield


async def wait_for(pilot, predicate, timeout: float = 30.0, what: str = "condition") -> None:
    """Let the app run until `predicate()` holds (fails the test after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


async def settle(pilot) -> None:
    """Give pending messages and refreshes a moment to run."""
    await pilot.pause()
    await asyncio.sleep(0.05)
    await pilot.pause()

"""A small course pack for the experiment tests: the real experiments lesson, a reachable mark, tiny studies.

Not collected (only test_*.py are): `tests/test_experiments.py` imports it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSON = "experiments"

TINY = {"train_size": 2000, "val_size": 1000}
"""Added to every setting of a tiny study: 2,000 training images, 1,000 for validation."""


def make_pack(dest: Path, mark: float = 0.5, timeout: int | None = None) -> Path:
    """A course folder holding only the experiments lesson, its marks lowered to `mark`."""
    text = (ROOT / "course.toml").read_text(encoding="utf-8")
    head = text[: text.index("format_version")]
    start = text.index(f'[[lessons]]\nid = "{LESSON}"')
    lesson = text[start:]
    lesson = re.sub(r"^mark = .*$", f"mark = {mark}", lesson, flags=re.M)
    if timeout is not None:
        lesson = re.sub(r"^timeout = .*$", f"timeout = {timeout}", lesson, flags=re.M)
    manifest = head + 'format_version = 1\nid = "exp-test"\ntitle.ja = "実験のテスト"\ntitle.en = "Experiment tests"\n\n' + lesson
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "course.toml").write_text(manifest, encoding="utf-8")
    for folder in ("lessons", "checks", "solutions"):
        shutil.copytree(ROOT / folder / LESSON, dest / folder / LESSON)
    return dest


def tiny(source: str, settings: list[dict]) -> str:
    """`source` with its SETTINGS replaced by `settings`, each made tiny (see `TINY`)."""
    body = ",\n    ".join(repr({**s, **TINY}) for s in settings)
    return re.sub(r"^SETTINGS = \[.*?^\]", f"SETTINGS = [\n    {body},\n]", source, count=1, flags=re.M | re.S)

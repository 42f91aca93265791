"""Boundaries, proven twice: import-linter contracts, and what a real process loads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["tutor.i18n", "tutor.course", "tutor.figures", "tutor.machine", "tutor.check", "tutor.check.checker",
        "tutor.check.runner", "tutor.check.warm", "tutor.check.probe", "tutor.progress", "tutor.session",
        "tutor.report", "tutor.doctor", "tutor.dev", "tutor.data", "tutor.study",
        "tutor.report.study", "tutor.figures.study", "tutor.dev.verify_study"]


def loaded_after(imports: list[str], code: str = "") -> set[str]:
    """Top-level package names in sys.modules after importing `imports` in a fresh Python."""
    script = ("import sys, json\n" + "".join(f"import {m}\n" for m in imports) + code +
              "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_core_loads_neither_textual_nor_torch():
    loaded = loaded_after(CORE)
    assert "textual" not in loaded
    assert "torch" not in loaded and "numpy" not in loaded


def test_cli_loads_no_torch_even_when_running_a_command(tmp_path):
    code = (f"import os; os.environ['DLTUTOR_WORKSPACE']={str(tmp_path / 'ws')!r}; "
            f"os.environ['DLTUTOR_STATE_DIR']={str(tmp_path / 'st')!r}\n"
            "from tutor.cli import main\nimport contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()): main(['list'])\n")
    loaded = loaded_after(["tutor.cli", "tutor.cli.commands"], code)
    assert "torch" not in loaded and "numpy" not in loaded and "textual" not in loaded


def test_tutor_process_never_initialises_cuda(tmp_path):
    """A check runs in a child; the tutor's process has no torch, so no CUDA either."""
    code = (f"import os; os.environ['DLTUTOR_WORKSPACE']={str(tmp_path / 'ws')!r}; "
            f"os.environ['DLTUTOR_STATE_DIR']={str(tmp_path / 'st')!r}\n"
            "from tutor.session import Tutor\nt = Tutor.open()\nv = t.check(t.find('1.1'), device='auto')\n"
            "assert v.kind == 'not_started', v.kind\n")
    assert "torch" not in loaded_after(["tutor.session"], code)


def test_import_linter_contracts():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed (pip install .[test])")
    proc = subprocess.run([exe, str(ROOT / "pyproject.toml")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "4 kept, 0 broken" in proc.stdout


BACK_ARROWS = [
    ("tutor/course/manifest.py", "import tutor.session"),        # the course model reaching up to the core
    ("tutor/machine/gpus.py", "import tutor.check.runner"),      # the machine reaching up to the checker
    ("tutor/progress/store.py", "import tutor.check.checker"),   # two siblings of one layer
    ("tutor/session.py", "import tutor.report"),                 # the core reaching up to a report
    ("tutor/check/verdict.py", "import textual"),                # the core importing Textual
    ("tutor/tui/texts.py", "import torch"),                      # the TUI importing torch
]


@pytest.mark.parametrize("where, line", BACK_ARROWS, ids=[w for w, _ in BACK_ARROWS])
def test_the_contracts_catch_a_back_arrow(tmp_path, where, line):
    """The contracts can fail: the same tree with one planted back-arrow is broken."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed (pip install .[test])")
    shutil.copytree(ROOT / "tutor", tmp_path / "tutor", ignore=shutil.ignore_patterns("__pycache__", "_data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / where
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # planted\n", encoding="utf-8")
    proc = subprocess.run([exe, str(tmp_path / "pyproject.toml")], capture_output=True, text=True, cwd=tmp_path,
                          env={**__import__("os").environ, "PYTHONPATH": str(tmp_path)})
    assert proc.returncode != 0, proc.stdout
    assert "BROKEN" in proc.stdout

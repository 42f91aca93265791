"""Boundaries, proven twice: import-linter contracts, and what a real process loads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["tutor.content", "tutor.checker", "tutor.runner", "tutor.store", "tutor.workspace", "tutor.session",
        "tutor.verdict", "tutor.i18n", "tutor.locations", "tutor.diagnose", "tutor.doctor", "tutor.probe",
        "tutor.verify", "tutor.watching"]


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
    proc = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 kept, 0 broken" in proc.stdout

"""The house by concern: every package documented, ARCHITECTURE.md true, the authoring API stable."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TUTOR = ROOT / "tutor"
LEGACY = ROOT / "tests" / "fixtures" / "legacypack"


def packages() -> list[str]:
    """Every package under tutor/ (a folder with an __init__.py), as a dotted name."""
    return sorted(".".join(p.parent.relative_to(ROOT).parts) for p in TUTOR.rglob("__init__.py")
                  if "__pycache__" not in p.parts)


def test_every_package_says_what_it_holds():
    for name in packages():
        init = ROOT.joinpath(*name.split(".")) / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 8, f"{name}/__init__.py needs a docstring saying what it holds"


def test_the_top_level_reads_as_the_architecture():
    """At the root of tutor/ only packages, the one core module and the authoring alias."""
    modules = sorted(p.name for p in TUTOR.glob("*.py"))
    assert modules == ["__init__.py", "__main__.py", "data.py", "session.py"], modules


def test_architecture_names_only_real_packages_and_every_top_package():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\btutor(?:\.[a-z_0-9]+)+", text))
    for name in named:
        parts = name.split(".")
        path = ROOT.joinpath(*parts)
        attr_ok = False
        if not (path.is_dir() or path.with_suffix(".py").is_file()):
            # `tutor.session.Tutor.check`: a module followed by the names inside it
            for cut in range(len(parts) - 1, 1, -1):
                if ROOT.joinpath(*parts[:cut]).with_suffix(".py").is_file():
                    attr_ok = True
                    break
        assert path.is_dir() or path.with_suffix(".py").is_file() or attr_ok, f"ARCHITECTURE.md names {name}"
    top = {n for n in packages() if n.count(".") == 1}
    missing = {n for n in top if n not in named}
    assert not missing, f"ARCHITECTURE.md does not name {sorted(missing)}"
    for path in re.findall(r"`(tutor/[\w/.<>{},-]+)`", text):
        if "<" not in path and "{" not in path:
            assert (ROOT / path).exists(), f"ARCHITECTURE.md names {path}"


def _tutor_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.split(".")[0] == "tutor"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "tutor":
            names.add(node.module)
    return names


@pytest.mark.parametrize("pack", ["", "tests/fixtures/minicourse", "tests/fixtures/figcourse"])
def test_check_files_import_only_the_checkkit(pack):
    files = sorted((ROOT / pack / "checks").rglob("*.py"))
    assert files
    for path in files:
        for name in _tutor_imports(path):
            assert name == "tutor.checkkit" or name.startswith("tutor.checkkit."), f"{path}: imports {name}"


def _run(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DLTUTOR_STATE_DIR": str(tmp / "state"), "DLTUTOR_WORKSPACE": str(tmp / "ws"),
           "DLTUTOR_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env,
                          cwd=tmp, timeout=600)


def test_a_pack_on_the_old_authoring_api_verifies(tmp_path):
    proc = _run("dev", "verify", "--course", str(LEGACY), tmp=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 exercises verified" in proc.stdout


def test_a_pack_on_the_old_authoring_api_judges_right_and_wrong(tmp_path):
    ws = tmp_path / "ws" / "training"
    ws.mkdir(parents=True)
    solution = (LEGACY / "solutions" / "training" / "01-fit.py").read_text(encoding="utf-8")
    (ws / "01-fit.py").write_text(solution, encoding="utf-8")
    ok = _run("check", "training/01-fit", "--course", str(LEGACY), "--no-plots", tmp=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # The same loop without resetting the gradients: ZeroGradWatch, as packs used it, names it.
    (ws / "01-fit.py").write_text(solution.replace("opt.zero_grad()", "pass"),
                                  encoding="utf-8")
    bad = _run("check", "training/01-fit", "--course", str(LEGACY), "--no-plots", tmp=tmp_path)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "gradients are never reset" in bad.stdout

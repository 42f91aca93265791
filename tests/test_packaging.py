"""A built wheel carries the course as data and finds it at run time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the wheel from a copy of the source and install it with --target."""
    pytest.importorskip("hatchling")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".pytest_cache", "*.egg-info"))
    dist = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(src)],
                   check=True, capture_output=True, text=True)
    wheel = next(dist.glob("dltutor-*.whl"))
    site = tmp / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, text=True)
    return wheel, site, tmp


def run_installed(site: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLTUTOR_")}
    env.update(PYTHONPATH=str(site), DLTUTOR_WORKSPACE=str(tmp / "ws"), DLTUTOR_STATE_DIR=str(tmp / "state"),
               DLTUTOR_LANG="en")
    # cwd is outside the source tree, so only the installed copy can be imported.
    return subprocess.run([sys.executable, "-m", "tutor", *args], env=env, cwd=tmp, capture_output=True, text=True, timeout=300)


def test_wheel_carries_course_data_not_packages(installed):
    wheel, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "tutor/_course/course.toml" in names
    for folder in ("lessons", "checks"):
        assert any(n.startswith(f"tutor/_course/{folder}/") for n in names), folder
    for folder in ("lessons", "checks", "solutions"):
        assert not any(n.startswith(f"{folder}/") for n in names), f"{folder} must not be a top-level package"
    # The solutions travel sealed: no file of theirs, no text of theirs anywhere in the wheel.
    assert "tutor/_course/solutions.sealed" in names
    assert not any("solutions/" in n for n in names), [n for n in names if "solutions/" in n][:3]
    marker = (ROOT / "solutions/regression/04-validation.py").read_text(encoding="utf-8").splitlines()[-1].strip().encode()
    with zipfile.ZipFile(wheel) as whl:
        assert not any(marker in whl.read(n) for n in names if not n.endswith("/")), "a solution's text is readable in the wheel"
    assert "tutor/i18n/locale/verdict.toml" in names and "tutor/report/schemas/report.schema.json" in names
    for name in ("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "README.md"):
        assert f"tutor/_data/mnist/{name}" in names  # MNIST ships, with its attribution
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "dltutor = tutor.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_copy_lists_and_checks(installed):
    _, site, tmp = installed
    proc = run_installed(site, tmp, "list", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["lessons"][0]["exercises"][0]["id"] == "tensors/01-create"
    where = subprocess.run([sys.executable, "-c", "import tutor, tutor.machine.locations as l; print(tutor.__file__); print(l.builtin_course_root())"],
                           env={**os.environ, "PYTHONPATH": str(site)}, cwd=tmp, capture_output=True, text=True, check=True)
    module_file, course_root = where.stdout.split()
    assert module_file.startswith(str(site)) and course_root == str(site / "tutor/_course")
    # The hidden checks and the sealed solutions travel too: `dltutor solution` still shows
    # one (after giving up), and that text passes.
    run_installed(site, tmp, "check", "1.1")
    shown = run_installed(site, tmp, "solution", "1.1", "--give-up")
    assert shown.returncode == 0 and "def make_float_tensor" in shown.stdout, shown.stdout + shown.stderr
    (tmp / "ws/tensors/01-create.py").write_text((ROOT / "solutions/tensors/01-create.py").read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_installed(site, tmp, "check", "1.1", "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["kind"] == "passed", proc.stdout + proc.stderr
    # Authors' tools read the sealed solutions too.
    proc = run_installed(site, tmp, "dev", "verify", "--only", "1.1")
    assert proc.returncode == 0 and "tensors/01-create solution: passed" in proc.stdout, proc.stdout + proc.stderr
    # The report (and its schema file) work from the installed copy.
    proc = run_installed(site, tmp, "report", "--out", str(tmp / "report"), "--id", "s0001")
    assert proc.returncode == 0 and len(list((tmp / "report").glob("dltutor-s0001-dltutor-*.html"))) == 1, proc.stderr
    check = "import json, tutor.report.build as r; print(r.load_schema()['title'])"
    title = subprocess.run([sys.executable, "-c", check], env={**os.environ, "PYTHONPATH": str(site)}, cwd=tmp,
                           capture_output=True, text=True)
    assert title.stdout.startswith("dltutor progress report"), title.stderr


def test_solutions_are_not_importable_from_site(installed):
    """No import finds a reference solution in the installed package, by name or by path."""
    _, site, tmp = installed
    code = ("import importlib, importlib.util, pathlib, sys; sys.path.insert(0, {site!r})\n"
            "for name in ('solutions', 'tutor._course.solutions', 'tutor._course.solutions.tensors'):\n"
            "    try:\n        importlib.import_module(name); print('imported', name)\n"
            "    except ImportError:\n        pass\n"
            "print(sorted(str(p) for p in pathlib.Path({site!r}).rglob('*01-create*') if 'lessons' not in p.parts and 'checks' not in p.parts))")
    proc = subprocess.run([sys.executable, "-S", "-c", code.format(site=str(site))], cwd=tmp, capture_output=True, text=True)
    assert proc.returncode == 0 and "imported" not in proc.stdout and proc.stdout.strip().endswith("[]"), proc.stdout + proc.stderr


def test_checks_are_not_importable_from_site(installed):
    _, site, tmp = installed
    for name in ("checks", "lessons", "solutions"):
        # -S: no site-packages at all, only what the wheel installed.
        proc = subprocess.run([sys.executable, "-S", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); import {name}"],
                              cwd=tmp, capture_output=True, text=True)
        assert proc.returncode != 0 and "ModuleNotFoundError" in proc.stderr, name


def test_sealed_solutions_round_trip(tmp_path):
    """What the build hook seals, the course reads back, for every exercise; a pack without the
    sealed file or the plain one has no solution, and garbage is no sealed file."""
    from tutor.course.manifest import load_course
    from tutor.course.sealed import SEALED_NAME, seal, unseal

    blob = seal(ROOT / "solutions")
    assert b"def " not in blob and unseal(b"not sealed") == {}
    course = load_course(ROOT)
    texts = unseal(blob)
    assert {k for k in texts if not k.endswith(".md")} == {ex.key for ex in course.exercises}
    # An experiment's reference discussion is sealed with its solution.
    assert {k for k in texts if k.endswith(".md")} == {f"{ex.key}.md" for ex in course.exercises if ex.is_experiment}
    pack = tmp_path / "pack"
    shutil.copytree(ROOT, pack, ignore=shutil.ignore_patterns(".git", "__pycache__", "solutions", "tests", "benchmarks"))
    installed = load_course(pack)
    assert all(ex.solution_text() is None for ex in installed.exercises)
    (pack / SEALED_NAME).write_bytes(blob)
    for ex in installed.exercises:
        assert ex.solution_text() == (ROOT / "solutions" / ex.lesson_id / f"{ex.id}.py").read_text(encoding="utf-8")
        if ex.is_experiment:
            assert ex.discussion_solution_text() == (ROOT / "solutions" / ex.lesson_id / f"{ex.id}.md").read_text(encoding="utf-8")

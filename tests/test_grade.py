"""`dltutor grade` through the real command: a synthetic class re-checked, forgeries seen through, a resumable cache."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from grading_class import (ADD_OWN, ADD_SOLUTION, ADD_WRONG, CLASS, EXPECTED_CSV, MINI, base_report,  # noqa: E402
                           write_class)


def grade(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m tutor grade ...` in a real process."""
    return subprocess.run([sys.executable, "-m", "tutor", "grade", *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "DLTUTOR_LANG": "en", **(env or {})}, stdin=subprocess.DEVNULL)


def read_csv(path: Path) -> dict[str, list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "grades.csv must start with a UTF-8 BOM (Excel on Japanese Windows)"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["id", "name", "basics/01-add", "training/01-fit", "total"]
    return {row[0]: row for row in rows[1:]}


def flags_of(out: Path) -> dict[str, set[tuple[str, str | None]]]:
    data = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    return {s["id"]: {(f["kind"], f["exercise"]) for f in s["flags"]} for s in data["students"]}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return base_report(tmp_path_factory.mktemp("base"))


@pytest.fixture(scope="module")
def graded(base, tmp_path_factory):
    """The class graded once, from HTML hand-ins zipped as an LMS hands them out, plus two bad files."""
    tmp = tmp_path_factory.mktemp("class")
    paths = write_class(tmp / "html", base, as_html=True)
    with zipfile.ZipFile(tmp / "lms.zip", "w") as z:
        for p in paths:
            z.write(p, f"submissions/{p.name}")
        z.writestr("submissions/notes.html", "<html>not a hand-in</html>")
    (tmp / "cut.json").write_text('{"tool": {"name": "dltutor"}, "report_ver', encoding="utf-8")
    done = grade(str(tmp / "lms.zip"), str(tmp / "cut.json"), "--out", str(tmp / "out"), "--course", str(MINI),
                 "--jobs", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    return tmp, done


def test_the_class_is_verified_by_re_running(graded):
    tmp, done = graded
    rows = read_csv(tmp / "out" / "grades.csv")
    assert {sid: tuple(row[2:]) for sid, row in rows.items()} == EXPECTED_CSV
    assert rows["s001"][1] == "山田 花子"
    assert "Unreadable" in done.stderr and "notes.html" in done.stderr and "cut.json" in done.stderr
    data = json.loads((tmp / "out" / "grades.json").read_text(encoding="utf-8"))
    assert len(data["unreadable"]) == 2
    s002 = next(s for s in data["students"] if s["id"] == "s002")
    add = s002["exercises"]["basics/01-add"]
    assert add["claimed"] == "passed" and add["verified"] == 0 and add["verdict"] == "failed"
    assert add["failing_checks"] and add["failing_checks"][0]["message"]["en"]


def test_flags_point_at_copies_and_forged_claims(graded):
    tmp, _ = graded
    flags = flags_of(tmp / "out")
    assert ("claimed_but_fails", "basics/01-add") in flags["s002"]
    assert ("reference_copy", "basics/01-add") in flags["s003"]
    assert ("reference_copy", "training/01-fit") in flags["s004"]  # renamed and commented: still the reference
    assert ("reference_copy", "basics/01-add") not in flags["s001"]  # its own words


def test_the_class_page_shows_what_the_class_got_wrong(graded):
    tmp, _ = graded
    html = (tmp / "out" / "class.html").read_text(encoding="utf-8")
    assert "山田 花子" in html and "<script" not in html
    assert html.count('<td class="pass') + html.count('<td class="fail') + html.count('<td class="none') == 4 * 2
    assert 'class="fail differs"' in html  # s002 claimed a pass the re-run did not find
    assert "What the class got wrong" in html and "<b>1</b>" in html


def test_the_cache_makes_late_hand_ins_cheap(graded, base, tmp_path):
    tmp, _ = graded
    out = tmp_path / "out"
    shutil.copytree(tmp / "out", out)
    late = write_class(tmp_path / "late", base, [("s005", "Late Comer", {"basics/01-add": (ADD_WRONG + "\n", "passed")})])
    done = grade(str(tmp / "lms.zip"), str(late[0]), "--out", str(out), "--course", str(MINI), "--jobs", "1")
    assert done.returncode == 0, done.stderr
    run = json.loads((out / "grades.json").read_text(encoding="utf-8"))["run"]
    assert run["checks_run"] == 1 and run["checks_cached"] == 6
    assert read_csv(out / "grades.csv")["s005"][2:] == ["0", "", "0"]


def _student_state(tmp: Path, name: str) -> dict:
    return {"DLTUTOR_STATE_DIR": str(tmp / name / "state"), "DLTUTOR_WORKSPACE": str(tmp / name / "ws"), "DLTUTOR_LANG": "en"}


def _tutor(env: dict, *args: str, course: Path = MINI) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", "--course", str(course), *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300, stdin=subprocess.DEVNULL)


def test_forgeries_on_the_students_machine_are_seen_through(tmp_path):
    """Rows in the store, a pack with emptied checks, another interpreter: each hand-in grades 0 or is flagged."""
    folder = tmp_path / "handins"
    folder.mkdir()
    # 1. A pass inserted into the SQLite store for a wrong file.
    env = _student_state(tmp_path, "rows")
    (tmp_path / "rows" / "ws" / "basics").mkdir(parents=True)
    (tmp_path / "rows" / "ws" / "basics" / "01-add.py").write_text(ADD_WRONG, encoding="utf-8")
    assert _tutor(env, "check", "1.1", "--no-plots").returncode == 1
    db = next((tmp_path / "rows" / "state").glob("*.sqlite3"))
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO attempts (exercise, at, verdict, duration_s, device, file_hash) VALUES "
                     "('basics/01-add', ?, 'passed', 0.1, 'cpu', 'x')", (time.time(),))
    _tutor(env, "report", "--out", str(folder), "--id", "rows")
    # 2. The built-in pack copied, same id, its checks emptied: a real "pass" there.
    forged = tmp_path / "forged"
    shutil.copytree(MINI, forged, ignore=shutil.ignore_patterns("__pycache__"))
    (forged / "checks" / "basics" / "01-add.py").write_text(
        "from tutor.checkkit import check\n\n@check(ja='何もしない', en='nothing')\ndef nothing(t):\n    pass\n", encoding="utf-8")
    env = _student_state(tmp_path, "pack")
    (tmp_path / "pack" / "ws" / "basics").mkdir(parents=True)
    (tmp_path / "pack" / "ws" / "basics" / "01-add.py").write_text(ADD_WRONG, encoding="utf-8")
    assert _tutor(env, "check", "1.1", "--no-plots", course=forged).returncode == 0
    _tutor(env, "report", "--out", str(folder), "--id", "pack", course=forged)
    # 3. Another interpreter behind DLTUTOR_PYTHON (here one that runs the checks as usual).
    fake = tmp_path / "fakepython"
    fake.write_text(f"#!/bin/sh\nexec {sys.executable} \"$@\"\n", encoding="utf-8")
    fake.chmod(0o755)
    env = {**_student_state(tmp_path, "interp"), "DLTUTOR_PYTHON": str(fake)}
    (tmp_path / "interp" / "ws" / "basics").mkdir(parents=True)
    (tmp_path / "interp" / "ws" / "basics" / "01-add.py").write_text(ADD_OWN, encoding="utf-8")
    assert _tutor(env, "check", "1.1", "--no-plots").returncode == 0
    _tutor(env, "report", "--out", str(folder), "--id", "interp")
    # 4. The reference solution copied from the package.
    env = _student_state(tmp_path, "copy")
    (tmp_path / "copy" / "ws" / "basics").mkdir(parents=True)
    (tmp_path / "copy" / "ws" / "basics" / "01-add.py").write_text(ADD_SOLUTION, encoding="utf-8")
    assert _tutor(env, "check", "1.1", "--no-plots").returncode == 0
    _tutor(env, "report", "--out", str(folder), "--id", "copy")

    done = grade(str(folder), "--out", str(tmp_path / "out"), "--course", str(MINI), "--jobs", "2")
    assert done.returncode == 0, done.stderr
    rows = read_csv(tmp_path / "out" / "grades.csv")
    flags = flags_of(tmp_path / "out")
    assert rows["rows"][2] == "0" and ("claimed_but_fails", "basics/01-add") in flags["rows"]
    assert rows["pack"][2] == "0" and ("course_differs", None) in flags["pack"]
    assert rows["interp"][2] == "1" and ("other_interpreter", None) in flags["interp"]
    assert rows["copy"][2] == "1" and ("reference_copy", "basics/01-add") in flags["copy"]


def test_code_that_reaches_into_the_checker_is_flagged_for_reading(base, tmp_path):
    sneaky = ("import gc, sys\nimport torch\n\ndef add(a, b):\n    torch.allclose = lambda *x, **k: True\n"
              "    sys._getframe(1).f_back\n    return eval('a + b')\n")
    write_class(tmp_path / "in", base, [("s9", "", {"basics/01-add": (sneaky, "passed")})])
    done = grade(str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--course", str(MINI), "--jobs", "1")
    assert done.returncode == 0, done.stderr
    details = [f["detail"] for f in json.loads((tmp_path / "out" / "grades.json").read_text())["students"][0]["flags"]
               if f["kind"] == "reaches_into_checker"]
    joined = " ".join(details)
    for what in ("imports gc", "assigns to torch.allclose", "uses ._getframe", "uses .f_back", "calls eval()"):
        assert what in joined, (what, details)


def test_near_duplicates_between_students_are_paired():
    from tutor.grade.flags import near_duplicates

    long = ("def fit(x, y, steps=200, lr=0.1):\n" + "".join(
        f"    a{i} = x * {i} + y\n    b{i} = a{i}.sum() / {i + 1}\n" for i in range(20)) + "    return a1, b1, []\n")
    renamed = long.replace("a1", "q1").replace("b1", "r1")
    other = "def fit(x, y, steps=200, lr=0.1):\n" + "".join(f"    z = z{i} ** 2 - {i} * x\n" for i in range(40))
    pairs = near_duplicates({"s1": long, "s2": renamed, "s3": other})
    assert [(a, b) for a, b, _ in pairs] == [("s1", "s2")]


def _chromium() -> str | None:
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed (apt install chromium; CI installs it)")
def test_the_class_page_renders_and_prints_in_headless_chromium(graded, tmp_path):
    tmp, _ = graded
    page = (tmp / "out" / "class.html").as_uri()
    base = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--proxy-server=127.0.0.1:9", "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(base + ["--dump-dom", page], capture_output=True, text=True, timeout=120)
    assert "山田 花子" in dom.stdout and "鈴木 一郎" in dom.stdout
    assert dom.stdout.count("<td class=\"pass") >= 4 and "fail differs" in dom.stdout
    assert "CONSOLE" not in dom.stderr.upper().replace("CONSOLE_", ""), dom.stderr[-2000:]
    pdf = tmp_path / "class.pdf"
    subprocess.run(base + [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page], capture_output=True, timeout=120)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000

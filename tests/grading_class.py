"""A synthetic class for the grading tests and benchmark: hand-ins built from one real report, then varied.

Each student is (id, name, {exercise: (source, claimed status)}). The base
report comes from a real `dltutor report --json`, so the hand-ins have the
real format; only sources and claims are changed, as a forger would.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "minicourse"
ADD_SOLUTION = (MINI / "solutions" / "basics" / "01-add.py").read_text(encoding="utf-8")
FIT_SOLUTION = (MINI / "solutions" / "training" / "01-fit.py").read_text(encoding="utf-8")
ADD_OWN = "def add(a, b):\n    total = a + b\n    return total\n"
ADD_WRONG = "def add(a, b):\n    return a - b\n"
FIT_WRONG = FIT_SOLUTION.replace("w.grad.zero_()", "pass").replace("b.grad.zero_()", "pass")

CLASS = [
    ("s001", "山田 花子", {"basics/01-add": (ADD_OWN, "passed"), "training/01-fit": (FIT_SOLUTION, "passed")}),
    ("s002", "佐藤 太郎", {"basics/01-add": (ADD_WRONG, "passed")}),           # a hand-edited claim
    ("s003", "鈴木 一郎", {"basics/01-add": (ADD_SOLUTION, "passed"), "training/01-fit": (FIT_WRONG, "attempted")}),
    ("s004", "Alice Martin", {"training/01-fit": ("# my own\n" + FIT_SOLUTION.replace("losses", "history"), "passed")}),
]
EXPECTED_CSV = {  # id -> (add, fit, total), what the re-run must find
    "s001": ("1", "1", "2"), "s002": ("0", "", "0"), "s003": ("1", "0", "1"), "s004": ("", "1", "1"),
}


def base_report(tmp: Path) -> dict:
    """A real v2 report of the minicourse with nothing done."""
    env = {**os.environ, "DLTUTOR_STATE_DIR": str(tmp / "base-state"), "DLTUTOR_WORKSPACE": str(tmp / "base-ws"),
           "DLTUTOR_LANG": "en"}
    out = subprocess.run([sys.executable, "-m", "tutor", "--course", str(MINI), "report", "--json"], env=env,
                         capture_output=True, text=True, check=True, timeout=120, stdin=subprocess.DEVNULL)
    return json.loads(out.stdout)


def handin(base: dict, sid: str, name: str, work: dict[str, tuple[str, str]]) -> dict:
    """`base` made into one student's hand-in."""
    report = copy.deepcopy(base)
    report["student"] = {"id": sid, "name": name, "login": sid}
    for lesson in report["lessons"]:
        for ex in lesson["exercises"]:
            if ex["id"] in work:
                source, claim = work[ex["id"]]
                ex["status"] = claim
                ex["file"].update(exists=True, content=source, sha256="0" * 64)
                ex["passed_source"] = ({"content": source, "sha256": "0" * 64, "at": report["generated_at"],
                                        "device": "cpu", "course_hash": report["course"]["content_hash"]}
                                       if claim == "passed" else None)
    return report


def write_class(folder: Path, base: dict, students=CLASS, as_html: bool = False) -> list[Path]:
    """Write each student's hand-in into `folder` (JSON, or HTML with the report inside)."""
    from tutor.report.html import render_html

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for sid, name, work in students:
        report = handin(base, sid, name, work)
        if as_html:
            path = folder / f"dltutor-{sid}-minicourse-20261202.html"
            path.write_text(render_html(report, "ja"), encoding="utf-8")
        else:
            path = folder / f"{sid}.json"
            path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths

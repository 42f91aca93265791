"""Starting the TUI, and running a real check from it, never imports torch into the tutor's process.

The check runs in a child Python (`tutor.check.runner`), and the GPU question is
asked by another child (`tutor.check.probe`): the app itself must stay light, start
fast and never hold GPU memory. Proven in a fresh interpreter, where nothing
else could have imported torch first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import asyncio, json, sys
from tutor.session import Tutor
from tutor.tui.app import create_app

HEAVY = ("torch", "torchvision", "numpy")

async def main():
    tutor = Tutor.open()
    app = create_app(tutor)  # as `dltutor start` does: the real GPU probe included
    report = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        report["screen"] = type(app.screen).__name__
        report["after_start"] = [m for m in HEAVY if m in sys.modules]
        # First run: take the preselected language, then (where an editor is installed)
        # the preselected editor, as a student pressing Enter would.
        for _ in range(3):
            if type(app.screen).__name__ == "MainScreen":
                break
            report.setdefault("first_run", []).append(type(app.screen).__name__)
            await pilot.press("enter")
            await pilot.pause(0.3)
        ex = app.main.exercise
        path = tutor.workspace.path(ex)
        path.write_text(open(sys.argv[1], encoding="utf-8").read(), encoding="utf-8")
        await pilot.press("c")
        for _ in range(600):
            if ex.key in app.main.verdicts:
                break
            await pilot.pause(0.05)
        report["verdict"] = app.main.verdicts[ex.key].kind
        await pilot.press("d")
        await pilot.pause(0.2)
        report["after_check"] = [m for m in HEAVY if m in sys.modules]
    tutor.close()
    print(json.dumps(report))

asyncio.run(main())
"""


def test_the_app_and_its_checks_leave_torch_out_of_the_tutor_process(tmp_path):
    env = dict(os.environ, DLTUTOR_STATE_DIR=str(tmp_path / "state"), DLTUTOR_WORKSPACE=str(tmp_path / "ws"),
               DLTUTOR_LANG="ja", HOME=str(tmp_path))
    env.pop("DLTUTOR_COURSE", None)
    solution = ROOT / "solutions" / "tensors" / "01-create.py"
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(solution)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["screen"] == "LanguageScreen"
    assert report["first_run"][0] == "LanguageScreen" and set(report["first_run"]) <= {"LanguageScreen", "EditorScreen"}
    assert report["verdict"] == "passed"  # a real check ran ...
    assert report["after_start"] == [] and report["after_check"] == []  # ... in another process

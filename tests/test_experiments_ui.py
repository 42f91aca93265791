"""An experiment in the front ends and the hand-in: the TUI panel and its `x` key, the report
(table, curves, discussion, the embedded JSON), its PDF through headless Chromium, PNG export
and grading.

One tiny study (four settings of 2,000 images, one or two epochs) is run and checked
once for the module, in the pack of `tests/experiments_pack.py`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from experiments_pack import ROOT, make_pack, tiny
from test_experiments import BASE, DESIGN, DISCUSSION, KEY, solution_text
from test_tui_support import anyio_backend, make_app, panel_text, settle, wait_for  # noqa: F401
from tutor.check.checker import Checker
from tutor.check.warm import WarmRunner
from tutor.report.build import build_report, load_schema
from tutor.report.html import HANDIN_ID, render_html, render_markdown
from tutor.session import Tutor


@pytest.fixture(scope="module")
def studied(tmp_path_factory):
    """(root, env): a pack, a workspace and a store in which experiment 1.1's tiny study ran and passed."""
    root = tmp_path_factory.mktemp("studied")
    env = {"DLTUTOR_STATE_DIR": str(root / "state"), "DLTUTOR_WORKSPACE": str(root / "ws"), "DLTUTOR_LANG": "en"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    make_pack(root / "pack")
    runner = WarmRunner()
    tutor = Tutor.open(course=root / "pack", checker=Checker(runner=runner), lang="en")
    try:
        ex = tutor.find(KEY)
        path, _ = tutor.prepare(ex)
        path.write_text(tiny(solution_text(), DESIGN), encoding="utf-8")
        path.with_suffix(".md").write_text(DISCUSSION + "\n<script>alert('x')</script>\n", encoding="utf-8")
        assert tutor.run_study(ex, device="cpu").complete
        assert tutor.check(ex, device="cpu").passed
    finally:
        tutor.close()
        runner.close()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return root, env


@pytest.fixture
def student(studied, monkeypatch):
    """A Tutor on the studied pack (its own warm worker)."""
    root, env = studied
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    runner = WarmRunner()
    tutor = Tutor.open(course=root / "pack", checker=Checker(runner=runner), lang="en")
    yield tutor
    tutor.close()
    runner.close()


@pytest.mark.anyio
async def test_tui_shows_the_study_and_x_runs_it_from_the_cache(student, monkeypatch):
    """The panel of an experiment shows its table and discussion; `x` reruns the study (all cached) and checks it."""
    monkeypatch.setenv("TERM", "xterm-256color")
    ex = student.find(KEY)
    student.choose_lang("en")
    student.set_position(ex)
    before = student.stored_study(ex)
    app = make_app(student, poll=False)
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(pilot)
        assert app.main.exercise.key == ex.key
        text = panel_text(app)
        assert "The study's results" in text and "hidden=16" in text and "activation=sigmoid" in text
        assert "Discussion" in text and "ユニット数が少なく" in text
        await pilot.press("x")
        assert app.checking and app.main.study_line
        await wait_for(pilot, lambda: ex.key in app.main.verdicts and not app.checking, timeout=120, what="the study's check")
        assert app.main.verdicts[ex.key].kind == "passed"
        assert "passed" in panel_text(app).lower()
    after = student.stored_study(ex)
    assert [r.key for r in after.rows] == [r.key for r in before.rows]  # nothing trained again


def test_report_html_markdown_json_and_pdf(student, tmp_path):
    """The hand-in carries the study (schema-valid), draws table, curves and discussion (its HTML
    shown as text), and prints to PDF in headless Chromium."""
    report = build_report(student, student="Test", student_id="s1")
    jsonschema.validate(report, load_schema())
    facts = next(e for lesson in report["lessons"] for e in lesson["exercises"] if e["id"] == KEY)["experiment"]
    assert len(facts["rows"]) == 4 and facts["chosen"] and "ユニット数が少なく" in facts["discussion"]["text"]
    html = render_html(report, "ja")
    assert '<table class="study">' in html and html.count("<svg") >= 4 and "検証正解率の推移" in html
    block = re.search(rf'<script type="application/json" id="{HANDIN_ID}">(.*?)</script>', html, re.S).group(1)
    page_text = html.replace(block, "")
    assert "<script>alert" not in page_text and "&lt;script&gt;alert" in page_text  # the student's HTML is text
    assert json.loads(block)["lessons"][0]["exercises"][0]["experiment"]["rows"][0]["label"] == facts["rows"][0]["label"]
    md = render_markdown(report, "en")
    assert "| setting | status |" in md and "hidden=16" in md
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("headless Chromium is not installed here (apt install chromium)")
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--proxy-server=127.0.0.1:9",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
                   capture_output=True, timeout=120)
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 20_000
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2  # the study's section runs over more than one page


def test_png_export_of_the_study(student, tmp_path):
    """`dltutor run --png DIR` writes the curves and factor plots as PNG files (with matplotlib)."""
    pytest.importorskip("matplotlib")
    from tutor.figures.png import write_pngs
    from tutor.figures.study import study_figures

    study = student.stored_study(student.find(KEY))
    paths = write_pngs(study_figures([r.to_json() for r in study.rows], study.factors), tmp_path, "study", "en")
    assert len(paths) >= 4 and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in paths)


@pytest.mark.slow
def test_grade_rechecks_an_experiment_hand_in(student, tmp_path):
    """`dltutor grade` reads the experiment in the HTML hand-in and re-checks it (re-training one setting)."""
    report = build_report(student, student="Test", student_id="s1")
    hand = tmp_path / "in" / "s1.html"
    hand.parent.mkdir()
    hand.write_text(render_html(report, "en"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "tutor", "grade", str(hand.parent), "--out", str(tmp_path / "out"),
                           "--course", str(Path(student.course.root))], capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8-sig").splitlines()
    head, line = rows[0].split(","), rows[1].split(",")
    assert line[head.index(KEY)] == "1"

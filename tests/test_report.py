"""`dltutor report`: the facts, the JSON schema, a well-formed self-contained HTML file, and a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tutor.report.build import build_report, load_schema
from tutor.report.html import render_html, render_markdown
from tutor.session import Tutor

FIGCOURSE = Path(__file__).parent / "fixtures" / "figcourse"
HOSTILE_COMMENT = "# </pre><script>alert('x')</script> <img src=https://example.org/x.png>\n"


@pytest.fixture(scope="module")
def progressed(tmp_path_factory):
    """The figure course after a failing try, a hint, and a pass (real checks, cold: a few seconds)."""
    root = tmp_path_factory.mktemp("report")
    old = {k: os.environ.get(k) for k in ("DLTUTOR_STATE_DIR", "DLTUTOR_WORKSPACE", "DLTUTOR_LANG")}
    os.environ.update(DLTUTOR_STATE_DIR=str(root / "state"), DLTUTOR_WORKSPACE=str(root / "ws"), DLTUTOR_LANG="ja")
    tutor = Tutor.open(course=FIGCOURSE)
    ex = tutor.course.exercises[0]
    path, _ = tutor.prepare(ex)
    path.write_text("def f(n):\n    return [float(i) for i in range(n + 1)]\n", encoding="utf-8")
    assert tutor.check(ex, seed=5).kind == "failed"
    tutor.next_hint(ex)
    path.write_text(HOSTILE_COMMENT + ex.solution_path.read_text(encoding="utf-8"), encoding="utf-8")
    assert tutor.check(ex, seed=6).passed
    yield tutor, root
    tutor.close()
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def test_the_facts_of_each_exercise(progressed):
    tutor, _ = progressed
    report = build_report(tutor, student="taro", student_id="s0001", now=0)
    assert report["student"]["name"] == "taro" and report["student"]["id"] == "s0001" and report["student"]["login"]
    assert report["generated_at"] == datetime.fromtimestamp(0).astimezone().isoformat(timespec="seconds")
    assert report["course"]["content_hash"] == tutor.course_hash and report["environment"]["python"]
    assert report["totals"] == {"exercises": 1, "passed": 1, "optional": 0, "optional_passed": 0,
                                "attempts": 2, "hints": 1, "solutions_revealed": 0}
    ex = report["lessons"][0]["exercises"][0]
    assert ex["id"] == "l/01-fig" and ex["status"] == "passed" and ex["attempts"] == 2
    assert ex["hints_revealed"] == 1 and ex["hints_total"] == 2 and ex["device"] == "cpu"
    assert ex["first_pass_at"] and ex["seconds_to_pass"] >= 0
    assert ex["file"]["content"].startswith(HOSTILE_COMMENT) and ex["file"]["same_as_passed"] is True
    assert ex["passed_source"]["content"] == ex["file"]["content"]
    assert ex["passed_source"]["sha256"] == ex["file"]["sha256"] and ex["passed_source"]["course_hash"] == tutor.course_hash
    assert {f["id"] for f in ex["figures"]} == {"loss", "boundary", "fit", "digits", "weights"}
    loss = next(f for f in ex["figures"] if f["id"] == "loss")
    assert loss["series"][0]["y"][0] == 1.0  # the passing run's curve, not the failing one's


def test_the_json_export_follows_its_schema(progressed):
    jsonschema = pytest.importorskip("jsonschema", reason="pip install .[test]")
    tutor, _ = progressed
    report = build_report(tutor)
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(json.dumps(report)), schema)
    broken = json.loads(json.dumps(report))
    broken["lessons"][0]["exercises"][0]["status"] = "done"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


class StrictHTML(HTMLParser):
    """Fails on a closing tag that does not close the innermost open element."""

    VOID = {"meta", "img", "br", "hr", "input", "link", "image", "rect", "circle", "path", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        self.ids += [v for k, v in attrs if k == "id"]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_html_is_well_formed_complete_and_self_contained(progressed, lang):
    tutor, _ = progressed
    html = render_html(build_report(tutor), lang)
    parser = StrictHTML()
    parser.feed(html)
    parser.close()
    assert parser.stack == []
    assert "ex-l/01-fig" in parser.ids and "lesson-l" in parser.ids
    assert parser.tags.count("svg") == 3 and parser.tags.count("img") == 20  # 3 plots; 10 digits + 10 weights
    # One script block, and it is data (the report for `dltutor grade`); the student's `<script>` is text, escaped.
    assert parser.tags.count("script") == 1 and '<script type="application/json" id="dltutor-handin">' in html
    assert "&lt;/pre&gt;&lt;script&gt;" in html
    for tag, attr, value in parser.attrs:
        if attr in ("src", "href"):
            assert value.startswith(("data:image/png;base64,", "#")), (tag, attr, value[:40])
    assert not re.search(r"https?://|url\(|@import", html.replace("https://example.org/x.png", ""))
    assert ("学習レポート" if lang == "ja" else "Progress report") in html


def test_the_markdown_has_every_exercise_and_its_file(progressed):
    tutor, _ = progressed
    md = render_markdown(build_report(tutor), "en")
    assert "## 1. Figures (1/1)" in md and "| 1.1 fig | ✓ passed | 2 | 1/2 |" in md
    assert md.count("](data:image/svg+xml;base64,") == 5
    assert "```python\n" + HOSTILE_COMMENT in md


def test_report_command_writes_html_and_markdown(progressed, tmp_path):
    _, root = progressed
    env = dict(os.environ, DLTUTOR_STATE_DIR=str(root / "state"), DLTUTOR_WORKSPACE=str(root / "ws"))
    cmd = [sys.executable, "-m", "tutor", "--course", str(FIGCOURSE)]
    done = subprocess.run(cmd + ["report", "--out", str(tmp_path / "out"), "--lang", "en"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    stamp = datetime.now().strftime("%Y%m%d")
    who = re.sub(r"[^\w.-]+", "_", __import__("getpass").getuser())
    assert files == [f"dltutor-{who}-figcourse-{stamp}.html", f"dltutor-{who}-figcourse-{stamp}.md"]
    data = json.loads(subprocess.run(cmd + ["report", "--json"], env=env, capture_output=True, text=True, timeout=120).stdout)
    assert data["lessons"][0]["exercises"][0]["status"] == "passed"
    (tmp_path / "blocked").write_text("a file where the folder should be", encoding="utf-8")
    bad = subprocess.run(cmd + ["report", "--out", str(tmp_path / "blocked")], env=env, capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 1 and "Could not write the report" in bad.stderr and "Traceback" not in bad.stderr


def _chromium() -> str | None:
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed (apt install chromium; CI installs it)")
def test_the_report_opens_and_prints_in_headless_chromium(progressed, tmp_path):
    from PIL import Image

    tutor, _ = progressed
    page = tmp_path / "report.html"
    report = build_report(tutor)
    page.write_text(render_html(report, "ja"), encoding="utf-8")
    # Offline, as on the student's machine: any fetch would fail (and show).
    base = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--proxy-server=127.0.0.1:9", f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / "shot.png"
    subprocess.run(base + [f"--screenshot={shot}", "--window-size=1000,1600", page.as_uri()],
                   capture_output=True, timeout=120)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1000, 1600)
    colours = image.getcolors(maxcolors=1 << 20)
    white = max(colours)[0] / (image.size[0] * image.size[1])
    assert len(colours) > 50 and white < 0.95  # text, tables and plots were drawn, not a blank page
    # The plots' colours are there (the blue of the first series, the red of the second).
    assert any(b > 150 and r < 90 for _, (r, g, b) in colours) and any(r > 150 and b < 90 for _, (r, g, b) in colours)
    pdf = tmp_path / "report.pdf"
    subprocess.run(base + [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()], capture_output=True,
                   timeout=120)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000
    # The browser's own parse: the embedded report is one data block that the student's `</script>` did not end,
    # and nothing of it ran (the page's DOM still holds the student's code as text only).
    dom = subprocess.run(base + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    blocks = re.findall(r'<script type="application/json" id="dltutor-handin">(.*?)</script>', dom, re.S)
    assert len(blocks) == 1 and "<script" not in dom.replace(blocks[0], "").replace('<script type="application/json" id="dltutor-handin">', "", 1)
    embedded = json.loads(blocks[0])
    assert embedded == json.loads(json.dumps(report))
    assert embedded["lessons"][0]["exercises"][0]["passed_source"]["content"].startswith(HOSTILE_COMMENT)

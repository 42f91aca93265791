"""The hand-in: one private file per student, the source that passed, a report that reads back whole."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tutor.report.html import HANDIN_ID, embedded_json, fence_for, render_markdown
from tutor.report.build import load_schema

MINI = Path(__file__).parent / "fixtures" / "minicourse"
jsonschema = pytest.importorskip("jsonschema")


def _cli(tmp: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {**os.environ, "DLTUTOR_STATE_DIR": str(tmp / "state"), "DLTUTOR_WORKSPACE": str(tmp / "ws"),
            "DLTUTOR_LANG": "en", **(env or {})}
    return subprocess.run([sys.executable, "-m", "tutor", "--course", str(args[0]), *args[1:]], capture_output=True,
                          text=True, env=base, timeout=300, stdin=subprocess.DEVNULL)


def _embedded(html: str) -> dict:
    m = re.search(rf'<script type="application/json" id="{HANDIN_ID}">(.*?)</script>', html, re.S)
    assert m, "no embedded report"
    return json.loads(m.group(1))


@pytest.fixture()
def passed(tmp_path):
    """The minicourse with 1.1 passed, then edited to something wrong; 1.2 never started."""
    ws = tmp_path / "ws" / "basics"
    ws.mkdir(parents=True)
    good = (MINI / "solutions" / "basics" / "01-add.py").read_text(encoding="utf-8")
    good = "# </script><script>alert(1)</script>\n" + good
    (ws / "01-add.py").write_text(good, encoding="utf-8")
    assert _cli(tmp_path, MINI, "check", "1.1", "--no-plots").returncode == 0
    (ws / "01-add.py").write_text("def add(a, b):\n    return a - b\n", encoding="utf-8")
    return tmp_path, good


def test_the_hand_in_is_one_private_file_named_for_the_student(passed):
    tmp, good = passed
    done = _cli(tmp, MINI, "report", "--out", str(tmp / "out"), "--id", "s2412345", "--name", "山田 花子")
    assert done.returncode == 0, done.stderr
    stamp = datetime.now().strftime("%Y%m%d")
    html = tmp / "out" / f"dltutor-s2412345-minicourse-{stamp}.html"
    assert sorted(p.name for p in (tmp / "out").iterdir()) == [html.name, html.with_suffix(".md").name]
    assert stat.S_IMODE(html.stat().st_mode) == 0o600 and stat.S_IMODE(html.with_suffix(".md").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp / "out").stat().st_mode) == 0o700  # the folder it made for the hand-in, too
    data = _embedded(html.read_text(encoding="utf-8"))
    jsonschema.validate(data, load_schema())
    assert data["student"] == {"id": "s2412345", "name": "山田 花子", "login": data["student"]["login"]}
    ex = data["lessons"][0]["exercises"][0]
    # The source of the pass, not the file as it is now; both with their sha256.
    assert ex["passed_source"]["content"] == good and "a - b" in ex["file"]["content"]
    assert ex["file"]["same_as_passed"] is False and ex["passed_source"]["sha256"] != ex["file"]["sha256"]
    # Asked once, remembered: the next report needs no options.
    again = _cli(tmp, MINI, "report", "--out", str(tmp / "out2"))
    assert (tmp / "out2" / html.name).is_file(), again.stdout


def test_totals_match_progress_and_idle_exercises_fold_into_one_line(passed):
    tmp, _ = passed
    report = json.loads(_cli(tmp, MINI, "report", "--json").stdout)
    progress = json.loads(_cli(tmp, MINI, "progress", "--json").stdout)
    shown = _cli(tmp, MINI, "progress").stdout
    assert progress["totals"] == {k: report["totals"][k] for k in ("exercises", "passed")} == {"exercises": 2, "passed": 1}
    assert f"Progress: {report['totals']['passed']} of {report['totals']['exercises']} required exercises passed" in shown
    _cli(tmp, MINI, "report", "--out", str(tmp / "out"), "--id", "x1")
    html = next((tmp / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "Not started (1): 2.1" in html and 'id="ex-training/01-fit"' not in html
    md = next((tmp / "out").glob("*.md")).read_text(encoding="utf-8")
    assert "Not started (1): 2.1" in md and "### 2.1" not in md and "| 2.1 " not in md and "### 1.1" in md


def test_optional_exercises_stay_out_of_the_totals_in_both(tmp_path):
    """A pack with an optional exercise: `progress` and the report count the same required ones."""
    pack = tmp_path / "pack"
    shutil.copytree(MINI, pack, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = pack / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('id = "01-fit"\n', 'id = "01-fit"\noptional = true\n', 1), encoding="utf-8")
    report = json.loads(_cli(tmp_path, pack, "report", "--json").stdout)
    progress = json.loads(_cli(tmp_path, pack, "progress", "--json").stdout)
    assert progress["totals"] == {"exercises": 1, "passed": 0} == {k: report["totals"][k] for k in ("exercises", "passed")}
    assert "(optional exercises: 0 of 1 passed, not counted above)" in _cli(tmp_path, pack, "progress").stdout
    assert report["totals"]["optional"] == 1 and report["totals"]["optional_passed"] == 0
    _cli(tmp_path, pack, "report", "--out", str(tmp_path / "out"), "--id", "x1")
    md = next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8")
    assert "Passed 0 of 1 required exercises (0 of 1 optional ones); 0 checks," in md


def test_a_planted_symlink_is_replaced_never_written_through(passed):
    tmp, _ = passed
    out = tmp / "out"
    out.mkdir()
    victim = tmp / "victim.py"
    victim.write_text("the student's own file\n", encoding="utf-8")
    stamp = datetime.now().strftime("%Y%m%d")
    (out / f"dltutor-x1-minicourse-{stamp}.html").symlink_to(victim)
    done = _cli(tmp, MINI, "report", "--out", str(out), "--id", "x1")
    assert done.returncode == 0, done.stderr
    assert victim.read_text(encoding="utf-8") == "the student's own file\n"
    target = out / f"dltutor-x1-minicourse-{stamp}.html"
    assert not target.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not list(out.glob(".*.tmp"))


def test_student_code_cannot_end_the_embedded_block():
    report = {"x": "</script><script>alert(1)</script>", "y": "<!-- \u2028 \u2029"}
    block = embedded_json(report)
    assert block.count("</script>") == 1 and block.endswith("</script>")
    assert json.loads(block[block.index(">") + 1:-len("</script>")]) == report


def test_the_markdown_fence_outlasts_any_backtick_run():
    content = "x = 1\n````\n<script>alert(1)</script>\n"
    fence = fence_for(content)
    assert fence == "`````"
    lesson = {"id": "l", "number": 1, "title": {"ja": "l", "en": "l"}, "passed": 0, "total": 1, "exercises": [{
        "id": "l/01", "short": "1.1", "title": {"ja": "t", "en": "t"}, "status": "attempted", "attempts": 1,
        "hints_revealed": 0, "hints_total": 0, "solution_revealed": False, "solution_reason": None,
        "first_pass_at": None, "device": "cpu", "figures": [],
        "file": {"exists": True, "path": "p.py", "content": content}}]}
    md = render_markdown({"course": {"title": {"en": "c", "ja": "c"}}, "student": "s", "generated_at": None,
                          "tool": {"version": "0"}, "totals": {"passed": 0, "exercises": 1, "attempts": 1, "hints": 0,
                                                               "solutions_revealed": 0}, "lessons": [lesson]}, "en")
    body = md.split("`````python\n", 1)[1]
    assert body.split("\n`````\n", 1)[0].endswith("<script>alert(1)</script>")  # inside the code block


def test_a_copied_pack_and_another_interpreter_are_visible(passed, tmp_path):
    tmp, _ = passed
    forged = tmp_path / "forged"
    shutil.copytree(MINI, forged, ignore=shutil.ignore_patterns("__pycache__"))
    (forged / "checks" / "basics" / "01-add.py").write_text(  # the checks emptied: one that asks nothing
        'from tutor.checkkit import check\n\n\n@check(ja="なし", en="nothing")\ndef nothing(t):\n    pass\n',
        encoding="utf-8")
    real = json.loads(_cli(tmp, MINI, "report", "--json").stdout)
    fake = json.loads(_cli(tmp, forged, "report", "--json", env={"DLTUTOR_PYTHON": sys.executable}).stdout)
    assert real["course"]["id"] == fake["course"]["id"] == "minicourse"
    assert real["course"]["content_hash"] != fake["course"]["content_hash"]
    assert fake["environment"]["interpreter"] == sys.executable and real["environment"]["interpreter"] is None
    # The wrong file passes the emptied checks; the real pack's report then shows whose checks judged that pass.
    _cli(tmp, MINI, "report", "--out", str(tmp / "o1"), "--id", "x1")
    assert "judged by the checks of a course" not in next((tmp / "o1").glob("*.html")).read_text(encoding="utf-8")
    forged_check = _cli(tmp, forged, "check", "1.1", "--no-plots")
    assert forged_check.returncode == 0, forged_check.stdout
    kept = json.loads(_cli(tmp, forged, "report", "--json").stdout)["lessons"][0]["exercises"][0]["passed_source"]
    assert "a - b" in kept["content"] and kept["course_hash"] == fake["course"]["content_hash"]
    _cli(tmp, MINI, "report", "--out", str(tmp / "out"), "--id", "x1")
    html = next((tmp / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "judged by the checks of a course with other contents" in html
    assert "judged by the checks of a course with other contents" in next((tmp / "out").glob("*.md")).read_text()
    _cli(tmp, forged, "report", "--out", str(tmp / "forged-out"), "--id", "x1")
    shown = next((tmp / "forged-out").glob("*.html")).read_text(encoding="utf-8")
    assert fake["course"]["content_hash"][:19] in shown and f"DLTUTOR_PYTHON" not in shown


def test_a_symlink_planted_at_a_guessed_temporary_name_is_not_followed(tmp_path, monkeypatch):
    """The temporary name is random; one guessed right (here: forced) makes the create fail, never write through."""
    from tutor.progress import privatefile

    victim = tmp_path / "victim.py"
    victim.write_text("the student's own file\n", encoding="utf-8")
    names = iter(["guessed", "fresh"])
    monkeypatch.setattr(privatefile.secrets, "token_hex", lambda n: next(names))
    target = tmp_path / "out" / "dltutor-x-c-20260101.html"
    target.parent.mkdir()
    planted = target.with_name(f".{target.name}.guessed.tmp")
    planted.symlink_to(victim)
    old = os.umask(0)  # even with a umask that lets everyone read
    try:
        privatefile.write_private(target, "<p>hand-in</p>")
    finally:
        os.umask(old)
    assert victim.read_text(encoding="utf-8") == "the student's own file\n" and planted.is_symlink()
    assert target.read_text(encoding="utf-8") == "<p>hand-in</p>" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not target.with_name(f".{target.name}.fresh.tmp").exists()


def test_without_an_id_a_run_with_no_terminal_goes_on_with_the_login_name_and_says_so(passed):
    tmp, _ = passed
    done = _cli(tmp, MINI, "report", "--out", str(tmp / "out"))
    assert done.returncode == 0, done.stderr
    login = re.sub(r"[^\w.-]+", "_", __import__("getpass").getuser())
    assert "No student number set, so the login name" in done.stdout and "--id" in done.stdout
    assert [p.name for p in (tmp / "out").glob("*.html")] == [f"dltutor-{login}-minicourse-{datetime.now():%Y%m%d}.html"]
    ja = _cli(tmp, MINI, "report", "--out", str(tmp / "out"), "--lang", "ja")
    assert "学籍番号が設定されていないため" in ja.stdout


def test_on_a_terminal_the_id_and_name_are_asked_once_then_remembered(passed):
    import pty
    import select

    tmp, _ = passed
    env = {**os.environ, "DLTUTOR_STATE_DIR": str(tmp / "state"), "DLTUTOR_WORKSPACE": str(tmp / "ws"),
           "DLTUTOR_LANG": "ja", "COLUMNS": "200"}
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "--course", str(MINI), "report", "--out", str(tmp / "out")],
                            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen, answers = b"", iter([b"s2499999\n", "佐藤 一郎\n".encode()])
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if seen.decode("utf-8", "replace").rstrip().endswith(":"):
            os.write(master, next(answers, b"\n"))
    os.close(master)
    assert proc.wait(timeout=120) == 0, seen.decode("utf-8", "replace")
    text = seen.decode("utf-8", "replace")
    assert "学籍番号 (提出物のファイル名に使います):" in text and "氏名:" in text
    html = tmp / "out" / f"dltutor-s2499999-minicourse-{datetime.now():%Y%m%d}.html"
    assert _embedded(html.read_text(encoding="utf-8"))["student"]["name"] == "佐藤 一郎"
    again = _cli(tmp, MINI, "report", "--json")  # remembered: asked no more
    assert json.loads(again.stdout)["student"]["id"] == "s2499999"


def test_the_json_is_version_2_names_the_checked_torch_and_the_tutor_never_imports_torch(passed):
    tmp, good = passed
    code = ("import sys, runpy; sys.argv = ['dltutor', '--course', sys.argv[1], 'report', '--json'];"
            "from tutor.cli import main; code = main(); print('TORCH' if 'torch' in sys.modules else 'NO-TORCH',"
            " file=sys.stderr); raise SystemExit(code)")
    env = {**os.environ, "DLTUTOR_STATE_DIR": str(tmp / "state"), "DLTUTOR_WORKSPACE": str(tmp / "ws"), "DLTUTOR_LANG": "en"}
    done = subprocess.run([sys.executable, "-c", code, str(MINI)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0 and done.stderr.strip().endswith("NO-TORCH"), done.stderr
    report = json.loads(done.stdout)
    jsonschema.validate(report, load_schema())
    child = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__)"], capture_output=True,
                           text=True, timeout=300).stdout.strip()
    assert report["report_version"] == 2 and report["environment"]["torch"] == child  # as the checked child saw it
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", report["generated_at"])  # local, with offset
    src = report["lessons"][0]["exercises"][0]["passed_source"]
    import hashlib

    assert src["sha256"] == hashlib.sha256(good.encode("utf-8")).hexdigest() and src["course_hash"].startswith("sha256:")
    assert src["course_hash"] == report["course"]["content_hash"]


def test_a_pass_written_into_the_store_by_hand_shows_that_no_source_was_kept(passed):
    """The first forgery of the issue: a `passed` row inserted with sqlite3. The report still says passed (it is
    the student's claim), but shows that no code was kept for it; `dltutor grade` re-runs the file instead."""
    import sqlite3

    tmp, _ = passed
    db = tmp / "state" / "progress-minicourse.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO attempts (exercise, at, verdict, duration_s, device, file_hash, detail)"
                     " VALUES ('training/01-fit', 1.0, 'passed', 0.1, 'cpu', 'h', '{}')")
    conn.close()
    done = _cli(tmp, MINI, "report", "--out", str(tmp / "out"), "--id", "x1")
    assert done.returncode == 0, done.stderr
    html = next((tmp / "out").glob("*.html")).read_text(encoding="utf-8")
    data = _embedded(html)
    fit = data["lessons"][1]["exercises"][0]
    assert fit["status"] == "passed" and fit["passed_source"] is None
    assert html.count("A pass is recorded but the code that passed was not kept") == 1
    assert data["lessons"][0]["exercises"][0]["passed_source"] is not None  # the real pass keeps its code
    assert "A pass is recorded but the code that passed was not kept" in next((tmp / "out").glob("*.md")).read_text()

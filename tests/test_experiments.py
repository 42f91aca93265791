"""Experiments (`kind = "experiment"`): the manifest, the study engine, its checks, the CLI, the TUI,
the report and grading, through real child processes.

Studies here are tiny (2,000 training images, 1,000 for validation, one or two
epochs) and run against `tests/experiments_pack.py`'s pack, whose marks are
lowered to 0.5 so a tiny study can pass; the real marks are proven by the
reference solutions' full studies (`slow`). Every answer file in
`tests/answers/experiments/` runs as a tiny study and then its checks (`slow`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from experiments_pack import ROOT, make_pack, tiny
from tutor.check.checker import Checker
from tutor.check.warm import WarmRunner
from tutor.course.manifest import ContentError, load_course
from tutor.progress.store import MIGRATIONS, SCHEMA_VERSION, Store
from tutor.progress.studies import load_settings
from tutor.session import Tutor
from tutor.study import code_hash, setting_key

KEY = "experiments/01-mlp-design"
ANSWERS = ROOT / "tests" / "answers" / "experiments"
BASE = {"hidden": 64, "layers": 1, "activation": "relu", "epochs": 1, "seed": 0}
DESIGN = [BASE, {**BASE, "hidden": 16}, {**BASE, "activation": "sigmoid"}, {**BASE, "epochs": 2}]
DISCUSSION = ("# 考察\nhidden=16 ではユニット数が少なく、正解率が大きく下がりました。activation=sigmoid では勾配が小さく"
              "なるため、同じエポック数では学習が遅れました。エポック数を増やすと検証正解率が上がりました。この実験では"
              "訓練データを 2,000 枚に減らしているので、全体の正解率は低めです。シードを固定しているので、同じ設定なら何度"
              "学習しても同じ結果になります。検証正解率で設定を選び、テスト正解率は最後に一度だけ見ました。\n")


def solution_text(ex_id: str = "01-mlp-design") -> str:
    return (ROOT / "solutions" / "experiments" / f"{ex_id}.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def warm():
    """One warm worker for the module's in-process studies and checks."""
    runner = WarmRunner()
    yield Checker(runner=runner)
    runner.close()


def _env(tmp: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), DLTUTOR_STATE_DIR=str(tmp / "state"),
               DLTUTOR_WORKSPACE=str(tmp / "ws"), DLTUTOR_LANG="en", COLUMNS="120")
    return env


def _cli(tmp: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", *args, "--course", str(tmp / "pack")], env=_env(tmp),
                          capture_output=True, text=True, timeout=timeout, cwd=tmp)


# ------------------------------------------------------------------ the manifest and the keys (no child)


def test_manifest_kinds_and_experiment_table(tmp_path):
    """Ordinary exercises keep their kind; an experiment reads its table; bad values are named."""
    course = load_course(ROOT)
    ex = course.find(KEY)
    assert ex.is_experiment and ex.study.mark == 0.97 and ex.study.min_settings == 4
    assert course.find("tensors/01-create").kind == "exercise" and course.find("tensors/01-create").study is None
    pack = make_pack(tmp_path / "pack")
    text = (pack / "course.toml").read_text(encoding="utf-8")
    for bad, phrase in (('kind = "experiment"', 'kind = "study"'), ("mark = 0.5", "mark = 97"),
                        ("min_factors = 2", "min_factors = 2\nsurprise = 1")):
        (pack / "course.toml").write_text(text.replace(bad, phrase, 1), encoding="utf-8")
        with pytest.raises(ContentError) as err:
            load_course(pack)
        assert ("kind must be" in str(err.value) or "experiment.mark" in str(err.value)
                or "unknown experiment field" in str(err.value)), str(err.value)


def test_code_hash_ignores_the_design_but_not_the_code():
    """Adding a setting or a comment keeps the cache; changing the training changes it."""
    src = solution_text()
    more = tiny(src, DESIGN + [{**BASE, "hidden": 8}])
    assert code_hash(tiny(src, DESIGN)) == code_hash(more) == code_hash(more + "\n# a comment\n")
    assert code_hash(src) != code_hash(src.replace("lr=config.get(\"lr\", 1e-3)", "lr=config.get(\"lr\", 1e-2)"))
    assert setting_key({"a": 1, "b": "x"}) == setting_key({"b": "x", "a": 1}) != setting_key({"a": 2, "b": "x"})


def test_store_migration_keeps_earlier_data(tmp_path):
    """A version-3 store (the previous release) gains the study table and keeps its attempts."""
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:3]:
        conn.executescript(script)
    conn.execute("INSERT INTO attempts (exercise, at, verdict, duration_s, device, file_hash, detail)"
                 " VALUES ('tensors/01-create', 1.0, 'passed', 1.0, 'cpu', 'abc', NULL)")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    store = Store.open(path)
    try:
        assert [a.verdict for a in store.attempts("tensors/01-create")] == ["passed"]
        assert store._read("PRAGMA user_version")[0][0] == SCHEMA_VERSION == 4
        assert load_settings(store, KEY, "h") == {}
    finally:
        store.close()


# ------------------------------------------------------------------ the CLI, end to end


def test_cli_run_interrupt_cache_add_setting_then_pass(tmp_path):
    """`dltutor run`: progress lines, Ctrl-C keeps finished settings, a rerun takes them from the
    cache, an added setting runs alone, and with a discussion `check` passes."""
    make_pack(tmp_path / "pack")
    student = tmp_path / "ws" / "experiments" / "01-mlp-design.py"
    student.parent.mkdir(parents=True)
    student.write_text(tiny(solution_text(), DESIGN), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "run", KEY, "--no-check", "--course", str(tmp_path / "pack")],
                            env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if ": ok" in line:  # the first setting has finished: interrupt the study
            proc.send_signal(signal.SIGINT)
            break
    rest, err = proc.communicate(timeout=120)
    out = "".join(lines) + rest
    assert proc.returncode == 130, out + err
    assert "setting 1 of 4" in out and "epoch 1/1" in out and "val acc" in out and "left" in out
    assert "Interrupted" in err and "are saved" in err

    again = _cli(tmp_path, "run", KEY, "--no-check")
    assert again.returncode == 0, again.stdout + again.stderr
    cached = int(re.search(r"(\d+) setting\(s\) come from the cache", again.stdout).group(1))
    assert 1 <= cached <= 3
    assert "setting 4 of 4" in again.stdout and "Chosen on validation accuracy" in again.stdout

    student.write_text(tiny(solution_text(), DESIGN + [{**BASE, "hidden": 8}]), encoding="utf-8")
    grown = _cli(tmp_path, "run", KEY, "--no-check")
    assert grown.returncode == 0, grown.stdout + grown.stderr
    assert "4 setting(s) come from the cache (same code); 1 will run." in grown.stdout
    assert grown.stdout.count(": ok") == 1

    unchecked = _cli(tmp_path, "check", KEY)  # the discussion is still the template
    assert unchecked.returncode == 1 and "discussion" in unchecked.stdout
    student.with_suffix(".md").write_text(DISCUSSION, encoding="utf-8")
    checked = _cli(tmp_path, "check", KEY)
    assert checked.returncode == 0, checked.stdout
    assert "re-training of one setting" in checked.stdout


def test_failing_settings_become_rows_and_the_study_goes_on(tmp_path, warm):
    """A crash, an out-of-memory and a broken contract are rows with that verdict; the others still run."""
    pack = make_pack(tmp_path / "pack")
    tutor = Tutor.open(course=pack, workspace=tmp_path / "ws", checker=warm, lang="en")
    try:
        ex = tutor.find(KEY)
        path, _ = tutor.prepare(ex)
        src = tiny(solution_text(), [BASE, {**BASE, "hidden": 17}, {**BASE, "hidden": 18}, {**BASE, "hidden": 19}])
        src = src.replace('''    model = build_model(config).to(device)''', '''    if config["hidden"] == 17:
        raise ValueError("setting 17 breaks")
    if config["hidden"] == 18:
        hog = torch.empty(8 << 30, dtype=torch.uint8).fill_(1)  # 8 GiB, over the 4 GiB limit
    model = build_model(config).to(device)''')
        src = src.replace('''"val_acc": val_acc}''', '''"val_acc": val_acc if config["hidden"] != 19 else 100 * val_acc}''')
        path.write_text(src, encoding="utf-8")
        events = []
        study = tutor.run_study(ex, device="cpu", on_event=events.append)
        statuses = [row.status for row in study.rows]
        assert statuses == ["ok", "error", "oom", "invalid"], [(r.status, r.message) for r in study.rows]
        assert "setting 17 breaks" in study.rows[1].message.en
        assert "fractions from 0 to 1" in study.rows[3].message.en and study.rows[3].message.ja
        assert [e.index for e in events if e.kind == "done"] == [1, 2, 3, 4]
        assert study.rows[0].test_acc > 0.3 and study.rows[0].peak_rss_mb > 0
        verdict = tutor.check(ex, device="cpu")
        design = next(c for c in verdict.checks if c.id == "design")
        assert verdict.kind == "failed" and design.status == "failed" and "did not finish" in design.message.en
    finally:
        tutor.close()


@pytest.mark.slow
def test_a_setting_past_its_time_is_a_timeout_row(tmp_path, warm):
    """A setting that never ends is stopped at its CPU budget (the pack's timeout, 6 s) and the next one still runs."""
    pack = make_pack(tmp_path / "pack", timeout=6)
    tutor = Tutor.open(course=pack, workspace=tmp_path / "ws", checker=warm, lang="en")
    try:
        ex = tutor.find(KEY)
        path, _ = tutor.prepare(ex)
        src = tiny(solution_text(), [{**BASE, "hidden": 13}, BASE])
        loop = "    while config[\"hidden\"] == 13:\n        pass\n"
        path.write_text(src.replace("    model = build_model(config).to(device)", loop + "    model = build_model(config).to(device)"),
                        encoding="utf-8")
        study = tutor.run_study(ex, device="cpu")
        assert [row.status for row in study.rows] == ["timeout", "ok"], [(r.status, r.message) for r in study.rows]
        assert "time limit" in study.rows[0].message.en and study.rows[0].message.ja
    finally:
        tutor.close()


def test_typed_in_numbers_and_a_bad_discussion_fail(tmp_path, warm):
    """Numbers that the student's code does not give fail the re-training; a discussion that is not
    UTF-8 fails with its own message (both checked by the real checker, the study given as stored)."""
    pack = make_pack(tmp_path / "pack")
    tutor = Tutor.open(course=pack, workspace=tmp_path / "ws", checker=warm, lang="en")
    try:
        ex = tutor.find(KEY)
        path, _ = tutor.prepare(ex)
        path.write_text(tiny(solution_text(), DESIGN[:2] + [{**BASE, "activation": "tanh"}, {**BASE, "epochs": 2}]), encoding="utf-8")
        study = tutor.run_study(ex, device="cpu")
        assert study.complete
        with sqlite3.connect(tutor.store.path) as db:  # the student edits the stored numbers
            for (key, result) in db.execute("SELECT setting_key, result FROM study_runs").fetchall():
                data = json.loads(result)
                data["test_acc"], data["history"][-1]["val_acc"] = 0.995, 0.99
                db.execute("UPDATE study_runs SET result = ? WHERE setting_key = ?", (json.dumps(data), key))
        path.with_suffix(".md").write_bytes(DISCUSSION.encode("shift_jis"))
        verdict = tutor.check(ex, device="cpu")
        by_id = {c.id: c for c in verdict.checks}
        assert verdict.kind == "failed"
        assert by_id["reproduce"].status == "failed" and "re-trained" in by_id["reproduce"].message.en
        assert by_id["discussion"].status == "failed" and "not UTF-8" in by_id["discussion"].message.en
        assert by_id["design"].status == "passed" and by_id["validation"].status == "passed"
    finally:
        tutor.close()


# ------------------------------------------------------------------ answers: a tiny study, then the checks


def _answers() -> list:
    out = []
    for path in sorted(ANSWERS.glob("*/*.py")):
        # All slow: a passing tiny study is the UI tests' fixture, typed-in numbers have a test of their own.
        out.append(pytest.param(path, id=f"{path.parent.name}/{path.stem}", marks=pytest.mark.slow))
    return out


@pytest.mark.parametrize("path", _answers())
def test_answer(path: Path, tmp_path, warm):
    """Each answer runs as a study, then its checks: the header's verdict and message."""
    header = dict(re.findall(r"^#\s*(expect|message):\s*(.+?)\s*$", path.read_text(encoding="utf-8"), flags=re.M)[:2])
    pack = make_pack(tmp_path / "pack")
    tutor = Tutor.open(course=pack, workspace=tmp_path / "ws", checker=warm, lang="en")
    try:
        ex = tutor.find(f"experiments/{path.parent.name}")
        target, _ = tutor.prepare(ex)
        shutil.copyfile(path, target)
        shutil.copyfile(path.with_suffix(".md"), target.with_suffix(".md"))
        tutor.run_study(ex, device="cpu")
        verdict = tutor.check(ex, device="cpu")
        texts = [c.message.en for c in verdict.checks if c.message and c.status != "passed"]
        assert verdict.kind == header["expect"], f"{path.name}: {verdict.kind} {texts}"
        if header["expect"] != "passed":
            assert any(header["message"] in t for t in texts), f"{path.name}: {header['message']!r} not in {texts}"
            ja = [c.message.ja for c in verdict.checks if c.message and c.status != "passed"]
            assert any(re.search(r"[\u3040-\u30ff]", t) for t in ja)
    finally:
        tutor.close()


# ------------------------------------------------------------------ the reference studies (minutes each)


@pytest.mark.slow
@pytest.mark.parametrize("ex_id", ["01-mlp-design", "02-optimizers", "03-generalisation"])
def test_reference_study_reaches_the_mark(ex_id):
    """`dev verify` on the real course: the reference's whole default design passes (mark included), the stub does not."""
    proc = subprocess.run([sys.executable, "-m", "tutor", "dev", "verify", "--only", f"experiments/{ex_id}"],
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "solution: passed" in proc.stdout and "stub: failed" in proc.stdout

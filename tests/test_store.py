"""Tests of the progress store, including real concurrent and killed processes."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import string
import subprocess
import sys
import threading
import time
import tomllib
from contextlib import contextmanager
from pathlib import Path

import pytest

import tutor.progress.store as store_module
from tutor.progress.store import MIGRATIONS, SCHEMA_VERSION, Attempt, Store

ROOT = Path(__file__).resolve().parents[1]
WRITER = Path(__file__).with_name("store_writer.py")
HASH = "a" * 64


def keys(store: Store) -> list[str]:
    return [notice.key for notice in store.notices]


def catalogue() -> dict[str, dict[str, str]]:
    with (ROOT / "tutor" / "i18n" / "locale" / "store.toml").open("rb") as fh:
        return tomllib.load(fh)


def assert_renders(store: Store) -> None:
    """Every notice fills its catalogue text in both languages."""
    texts = catalogue()
    for notice in store.notices:
        for lang in ("ja", "en"):
            line = texts[notice.key][lang].format(**notice.params)
            assert str(notice.params["path"]) in line and "{" not in line


def raw(path: Path, sql: str) -> list[tuple]:
    """Query the file directly, bypassing Store."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def make_store(path: Path, attempts: int = 3) -> None:
    with Store.open(path) as store:
        for i in range(attempts):
            store.record_attempt("ex/a", "failed", 0.5, "cpu", HASH, {"i": i}, at=1000.0 + i)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------- behaviour


def test_attempts_round_trip_oldest_first(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        store.record_attempt("ex/a", "passed", 2.5, "cuda:0", HASH, {"msg": "良い", "n": [1, 2]}, at=200.0)
        store.record_attempt("ex/a", "failed", 1.0, "cpu", HASH, None, at=100.0)
        store.record_attempt("ex/b", "timeout", 9.0, "cpu", HASH, at=150.0)
        assert store.attempts("ex/a") == [
            Attempt("ex/a", 100.0, "failed", 1.0, "cpu", HASH, None),
            Attempt("ex/a", 200.0, "passed", 2.5, "cuda:0", HASH, {"msg": "良い", "n": [1, 2]}),
        ]
        assert [a.exercise for a in store.attempts()] == ["ex/a", "ex/b", "ex/a"]
        before = time.time()
        store.record_attempt("ex/c", "error", 0.1, "cpu", HASH)
        assert before <= store.attempts("ex/c")[0].at <= time.time()
    # Stored as JSON text, never pickle.
    assert raw(tmp_path / "p.db", "SELECT typeof(detail), detail FROM attempts WHERE at = 200") == [
        ("text", json.dumps({"msg": "良い", "n": [1, 2]}, ensure_ascii=False))]


def test_progress_summary(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        assert store.progress("ex/a").status == "not_started"
        store.record_attempt("ex/a", "failed", 1, "cpu", HASH, {"why": "shape"}, at=10.0)
        assert store.progress("ex/a").status == "attempted"
        store.record_attempt("ex/a", "passed", 1, "cpu", HASH, at=30.0)
        store.record_attempt("ex/a", "passed", 1, "cpu", HASH, at=20.0)
        store.record_attempt("ex/a", "error", 1, "cpu", HASH, {"why": "typo"}, at=40.0)
        progress = store.progress("ex/a")
        assert progress.status == "passed"  # a later error does not undo a pass
        assert (progress.attempts, progress.first_attempt_at, progress.first_pass_at) == (4, 10.0, 20.0)
        assert (progress.last_verdict, progress.last_detail) == ("error", {"why": "typo"})
        assert (progress.hints_revealed, progress.solution_revealed, progress.solution_reason) == (0, False, None)


def test_hints_are_idempotent_and_report_the_highest_level(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        assert store.hints_revealed("ex/a") == 0
        for level in (1, 2, 2, 1):
            store.record_hint("ex/a", level)
        assert store.hints_revealed("ex/a") == 2
        assert store.hints_revealed("ex/b") == 0
        with pytest.raises(ValueError):
            store.record_hint("ex/a", 0)
    assert raw(tmp_path / "p.db", "SELECT level FROM hints ORDER BY level") == [(1,), (2,)]


def test_solution_keeps_every_reveal_and_the_first_reason(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        assert not store.solution_revealed("ex/a")
        store.record_solution("ex/a", "give_up")
        time.sleep(0.01)
        store.record_solution("ex/a", "passed")
        assert store.solution_revealed("ex/a")
        assert store.progress("ex/a").solution_reason == "give_up"
        with pytest.raises(ValueError):
            store.record_solution("ex/a", "bored")
    rows = raw(tmp_path / "p.db", "SELECT reason, at FROM solutions ORDER BY id")
    assert [r[0] for r in rows] == ["give_up", "passed"] and rows[0][1] < rows[1][1]


def test_all_progress_lists_only_touched_exercises(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        assert store.all_progress() == {}
        store.record_attempt("ex/a", "passed", 1, "cpu", HASH)
        store.record_hint("ex/b", 1)
        store.record_solution("ex/c", "give_up")
        everything = store.all_progress()
        assert sorted(everything) == ["ex/a", "ex/b", "ex/c"]
        assert [everything[k].status for k in sorted(everything)] == ["passed", "not_started", "not_started"]
        assert everything["ex/b"].hints_revealed == 1
        assert everything["ex/c"].solution_reason == "give_up"
        assert everything == {name: store.progress(name) for name in everything}


def test_settings(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        assert store.get_setting("lang") is None
        assert store.get_setting("lang", "en") == "en"
        store.set_setting("lang", "ja")
        store.set_setting("lang", "en")
        store.set_setting("current", "tensors/01-create")
    with Store.open(tmp_path / "p.db") as store:
        assert (store.get_setting("lang"), store.get_setting("current")) == ("en", "tensors/01-create")


def test_file_is_versioned_wal_and_persistent(tmp_path):
    path = tmp_path / "p.db"
    make_store(path, attempts=2)
    assert raw(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)] and SCHEMA_VERSION == len(MIGRATIONS)
    assert raw(path, "PRAGMA journal_mode") == [("wal",)]
    with Store.open(path) as store:
        assert store.notices == [] and not store.read_only and store.path == path
        assert len(store.attempts()) == 2


def test_writes_after_close_are_ignored(tmp_path):
    store = Store.open(tmp_path / "p.db")
    store.close()
    store.close()
    store.record_attempt("ex/a", "passed", 1, "cpu", HASH)  # no exception
    assert Store.open(tmp_path / "p.db").attempts() == []


def test_threads_share_one_store(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        def work(n: int) -> None:
            for i in range(25):
                store.record_attempt(f"ex/{n}", "failed", 0.1, "cpu", HASH)
                store.progress(f"ex/{n}")

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(store.attempts()) == 100


# -------------------------------------------------------------- migrations


def test_migration_upgrades_an_older_file_and_keeps_its_data(tmp_path, monkeypatch):
    path = tmp_path / "p.db"
    make_store(path)
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS + [
        "ALTER TABLE attempts ADD COLUMN note TEXT; CREATE TABLE extra (x INTEGER)"])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store.open(path) as store:
        assert store.notices == [] and len(store.attempts()) == 3
    assert raw(path, "PRAGMA user_version") == [(SCHEMA_VERSION + 1,)]
    assert "note" in [row[1] for row in raw(path, "PRAGMA table_info(attempts)")]


def test_failed_migration_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "p.db"
    make_store(path)  # three attempts of one exercise: the unique index fails here only
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS + [
        "ALTER TABLE attempts ADD COLUMN note TEXT;"
        " CREATE UNIQUE INDEX one_each ON attempts (exercise)"])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    store = Store.open(path)  # never raises
    assert keys(store) == ["store.in_memory"] and store.path is None
    store.close()
    # One transaction: the first statement was rolled back with the second.
    assert raw(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert "note" not in [row[1] for row in raw(path, "PRAGMA table_info(attempts)")]


def test_newer_schema_opens_read_only_and_is_never_downgraded(tmp_path):
    path = tmp_path / "p.db"
    make_store(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.read_only
        [notice] = store.notices
        assert notice.key == "store.newer_schema"
        assert notice.params == {"path": str(path), "version": SCHEMA_VERSION + 5,
                                 "supported": SCHEMA_VERSION}
        assert len(store.attempts("ex/a")) == 3  # reads work
        assert_renders(store)
        store.record_attempt("ex/a", "passed", 1, "cpu", HASH)  # a no-op, no exception
        store.record_hint("ex/a", 1)
        store.set_setting("lang", "ja")
        assert len(store.attempts("ex/a")) == 3 and store.get_setting("lang") is None
    assert raw(path, "PRAGMA user_version") == [(SCHEMA_VERSION + 5,)]
    assert raw(path, "SELECT count(*) FROM attempts") == [(3,)]


# -------------------------------------------------------------- read-only


def test_forced_read_only_reads_and_never_writes(tmp_path):
    path = tmp_path / "p.db"
    make_store(path)
    before = path.read_bytes()
    with Store.open(path, read_only=True) as store:
        assert store.read_only and store.notices == [] and store.path == path
        assert store.progress("ex/a").attempts == 3
        store.record_attempt("ex/a", "passed", 1, "cpu", HASH)
        store.set_setting("lang", "ja")
        assert store.progress("ex/a").attempts == 3
    assert path.read_bytes() == before
    # A missing file stays missing: nothing is created.
    with Store.open(tmp_path / "none" / "p.db", read_only=True) as store:
        assert store.read_only and store.all_progress() == {}
    assert not (tmp_path / "none").exists()


@contextmanager
def unwritable(path: Path):
    """Make `path` unwritable: chmod for a normal user, `chattr +i` for root."""
    if os.geteuid() != 0:
        old = mode(path)
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            os.chmod(path, old)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(path)],
                                                    capture_output=True).returncode:
        pytest.skip("running as root without a way to make a file unwritable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_unwritable_file_opens_read_only(tmp_path):
    path = tmp_path / "p.db"
    make_store(path)
    with unwritable(path):
        with Store.open(path) as store:
            assert keys(store) == ["store.read_only"] and store.read_only
            assert store.notices[0].params == {"path": str(path)}
            assert_renders(store)
            assert len(store.attempts()) == 3
            store.record_attempt("ex/a", "passed", 1, "cpu", HASH)  # no exception
            assert len(store.attempts()) == 3
    assert raw(path, "SELECT count(*) FROM attempts") == [(3,)]


def test_unwritable_directory(tmp_path):
    folder = tmp_path / "course"
    make_store(folder / "p.db")
    with unwritable(folder):
        with Store.open(folder / "p.db") as store:  # existing file: read it
            assert keys(store) == ["store.read_only"] and store.read_only
            assert len(store.attempts()) == 3
        with Store.open(folder / "other.db") as store:  # cannot be created: memory
            assert keys(store) == ["store.in_memory"] and store.path is None
            store.record_attempt("ex/a", "passed", 1, "cpu", HASH)
            assert store.progress("ex/a").passed  # works for this session
    assert not (folder / "other.db").exists()


@pytest.mark.parametrize("blocker", ["file_as_parent", "directory_at_path"])
def test_unusable_path_falls_back_to_memory(tmp_path, blocker):
    if blocker == "file_as_parent":
        (tmp_path / "afile").write_text("x")
        path = tmp_path / "afile" / "p.db"
    else:
        path = tmp_path / "p.db"
        path.mkdir()
    with Store.open(path) as store:
        assert keys(store) == ["store.in_memory"] and store.path is None
        assert store.notices[0].params["path"] == str(path) and store.notices[0].level == "error"
        assert_renders(store)
        store.record_attempt("ex/a", "passed", 1, "cpu", HASH)
        store.set_setting("lang", "ja")
        assert store.progress("ex/a").passed and store.get_setting("lang") == "ja"
    if blocker == "file_as_parent":
        assert (tmp_path / "afile").read_text() == "x"
    else:
        assert path.is_dir() and os.listdir(path) == []


# ------------------------------------------------------------- bad files


def _truncated_db(path: Path) -> bytes:
    with Store.open(path) as store:
        for i in range(200):
            store.record_attempt(f"ex/{i % 7}", "failed", 1, "cpu", HASH, {"pad": "x" * 200})
    data = path.read_bytes()
    assert len(data) > 8 * 4096  # several pages, so the cut is mid-tree
    return data[: len(data) // 2]


@pytest.mark.parametrize("kind", ["random_bytes", "truncated_db", "text_file"])
def test_bad_file_is_moved_aside(tmp_path, kind):
    path = tmp_path / "p.db"
    content = {"random_bytes": lambda: os.urandom(20000),
               "truncated_db": lambda: _truncated_db(path),
               "text_file": lambda: "これは進捗ファイルではありません\n".encode() * 50}[kind]()
    path.write_bytes(content)
    with Store.open(path) as store:
        [notice] = store.notices
        assert notice.key == "store.moved_aside" and notice.level == "warn"
        backup = Path(notice.params["backup"])
        assert notice.params["path"] == str(path)
        assert re.fullmatch(r"p\.db\.corrupt-\d{8}-\d{6}", backup.name) and backup.parent == tmp_path
        assert backup.read_bytes() == content  # kept, untouched
        assert_renders(store)
        assert not store.read_only and store.path == path and store.all_progress() == {}
        store.record_attempt("ex/a", "passed", 1, "cpu", HASH)
    assert raw(path, "PRAGMA integrity_check") == [("ok",)]
    with Store.open(path) as store:
        assert store.notices == [] and store.progress("ex/a").passed


def test_moved_aside_takes_side_files_and_picks_a_unique_name(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module.time, "strftime", lambda fmt: "20250102-030405")
    path = tmp_path / "p.db"
    for round_ in range(2):
        path.write_bytes(b"garbage %d" % round_ * 100)
        Path(f"{path}-wal").write_bytes(b"wal %d" % round_)
        Path(f"{path}-shm").write_bytes(b"shm %d" % round_)
        with Store.open(path) as store:
            assert keys(store) == ["store.moved_aside"]
    first, second = tmp_path / "p.db.corrupt-20250102-030405", tmp_path / "p.db.corrupt-20250102-030405-1"
    assert first.read_bytes().startswith(b"garbage 0") and second.read_bytes().startswith(b"garbage 1")
    assert Path(f"{first}-wal").read_bytes() == b"wal 0" and Path(f"{second}-shm").read_bytes() == b"shm 1"


@pytest.mark.parametrize("dangling", [False, True])
def test_symlink_at_path_is_never_written_through(tmp_path, dangling):
    target = tmp_path / "elsewhere" / "important.txt"
    target.parent.mkdir()
    if not dangling:
        target.write_text("precious")
    path = tmp_path / "course" / "p.db"
    path.parent.mkdir()
    path.symlink_to(target)
    with Store.open(path) as store:
        [notice] = store.notices
        assert notice.key == "store.symlink_moved_aside"
        backup = Path(notice.params["backup"])
        assert backup.is_symlink() and os.readlink(backup) == str(target)
        assert_renders(store)
        store.record_attempt("ex/a", "passed", 1, "cpu", HASH)
        assert store.progress("ex/a").passed and not store.read_only
    assert path.is_file() and not path.is_symlink()
    assert os.listdir(target.parent) == ([] if dangling else ["important.txt"])
    if not dangling:
        assert target.read_text() == "precious"


def test_symlinked_side_file_is_moved_aside_too(tmp_path):
    target = tmp_path / "victim"
    target.write_text("precious")
    path = tmp_path / "p.db"
    make_store(path)
    Path(f"{path}-wal").symlink_to(target)
    with Store.open(path) as store:
        assert keys(store) == ["store.symlink_moved_aside"]
        store.record_attempt("ex/a", "passed", 1, "cpu", HASH)
    assert target.read_text() == "precious"


# ------------------------------------------------------------- privacy


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277], ids=oct)  # 0o277 even strips the owner's bits
def test_created_files_are_private_whatever_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        path = tmp_path / "dltutor" / "p.db"
        with Store.open(path) as store:
            store.record_attempt("ex/a", "passed", 1, "cpu", HASH)
            assert mode(path.parent) == 0o700
            assert mode(path) == 0o600
            for suffix in ("-wal", "-shm"):
                assert mode(Path(f"{path}{suffix}")) == 0o600
    finally:
        os.umask(old)


# ------------------------------------------------ real concurrent processes


def _writers(path: Path, mode_: str, workers: int, n: int) -> list[subprocess.Popen]:
    start_at = time.time() + 1.0  # all start together, after the interpreters load
    return [subprocess.Popen([sys.executable, str(WRITER), str(path), mode_, str(w), str(n),
                              str(start_at)], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for w in range(workers)]


def _finish(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert json.loads(out.splitlines()[-1]) == []  # no notices in any writer


def test_concurrent_writers_lose_no_attempt(tmp_path):
    path = tmp_path / "p.db"  # fresh: the writers also race to create it
    _finish(_writers(path, "attempts", workers=4, n=150))
    with Store.open(path) as store:
        assert store.notices == []
        assert len(store.attempts()) == 4 * 150
        assert all(store.progress(f"ex/{w}").attempts == 150 for w in range(4))
        # The writers really ran at the same time: their commits interleave.
        order = [a.exercise for a in store.attempts()]
        assert sum(x != y for x, y in zip(order, order[1:])) > 10
    assert raw(path, "PRAGMA integrity_check") == [("ok",)]


def test_concurrent_hints_and_settings(tmp_path):
    path = tmp_path / "p.db"
    make_store(path, attempts=0)
    _finish(_writers(path, "mixed", workers=3, n=30))
    with Store.open(path) as store:
        assert store.hints_revealed("shared") == 30
        assert raw(path, "SELECT count(*) FROM hints") == [(30,)]  # idempotent across processes
        assert all(store.get_setting(f"w{w}-{i}") == str(i) for w in range(3) for i in range(30))
        assert len(store.attempts()) == 90


def test_kill_9_during_writes_leaves_a_sound_file(tmp_path):
    path = tmp_path / "p.db"
    total = 0
    for round_ in range(3):  # kill at three different moments
        proc = subprocess.Popen([sys.executable, str(WRITER), str(path), "loop"], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        last, goal = 0, 20 + 17 * round_
        for line in proc.stdout:
            last = int(line)
            if last >= goal:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        assert raw(path, "PRAGMA integrity_check") == [("ok",)]
        with Store.open(path) as store:
            assert store.notices == []
            count = len(store.attempts())
        assert total + last <= count <= total + last + 1  # at most the unprinted commit
        total = count


# ------------------------------------------------------------- catalogue


def test_catalogue_has_every_notice_in_both_languages():
    texts = catalogue()
    used = set(re.findall(r'Notice\("(store\.[a-z_]+)"', Path(store_module.__file__).read_text()))
    assert used and used <= set(texts)
    assert {"store.moved_aside", "store.read_only", "store.in_memory", "store.newer_schema"} <= used
    for key, pair in texts.items():
        assert key.startswith("store.") and set(pair) == {"ja", "en"}
        fields = [{f for _, f, _, _ in string.Formatter().parse(pair[lang]) if f} for lang in ("ja", "en")]
        assert fields[0] == fields[1], key
    assert {f for _, f, _, _ in string.Formatter().parse(texts["store.moved_aside"]["ja"]) if f} \
        == {"path", "backup"}


def test_store_imports_no_heavy_modules():
    code = ("import sys, tutor.progress.store; "
            "print([m for m in ('torch', 'numpy', 'textual') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_first_release_file_is_upgraded_in_place_with_nothing_lost(tmp_path):
    """A store written by version 1 (before figures) keeps every row and gains the figures table."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for statement in filter(str.strip, MIGRATIONS[0].split(";")):
        conn.execute(statement)
    conn.execute("INSERT INTO attempts (exercise, at, verdict, duration_s, device, file_hash, detail)"
                 " VALUES ('a/1', 1.0, 'passed', 0.5, 'cpu', 'h', '{}')")
    conn.execute("INSERT INTO hints (exercise, level, at) VALUES ('a/1', 1, 2.0)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.progress("a/1").passed and store.hints_revealed("a/1") == 1 and not store.notices
        assert store.figures("a/1") is None
        store.save_figures("a/1", [{"kind": "line", "id": "loss"}], "h", "cpu")
        store.save_figures("a/1", [{"kind": "line", "id": "loss2"}], "h2", "cpu")  # the last pass replaces it
    assert raw(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)] and SCHEMA_VERSION >= 3  # every later migration ran
    with Store.open(path) as store:
        at, figures = store.figures("a/1")
        assert figures == [{"kind": "line", "id": "loss2"}] and at > 0


def test_the_source_of_a_pass_is_kept_and_the_last_pass_replaces_it(tmp_path):
    """A version-2 store gains `passed_sources`; each exercise keeps the source of its last pass only."""
    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:2]:
        for statement in filter(str.strip, migration.split(";")):
            conn.execute(statement)
    conn.execute("INSERT INTO attempts (exercise, at, verdict, duration_s, device, file_hash, detail)"
                 " VALUES ('a/1', 1.0, 'passed', 0.5, 'cpu', 'h', '{}')")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.progress("a/1").passed and store.passed_source("a/1") is None and not store.notices
        store.save_passed_source("a/1", "x = 1\n", "s1", "cpu", "sha256:c1")
        store.save_passed_source("a/1", "x = 2  # </script>\n", "s2", "cuda:0", "sha256:c2")
    with Store.open(path) as store:
        kept = store.passed_source("a/1")
        assert kept["source"] == "x = 2  # </script>\n" and kept["sha256"] == "s2" and kept["at"] > 0
        assert (kept["device"], kept["course_hash"]) == ("cuda:0", "sha256:c2")
        assert store.passed_source("a/2") is None

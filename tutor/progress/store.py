"""The progress store of one course: attempts, hints, solution reveals, settings.

One SQLite file per course, at a path the caller chooses. The file has to
survive whatever a student's machine does to it, so:

* WAL mode, a busy timeout, and every write one `BEGIN IMMEDIATE` transaction
  retried while another tutor holds the lock: two tutors on one course never
  crash or lose an update, and a killed tutor leaves a consistent file;
* a file that is not a sound database, or a symlink planted at its path, is
  moved aside (never deleted) and a fresh store is created;
* a file that cannot be written is opened read-only, and a path that cannot be
  used at all falls back to an in-memory store. The tutor keeps working and
  `Store.notices` says what happened (texts in `tutor/i18n/locale/store.toml`);
* what it creates is private: directory 0700, files 0600.

The schema version is `PRAGMA user_version`; `MIGRATIONS[i]` upgrades version
i to i + 1. A file written by a newer tutor is opened read-only, never
downgraded.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tutor.i18n import Notice
from tutor.progress.sqlitetx import (CORRUPT, NOTADB, UNWRITABLE, connect, connect_memory, errcode,
                             retry_locked, transaction)
from tutor.progress.storefiles import (BadFile, check_header, create_private_file, ensure_private_dir, group,
                              move_aside)

MIGRATIONS: list[str] = [
    # 0 -> 1, the first release. Every row carries its own time.
    """
    CREATE TABLE attempts (id INTEGER PRIMARY KEY, exercise TEXT NOT NULL,
        at REAL NOT NULL, verdict TEXT NOT NULL, duration_s REAL NOT NULL,
        device TEXT NOT NULL, file_hash TEXT NOT NULL,
        detail TEXT /* JSON text, never pickle */);
    CREATE INDEX attempts_by_exercise ON attempts (exercise, at);
    CREATE TABLE hints (exercise TEXT NOT NULL, level INTEGER NOT NULL,
        at REAL NOT NULL, PRIMARY KEY (exercise, level));
    CREATE TABLE solutions (id INTEGER PRIMARY KEY, exercise TEXT NOT NULL,
        reason TEXT NOT NULL, at REAL NOT NULL);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, at REAL NOT NULL);
    """,
    # 1 -> 2: the figures of each exercise's last passing run, for the report.
    """
    CREATE TABLE figures (exercise TEXT PRIMARY KEY, at REAL NOT NULL,
        file_hash TEXT NOT NULL, device TEXT NOT NULL,
        data TEXT NOT NULL /* JSON list of figures, never pickle */);
    """,
    # 2 -> 3: the exact source of each exercise's last pass, kept at the moment
    # of the pass (the hand-in carries it; the file may change afterwards).
    """
    CREATE TABLE passed_sources (exercise TEXT PRIMARY KEY, at REAL NOT NULL,
        sha256 TEXT NOT NULL, device TEXT NOT NULL, course_hash TEXT NOT NULL,
        source TEXT NOT NULL);
    """,
    # 3 -> 4: an experiment's finished settings (`tutor.progress.studies`), one row per
    # exercise, code hash (the file without its SETTINGS) and setting; rows are never dropped.
    """
    CREATE TABLE study_runs (exercise TEXT NOT NULL, code_hash TEXT NOT NULL,
        setting_key TEXT NOT NULL, at REAL NOT NULL, status TEXT NOT NULL,
        device TEXT NOT NULL, setting TEXT NOT NULL /* JSON */, result TEXT NOT NULL /* JSON */,
        PRIMARY KEY (exercise, code_hash, setting_key));
    """,
]
"""Schema migrations in order: append only, never edit a released one, and
no `;` inside a statement (scripts are split on it)."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this code reads and writes."""

SOLUTION_REASONS = ("passed", "give_up")
"""Why a solution was shown: the student passed, or gave up."""


@dataclass(frozen=True)
class Attempt:
    """One check run of an exercise, as recorded."""

    exercise: str
    at: float
    verdict: str
    duration_s: float
    device: str
    file_hash: str
    detail: dict | None


@dataclass(frozen=True)
class ExerciseProgress:
    """Everything the store knows about one exercise, summarised."""

    exercise: str
    attempts: int = 0
    passed: bool = False
    first_attempt_at: float | None = None
    first_pass_at: float | None = None
    hints_revealed: int = 0
    solution_revealed: bool = False
    solution_reason: str | None = None
    last_verdict: str | None = None
    last_detail: dict | None = None

    @property
    def status(self) -> str:
        """"passed", "attempted" or "not_started"."""
        if self.passed:
            return "passed"
        return "attempted" if self.attempts else "not_started"


class Store:
    """The progress of one course. Build it with `Store.open(path)`.

    Safe to share between threads (calls are serialised by a lock) and
    between processes (SQLite's locking). Usable as a context manager.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None,
                 read_only: bool, notices: list[Notice]) -> None:
        """Wrap an initialised connection; callers use `Store.open`."""
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self.path = path
        self.read_only = read_only
        self.notices = notices
        self.unwritable = False
        """Read-only because the file could not be written (not by choice): retried on each write."""
        self.unsaved: list[tuple[str, tuple]] = []
        """Writes kept in memory while the file cannot be written, saved once it can be."""
        self._retry_at = 0.0
        if read_only:  # belt and braces: SQLite itself refuses writes now
            conn.execute("PRAGMA query_only = ON")

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path | str, read_only: bool = False) -> "Store":
        """Open (or create) the store at `path`; never raises for a bad file.

        With `read_only=True` nothing is created or written. What went wrong
        is in `store.notices`.
        """
        path = Path(path).absolute()
        notices: list[Notice] = []
        try:
            if read_only:
                return cls._open_read_only(path, notices)
            return cls._open_writable(path, notices)
        except (OSError, sqlite3.Error, BadFile) as exc:
            # The last line of defence: the tutor starts whatever happens.
            notices.append(Notice("store.in_memory", "error",
                                  {"path": str(path), "error": str(exc)}))
            return cls._in_memory(notices)

    @classmethod
    def _open_writable(cls, path: Path, notices: list[Notice]) -> "Store":
        ensure_private_dir(path.parent)
        if any(p.is_symlink() for p in group(path)):
            # Writing through a planted link could clobber any file we may
            # write; keep the link for inspection and use a real file.
            backup = move_aside(path)
            notices.append(Notice("store.symlink_moved_aside", "warn",
                                  {"path": str(path), "backup": str(backup)}))
        for second_try in (False, True):
            if not os.path.lexists(path):
                create_private_file(path)
            conn = None
            try:
                check_header(path)
                conn = connect(path, "mode=rw")  # "rw" never creates: we did, safely
                # WAL: readers never block the writer, and a killed process
                # leaves a consistent file. Switching needs a lock: retry.
                retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchall())
                conn.execute("PRAGMA synchronous = FULL")  # commits survive power loss too
                _check_integrity(conn)
                version = _migrate(conn)
            except (sqlite3.DatabaseError, BadFile) as exc:
                if conn is not None:
                    conn.close()
                code = errcode(exc)
                if code in (CORRUPT, NOTADB) and not second_try:
                    backup = move_aside(path)
                    notices.append(Notice("store.moved_aside", "warn",
                                          {"path": str(path), "backup": str(backup)}))
                    continue
                if code not in UNWRITABLE:
                    raise
                store = cls._open_read_only(path, notices)
                store.unwritable = True
                notices.append(Notice("store.read_only", "warn", {"path": str(path)}))
                return store
            if version > SCHEMA_VERSION:
                notices.append(_newer_schema_notice(path, version))
                return cls(conn, path, True, notices)
            for side in group(path)[1:]:  # SQLite gives them the main file's mode; make sure
                if side.is_file() and not side.is_symlink():
                    os.chmod(side, 0o600)
            return cls(conn, path, False, notices)
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def _open_read_only(cls, path: Path, notices: list[Notice]) -> "Store":
        if not path.exists():
            return cls._in_memory(notices, read_only=True)  # nothing to read
        check_header(path)
        # "immutable" still reads a WAL file whose -shm cannot be created (a
        # read-only directory); it may miss an uncheckpointed WAL, but beats
        # showing nothing.
        for params in ("mode=ro", "immutable=1"):
            conn = connect(path, params)
            try:
                _check_integrity(conn)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                break
            except (sqlite3.DatabaseError, BadFile) as exc:
                conn.close()
                error = exc
        else:
            raise error
        if version < SCHEMA_VERSION:
            # An older (or empty) file: read an upgraded copy in memory.
            memory = connect_memory()
            conn.backup(memory)
            conn.close()
            _migrate(memory)
            conn = memory
        elif version > SCHEMA_VERSION:
            notices.append(_newer_schema_notice(path, version))
        return cls(conn, path, True, notices)

    @classmethod
    def _in_memory(cls, notices: list[Notice], read_only: bool = False) -> "Store":
        conn = connect_memory()
        _migrate(conn)
        return cls(conn, None, read_only, notices)

    def close(self) -> None:
        """Close the database; safe to call twice. Writes are ignored after."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----------------------------------------------------------------- writes

    def record_attempt(self, exercise: str, verdict: str, duration_s: float, device: str,
                       file_hash: str, detail: dict | None = None,
                       at: float | None = None) -> bool:
        """Record one check run; `detail` is stored as JSON text. False if it is not saved (yet)."""
        text = None if detail is None else json.dumps(detail, ensure_ascii=False, default=str)
        return self._write("INSERT INTO attempts (exercise, at, verdict, duration_s, device, file_hash,"
                    " detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (exercise, time.time() if at is None else at, verdict, float(duration_s),
                     device, file_hash, text))

    def record_hint(self, exercise: str, level: int) -> None:
        """Record that hint `level` (from 1) was shown; a repeat keeps the first time."""
        if level < 1:
            raise ValueError(f"hint levels start at 1, got {level}")
        self._write("INSERT OR IGNORE INTO hints (exercise, level, at) VALUES (?, ?, ?)",
                    (exercise, level, time.time()))

    def record_solution(self, exercise: str, reason: str) -> None:
        """Record that the solution was shown and why ("passed" or "give_up")."""
        if reason not in SOLUTION_REASONS:
            raise ValueError(f"reason must be one of {SOLUTION_REASONS}, got {reason!r}")
        self._write("INSERT INTO solutions (exercise, reason, at) VALUES (?, ?, ?)",
                    (exercise, reason, time.time()))

    def save_figures(self, exercise: str, figures: list[dict], file_hash: str, device: str) -> None:
        """Keep the figures of a passing run (replacing the previous pass's)."""
        self._write("INSERT OR REPLACE INTO figures (exercise, at, file_hash, device, data) VALUES (?, ?, ?, ?, ?)",
                    (exercise, time.time(), file_hash, device, json.dumps(figures, ensure_ascii=False)))

    def save_passed_source(self, exercise: str, source: str, sha256: str, device: str, course_hash: str) -> None:
        """Keep the source text that just passed (replacing the previous pass's)."""
        self._write("INSERT OR REPLACE INTO passed_sources (exercise, at, sha256, device, course_hash, source)"
                    " VALUES (?, ?, ?, ?, ?, ?)", (exercise, time.time(), sha256, device, course_hash, source))

    def set_setting(self, key: str, value: str) -> None:
        """Store a small setting (language, current exercise, ...)."""
        self._write("INSERT OR REPLACE INTO settings (key, value, at) VALUES (?, ?, ?)",
                    (key, str(value), time.time()))

    def _write(self, sql: str, params: tuple) -> bool:
        """Run one statement in its own write transaction; False if it could not be saved (yet).

        While the file cannot be written (a 0400 `-shm` file left behind, a
        remounted disk) writes are kept in `unsaved` and the file is tried again
        at the next write (at most every RETRY_S); once it can be written they
        are all saved, in order, and a notice says so."""
        with self._lock:
            if self.read_only and self.unwritable and self.path is not None:
                self._recover()
            conn = self._conn
            if self.read_only or conn is None:
                if self.unwritable and len(self.unsaved) < 10000:
                    self.unsaved.append((sql, params))
                return False
            try:
                transaction(conn, lambda: conn.execute(sql, params))
            except sqlite3.DatabaseError as exc:
                if errcode(exc) not in UNWRITABLE:
                    raise
                # The file became unwritable under us (permissions changed,
                # disk remounted): keep the tutor running, and say so.
                self.read_only = self.unwritable = True
                self.unsaved.append((sql, params))
                self._retry_at = time.monotonic() + self.RETRY_S
                self.notices.append(Notice("store.read_only", "warn", {"path": str(self.path)}))
                return False
            return True

    RETRY_S = 2.0
    """How often an unwritable progress file is tried again (at a write)."""

    def _recover(self) -> None:
        """Open the file for writing again if it can be now, and save what was kept meanwhile."""
        if time.monotonic() < self._retry_at:
            return
        self._retry_at = time.monotonic() + self.RETRY_S
        try:
            fresh = Store._open_writable(self.path, [])
        except (OSError, sqlite3.DatabaseError, BadFile):
            return
        if fresh.read_only or fresh._conn is None:
            fresh.close()
            return
        old, self._conn, fresh._conn = self._conn, fresh._conn, None
        if old is not None:
            old.close()
        self.read_only = self.unwritable = False
        pending, self.unsaved = self.unsaved, []
        for sql, params in pending:
            conn = self._conn
            transaction(conn, lambda: conn.execute(sql, params))
        self.notices.append(Notice("store.recovered", "info", {"path": str(self.path), "count": len(pending)}))

    # ------------------------------------------------------------------ reads

    def hints_revealed(self, exercise: str) -> int:
        """The highest hint level shown for `exercise`, 0 if none."""
        return self._read("SELECT MAX(level) FROM hints WHERE exercise = ?", (exercise,))[0][0] or 0

    def solution_revealed(self, exercise: str) -> bool:
        """Whether the solution of `exercise` was ever shown."""
        return bool(self._read("SELECT 1 FROM solutions WHERE exercise = ? LIMIT 1", (exercise,)))

    def attempts(self, exercise: str | None = None) -> list[Attempt]:
        """Recorded attempts, oldest first; of every exercise when `exercise` is None."""
        where, args = _where(exercise)
        rows = self._read("SELECT exercise, at, verdict, duration_s, device, file_hash, detail"
                          f" FROM attempts {where} ORDER BY at, id", args)
        return [Attempt(*row[:6], detail=_load_json(row[6])) for row in rows]

    def progress(self, exercise: str) -> ExerciseProgress:
        """The summary of one exercise (status "not_started" if never touched)."""
        return self._summaries(exercise).get(exercise) or ExerciseProgress(exercise)

    def all_progress(self) -> dict[str, ExerciseProgress]:
        """Summaries of every exercise with any record, by exercise id."""
        return self._summaries(None)

    def figures(self, exercise: str) -> tuple[float, list[dict]] | None:
        """(time, figures as JSON data) of the last passing run that drew any, or None."""
        rows = self._read("SELECT at, data FROM figures WHERE exercise = ?", (exercise,))
        if not rows:
            return None
        data = _load_json(rows[0][1])
        return rows[0][0], data if isinstance(data, list) else []

    def passed_source(self, exercise: str) -> dict | None:
        """{at, sha256, device, course_hash, source} of the last pass, or None."""
        rows = self._read("SELECT at, sha256, device, course_hash, source FROM passed_sources WHERE exercise = ?",
                          (exercise,))
        return dict(zip(("at", "sha256", "device", "course_hash", "source"), rows[0])) if rows else None

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting, or `default`."""
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def _summaries(self, exercise: str | None) -> dict[str, ExerciseProgress]:
        where, args = _where(exercise)
        with self._lock:
            runs: dict[str, list[Attempt]] = defaultdict(list)
            for attempt in self.attempts(exercise):
                runs[attempt.exercise].append(attempt)
            hints = dict(self._read(
                f"SELECT exercise, MAX(level) FROM hints {where} GROUP BY exercise", args))
            # Newest first, so the first reveal is the one left in the dict.
            first_reason = dict(self._read(
                f"SELECT exercise, reason FROM solutions {where} ORDER BY at DESC, id DESC", args))
        summaries = {}
        for name in sorted(set(runs) | set(hints) | set(first_reason)):
            mine = runs.get(name, [])
            passes = [a.at for a in mine if a.verdict == "passed"]
            summaries[name] = ExerciseProgress(
                exercise=name,
                attempts=len(mine),
                passed=bool(passes),
                first_attempt_at=mine[0].at if mine else None,
                first_pass_at=min(passes) if passes else None,
                hints_revealed=hints.get(name, 0),
                solution_revealed=name in first_reason,
                solution_reason=first_reason.get(name),
                last_verdict=mine[-1].verdict if mine else None,
                last_detail=mine[-1].detail if mine else None,
            )
        return summaries

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            conn = self._conn
            if conn is None:
                raise sqlite3.ProgrammingError("the progress store is closed")
            return retry_locked(lambda: conn.execute(sql, params).fetchall())


# -------------------------------------------------------------------- helpers


def _check_integrity(conn: sqlite3.Connection) -> None:
    """Raise unless the file is a sound database (cheap: progress files are small)."""
    if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
        raise BadFile("database disk image is malformed")


def _migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to date in one transaction; return the version after.

    It always writes, to find out now rather than at the student's first
    attempt whether the file is writable. (Taking the write lock does not tell:
    in WAL mode that lock lives in the -shm file.)
    """
    def upgrade() -> int:
        # Read under the lock: another tutor may have just migrated.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for script in MIGRATIONS[version:]:
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
        if version <= SCHEMA_VERSION:  # a newer file is left untouched
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return max(version, SCHEMA_VERSION)

    return transaction(conn, upgrade)


def _newer_schema_notice(path: Path, version: int) -> Notice:
    return Notice("store.newer_schema", "warn",
                  {"path": str(path), "version": version, "supported": SCHEMA_VERSION})


def _where(exercise: str | None) -> tuple[str, tuple]:
    return ("WHERE exercise = ?", (exercise,)) if exercise is not None else ("", ())


def _load_json(text: str | None) -> dict | None:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None  # a damaged detail must not hide the rest of the record

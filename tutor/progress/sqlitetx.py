"""SQLite plumbing for the progress store: connections, and write transactions
retried while another tutor holds the lock (so two tutors never crash or lose
an update).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from tutor.progress.storefiles import BadFile

BUSY_TIMEOUT_S = 10.0  # how long SQLite itself waits for another writer
RETRY_FOR_S = 30.0  # and how long we keep retrying on top of that

# Primary SQLite result codes we act on.
BUSY, LOCKED, READONLY, CANTOPEN = 5, 6, 8, 14
PERM, IOERR, CORRUPT, AUTH, NOTADB = 3, 10, 11, 23, 26
UNWRITABLE = (READONLY, CANTOPEN, PERM, IOERR, AUTH)


def connect(path: Path, params: str) -> sqlite3.Connection:
    """Connect by URI, so that the open mode is explicit."""
    # isolation_level=None: we issue BEGIN/COMMIT ourselves. check_same_thread
    # off: front ends record from worker threads; Store's lock serialises.
    return sqlite3.connect(f"file:{quote(os.fspath(path))}?{params}", uri=True,
                           timeout=BUSY_TIMEOUT_S, isolation_level=None,
                           check_same_thread=False)


def connect_memory() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)


def transaction(conn: sqlite3.Connection, work: Callable[[], Any]) -> Any:
    """Run `work` in one IMMEDIATE transaction, retried while the file is locked."""
    def attempt() -> Any:
        # IMMEDIATE takes the write lock up front, so waiting happens here
        # (under the busy timeout) and never as a deadlock half-way through.
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work()
            conn.execute("COMMIT")
            return result
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    return retry_locked(attempt)


def retry_locked(action: Callable[[], Any]) -> Any:
    """Run `action`, retrying while another process holds the database lock."""
    deadline = time.monotonic() + RETRY_FOR_S
    delay = 0.01
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if errcode(exc) not in (BUSY, LOCKED) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def errcode(exc: BaseException) -> int | None:
    """The primary SQLite result code of an error."""
    if isinstance(exc, BadFile):
        return CORRUPT
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # Python 3.10: only the message tells
        code = BUSY if "locked" in str(exc) else None
    return None if code is None else code & 0xFF  # drop the extended-code bits

"""File-level safety for the progress store: spotting foreign files, moving
bad ones aside with their side files, and creating private folders and files
without following planted links. Split out of `tutor.progress.store` so that module
can stay about the database itself.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


# SQLite's side files belong to the database: they move with it, or a
# moved-aside copy would lose its last commits.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


class BadFile(Exception):
    """The integrity check failed: treated like SQLite's own corruption error."""


def check_header(path: Path) -> None:
    """Raise unless the file is empty or starts like a database.

    Checked before SQLite opens it: closing a connection to a foreign file
    can delete the -wal and -shm that we want to keep with it.
    """
    with open(path, "rb") as fh:
        if fh.read(16) not in (b"", b"SQLite format 3\0"):
            raise BadFile("file is not a database")


def group(path: Path) -> list[Path]:
    """The database file followed by its side files."""
    return [path] + [Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES]


def move_aside(path: Path) -> Path:
    """Rename the file (or link) and its side files to a fresh `<name>.corrupt-<time>`."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup, n = path.with_name(f"{path.name}.corrupt-{stamp}"), 1
    while any(os.path.lexists(p) for p in group(backup)):
        backup, n = path.with_name(f"{path.name}.corrupt-{stamp}-{n}"), n + 1
    # rename() moves a symlink itself, never its target. Side files keep
    # their suffix, so the backup still opens with its last commits.
    for source, target in zip(group(path), group(backup)):
        if os.path.lexists(source):
            os.rename(source, target)
    return backup


def ensure_private_dir(directory: Path) -> None:
    """Create `directory` with mode 0700 if it is missing (OSError if impossible)."""
    if directory.is_dir():
        return  # the student's own directory: leave its mode alone
    try:
        directory.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        if not directory.is_dir():  # a file is in the way
            raise
        return  # another tutor made it just now
    os.chmod(directory, 0o700)  # mkdir's mode is filtered by the umask


def create_private_file(path: Path) -> None:
    """Create an empty 0600 file, refusing to follow a link planted meanwhile."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        return  # another tutor created it first
    try:
        os.fchmod(fd, 0o600)  # independent of the umask
    finally:
        os.close(fd)

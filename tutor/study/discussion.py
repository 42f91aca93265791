"""The discussion (考察) of an experiment: `<exercise>.md` beside the student's file."""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 200_000
"""More than this is not read (a discussion is a page or two, not a book)."""


def read_discussion(path: Path) -> dict:
    """{name, path, exists, utf8, text}: what the checks judge and the report shows (never raises)."""
    out = {"name": path.name, "path": str(path), "exists": False, "utf8": False, "text": ""}
    try:
        if path.is_symlink() or not path.is_file():
            return out
        data = path.read_bytes()[:MAX_BYTES]
    except OSError:
        return out
    out["exists"] = True
    try:
        out["text"] = data.decode("utf-8-sig")
        out["utf8"] = True
    except UnicodeDecodeError:
        pass
    return out

"""Writing a file only its owner can read, whole or not at all, never through a planted link.

A hand-in holds every answer a student wrote, on a server where the workspace
is rightly 0700; so reports are written 0600, through a temporary file with a
random name created with `O_EXCL | O_NOFOLLOW` in the target folder, then
renamed into place. A symlink planted at the target is replaced, not followed
(rename acts on the link itself), and one planted at a guessed temporary name
makes the create fail instead of writing through it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_private(path: Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path` with mode 0600, atomically; return the path."""
    path = Path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(16):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o600)
            break
        except FileExistsError:
            continue  # taken (or planted): draw another name
    else:  # pragma: no cover - 16 collisions of 64 random bits
        raise FileExistsError(f"no free temporary name next to {path}")
    try:
        if hasattr(os, "fchmod"):  # not on Windows, where the mode bits mean little anyway
            os.fchmod(fd, 0o600)  # independent of the umask
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path

"""Watching files for saves, with a polling fallback for network filesystems.

inotify sees no events for files changed on another host, which is what
happens with NFS home directories on university servers; there we poll.
`DLTUTOR_POLL=1` (or `--poll`) forces polling anywhere.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Iterator

import watchfiles

# watchfiles logs Ctrl-C as a warning; the front ends say it themselves.
logging.getLogger("watchfiles.main").setLevel(logging.ERROR)

DEBOUNCE_MS = 300
"""Editors save in several steps (write, rename, chmod); wait for the last one."""
POLL_DELAY_MS = 500

NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "fuse.sshfs", "sshfs", "afs", "lustre", "gpfs", "beegfs", "fuse.gcsfuse", "virtiofs"}


def filesystem_type(path: Path) -> str:
    """The type of the filesystem holding `path` (from /proc/mounts; "" if unknown)."""
    try:
        target = str(Path(path).resolve())
        best, kind = "", ""
        with open("/proc/mounts", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 3:
                    mount = parts[1].replace("\\040", " ")
                    if (target == mount or target.startswith(mount.rstrip("/") + "/")) and len(mount) > len(best):
                        best, kind = mount, parts[2]
        return kind
    except OSError:
        return ""


def needs_polling(path: Path, env: dict[str, str] | None = None) -> bool:
    """True when file events cannot be trusted for `path` (or polling was asked for)."""
    env = os.environ if env is None else env
    if env.get("DLTUTOR_POLL", "").strip() in ("1", "true", "yes"):
        return True
    return filesystem_type(path) in NETWORK_FS


_IGNORED_DIRS = {".backup", "__pycache__", ".git"}
"""Folders in a workspace whose files are never the student's saves (reset's backups, caches)."""


def _snapshot(roots: list[Path]) -> dict[Path, tuple[int, int]]:
    found = {}
    for root in roots:
        for path in ([root] if root.is_file() else root.rglob("*.py")):
            if root.is_dir() and _IGNORED_DIRS.intersection(path.relative_to(root).parts[:-1]):
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            found[path] = (st.st_mtime_ns, st.st_size)
    return found


class Watcher:
    """Saves of `.py` files under some folders, from file events or polling.

    The state of the files is recorded when the watcher is made, so a save
    that lands before the event machinery is running is still seen: on every
    quiet tick the files are compared with that record.
    """

    def __init__(self, paths: list[Path], poll: bool | None = None):
        self.roots = [Path(p) for p in paths]
        self.polling = needs_polling(self.roots[0]) if poll is None else poll
        self._known = _snapshot(self.roots)

    def _changed(self) -> set[Path]:
        now = _snapshot(self.roots)
        changed = {p for p, sig in now.items() if self._known.get(p) != sig}
        self._known = now
        return changed

    def saves(self, stop: threading.Event) -> Iterator[set[Path]]:
        """Yield sets of saved `.py` files until `stop` is set (debounced)."""
        for changes in watchfiles.watch(
            *self.roots, debounce=DEBOUNCE_MS, stop_event=stop, force_polling=self.polling,
            poll_delay_ms=POLL_DELAY_MS, rust_timeout=500, yield_on_timeout=True,
            watch_filter=lambda change, p: p.endswith(".py") and change != watchfiles.Change.deleted,
            raise_interrupt=False,
        ):
            # Events (or a quiet tick) only say "look again"; what counts is
            # what changed on disk since the last look.
            changed = self._changed()
            if changed:
                yield changed


def saves(paths: list[Path], stop: threading.Event, poll: bool | None = None) -> Iterator[set[Path]]:
    """Yield sets of saved `.py` files under `paths` until `stop` is set (debounced)."""
    yield from Watcher(paths, poll).saves(stop)

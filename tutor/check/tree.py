"""A run's process tree, followed while it runs: CPU time, memory and disk totals, and its end.

Per-process limits (RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_CPU) let three processes
each under the memory cap hold three times it, and a wall-clock limit punishes
the student for other people's jobs on a loaded machine. The tutor therefore
reads /proc every `RunTree.EVERY` seconds and sums over every process of the
run:

- CPU time (user + system, threads included): the exercise's budget is CPU
  seconds, so a busy machine slows a run down but does not fail it; a generous
  wall-clock limit stays for sleeps and deadlocks (`tutor.check.runner`).
- resident memory, against the run's memory cap;
- bytes in the run's private folder and in the files it made in /dev/shm.

The tree is the child and everything descended from it, plus orphans that
came to a subreaper (the tutor itself for cold runs, the warm worker for warm
ones) after the run began: a double fork and `setsid` and `exec` with an
empty environment leave no marker, but the orphan still comes to the
subreaper (Linux >= 3.4, unprivileged). Each process is remembered with its
start time, so `kill()` never hits a pid the system gave to someone else.

A tutor killed with `kill -9` cleans nothing up: its check dies by the
parent-death signal (`tutor.check.harness`), but what the check started in a
new session lives on under init. So the tree is also written down (a small
file per run in a private folder, `LEDGER`), rewritten whenever it grows, and
every new run first kills what a dead tutor's ledger lists (`sweep_ledgers`).
Linux only; elsewhere every figure stays 0 and `kill()` does nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import tempfile
import time

_LINUX = sys.platform.startswith("linux")
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
SHM = "/dev/shm"
LEDGER = os.path.join(tempfile.gettempdir(), f"dltutor-{os.geteuid()}-runs") if hasattr(os, "geteuid") else ""
"""The folder of run ledgers: "<tutor pid>-<run id>" files of "pid start" lines (private, 0700)."""
_subreaper_set = False
KNOWN: set[int] = set()
"""Processes the tutor started on purpose (run children, the warm worker): never someone's orphan."""


def known(pid: int, yes: bool = True) -> None:
    """Register (or, with `yes=False`, drop) a process the tutor started itself."""
    (KNOWN.add if yes else KNOWN.discard)(pid)


def become_subreaper() -> bool:
    """Make this process the reaper of its descendants' orphans (PR_SET_CHILD_SUBREAPER); True if so."""
    global _subreaper_set
    if _subreaper_set:
        return True
    if not _LINUX:
        return False
    try:
        _subreaper_set = ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
    return _subreaper_set


def _stat(pid: int) -> tuple[int, str, int, int, int, int] | None:
    """(ppid, state, cpu ticks, start time, rss pages, session) of a process, or None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    tail = data.rpartition(b")")[2].split()
    try:
        # fields after "(comm)": state=0 ppid=1 ... utime=11 stime=12 ... starttime=19 vsize=20 rss=21
        return (int(tail[1]), tail[0].decode(), int(tail[11]) + int(tail[12]), int(tail[19]), int(tail[21]),
                int(tail[3]))
    except (IndexError, ValueError):
        return None


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm", "rb") as fh:
            return fh.read().decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _boot_ticks_now() -> int:
    """Now, in the clock ticks since boot that /proc/<pid>/stat's start time uses."""
    try:
        with open("/proc/uptime") as fh:
            return int(float(fh.read().split()[0]) * _TICK)
    except (OSError, ValueError, IndexError):
        return 0


class RunTree:
    """Every process of one run, with the run's CPU, memory and disk totals."""

    EVERY = 0.2
    """Seconds between two reads of /proc (each read is one pass over it)."""

    def __init__(self, root: int, reaper: int | None = None, name: str = "", workdir: str = ""):
        self.root = root
        self.reaper = reaper if reaper is not None else os.getpid()
        self.name = name  # the run's process name: a concurrent run's orphans have another dlt name
        self.workdir = workdir
        self.since = max(0, _boot_ticks_now() - _TICK)  # a second of slack for the clocks' rounding
        self.seen: dict[int, tuple[int, int]] = {}  # pid -> (start time, last cpu ticks)
        self.rss_bytes = 0
        self.peak_rss_bytes = 0
        self.disk_bytes = 0
        self.next_at = 0.0
        self.shm_before = _shm_names()
        self.ledger = ""
        self.written = 0

    @property
    def cpu_s(self) -> float:
        """CPU seconds used by every process of the run seen so far (the exited ones included)."""
        return sum(ticks for _, ticks in self.seen.values()) / _TICK

    def due(self, now: float) -> bool:
        """True if it is time for another read of /proc."""
        if now < self.next_at:
            return False
        self.next_at = now + self.EVERY
        return True

    def update(self) -> None:
        """Read /proc once: find the tree's processes and their totals now."""
        if not _LINUX:
            return
        table: dict[int, tuple[int, str, int, int, int, int]] = {}
        uid = os.geteuid()
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            pid = int(entry)
            if uid != 0:
                try:
                    if os.stat(f"/proc/{entry}").st_uid != uid:
                        continue
                except OSError:
                    continue
            st = _stat(pid)
            if st is not None:
                table[pid] = st
        children: dict[int, list[int]] = {}
        for pid, st in table.items():
            children.setdefault(st[0], []).append(pid)
        reaper = table.get(self.reaper)
        roots = [self.root] + [p for p in children.get(self.reaper, [])
                               if p != self.root and self._adopted(p, table[p], reaper)]
        rss = 0
        stack = [p for p in roots if p in table]
        found: set[int] = set()
        while stack:
            pid = stack.pop()
            if pid in found:
                continue
            found.add(pid)
            ppid, state, ticks, start, pages, _ = table[pid]
            old = self.seen.get(pid)
            if old is None or old[0] == start:
                self.seen[pid] = (start, max(ticks, old[1] if old else 0))
            if state not in ("Z", "X"):
                rss += pages * _PAGE
            stack.extend(children.get(pid, []))
        if len(self.seen) != self.written:
            self._write_ledger()
        self.rss_bytes = rss
        self.peak_rss_bytes = max(self.peak_rss_bytes, rss)
        self.disk_bytes = _size(self.workdir) + sum(_size(os.path.join(SHM, n)) for n in self.new_shm())

    def pss_bytes(self) -> int:
        """Proportional memory of the live tree (shared and copy-on-write pages split between
        their sharers): slower to read than RSS, so asked only when the RSS sum is over a cap."""
        total = 0
        for pid, (start, _) in list(self.seen.items()):
            if not _alive(pid, start):
                continue
            try:
                with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                    for line in fh:
                        if line.startswith(b"Pss:"):
                            total += int(line.split()[1]) * 1024
                            break
            except (OSError, ValueError, IndexError):
                pass
        return total

    def _write_ledger(self) -> None:
        """Write down every process seen, for the sweep after a `kill -9` of this tutor."""
        if not LEDGER or not self.name:
            return
        try:
            os.makedirs(LEDGER, mode=0o700, exist_ok=True)
            st = os.lstat(LEDGER)
            if not os.path.isdir(LEDGER) or os.path.islink(LEDGER) or st.st_uid != os.geteuid():
                return  # someone else's folder, or a planted link: keep no ledger rather than trust it
            self.ledger = os.path.join(LEDGER, f"{os.getpid()}-{self.name}")
            tmp = f"{self.ledger}.{os.getpid()}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write("".join(f"{pid} {start}\n" for pid, (start, _) in self.seen.items()))
            os.replace(tmp, self.ledger)
            self.written = len(self.seen)
        except OSError:
            pass

    def forget(self) -> None:
        """The run is over and its processes are gone: drop its ledger."""
        if self.ledger:
            try:
                os.unlink(self.ledger)
            except OSError:
                pass

    def _adopted(self, pid: int, st: tuple[int, str, int, int, int, int],
                 reaper: tuple[int, str, int, int, int, int] | None) -> bool:
        """An orphan the subreaper got during this run that is no other run's (nor the tutor's own)."""
        if pid in self.seen:
            return self.seen[pid][0] == st[3]
        if st[3] < self.since or pid in KNOWN or (reaper is not None and st[5] == reaper[5]):
            return False  # older than the run, started on purpose, or in the tutor's own session (an editor)
        comm = _comm(pid)
        if comm.startswith("dlt") and comm != self.name:
            return False  # another run's process (a run names its processes dlt<id>)
        # A fresh fork of the warm worker that has not named itself yet is another run's child.
        return self.reaper == os.getpid() or comm != _comm(self.reaper)

    def new_shm(self) -> list[str]:
        """Names in /dev/shm that this user made since the run began."""
        uid = os.geteuid()
        out = []
        for name in _shm_names() - self.shm_before:
            try:
                if os.lstat(os.path.join(SHM, name)).st_uid == uid:
                    out.append(name)
            except OSError:
                pass
        return out

    def kill(self, within: float = 1.0) -> int:
        """SIGKILL every process of the tree that still runs (after a last look); returns how many."""
        if not _LINUX:
            return 0
        killed = 0
        for _ in range(3):  # a process may fork between the look and the kill
            self.update()
            live = [pid for pid, (start, _) in self.seen.items() if _alive(pid, start)]
            if not live:
                break
            for pid in live:
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
                except OSError:
                    pass
        deadline = time.monotonic() + within
        for pid, (start, _) in self.seen.items():
            while _alive(pid, start) and time.monotonic() < deadline:
                _reap(pid)
                time.sleep(0.005)
            _reap(pid)
        return killed

    def remove_shm(self) -> int:
        """Remove the files the run left in /dev/shm; returns how many."""
        removed = 0
        for name in self.new_shm():
            try:
                os.unlink(os.path.join(SHM, name))
                removed += 1
            except OSError:
                pass
        return removed


def sweep_ledgers() -> int:
    """Kill what the runs of tutors that are gone left behind (after `kill -9`); returns how many."""
    if not _LINUX or not LEDGER or not os.path.isdir(LEDGER) or os.path.islink(LEDGER):
        return 0
    killed = 0
    for name in os.listdir(LEDGER):
        owner = name.split("-", 1)[0]
        if not owner.isdigit() or name.endswith(".tmp") or os.path.exists(f"/proc/{owner}"):
            continue
        path = os.path.join(LEDGER, name)
        try:
            with open(path) as fh:
                entries = [tuple(int(x) for x in line.split()) for line in fh if line.strip()]
        except (OSError, ValueError):
            entries = []
        for pid, start in entries:
            if _alive(pid, start):
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
                except OSError:
                    pass
        try:
            os.unlink(path)
        except OSError:
            pass
    return killed


def _alive(pid: int, start: int) -> bool:
    st = _stat(pid)
    return st is not None and st[3] == start and st[1] not in ("Z", "X")


def _reap(pid: int) -> None:
    """Collect an adopted orphan's exit (it is our child once we are its subreaper)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except (ChildProcessError, OSError):
        pass


def _shm_names() -> set[str]:
    try:
        return set(os.listdir(SHM))
    except OSError:
        return set()


def _size(path: str, budget: int = 10000) -> int:
    """Bytes allocated under `path` (a file or a folder, links not followed; at most `budget` entries)."""
    if not path:
        return 0
    try:
        st = os.lstat(path)
    except OSError:
        return 0
    if not os.path.isdir(path) or os.path.islink(path):
        return st.st_blocks * 512
    total = 0
    for top, dirs, files in os.walk(path):
        for name in files + dirs:
            budget -= 1
            if budget < 0:
                return total
            try:
                total += os.lstat(os.path.join(top, name)).st_blocks * 512
            except OSError:
                pass
    return total

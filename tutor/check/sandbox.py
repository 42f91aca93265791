"""Keeping one check run's processes together: a task cap, and finding what escaped.

Student code may fork in a loop, start `sleep 1000`, or daemonise (fork,
`setsid`, fork again). None of that may hurt the tutor, the student's other
shells or the next check, and nothing may outlive the run. Three layers, each
best-effort and each Linux-only (elsewhere only the process group is killed):

1. A pids cgroup made for the run (`TaskCap`): it caps the number of tasks
   (processes and threads) and lists every member, whatever it did to its
   session or environment, so all of them can be killed at the end. Needs a
   writable cgroup: root with cgroup v1 (or v2 with the pids controller
   enabled), or a delegated systemd subtree. Without one, the other layers
   still apply.
2. `RLIMIT_NPROC`, set in the child (`limit_tasks`) when it runs as a normal
   user: the user's current task count plus a margin. The kernel does not
   enforce it for root, which is why layer 1 exists.
3. Markers (`marked_pids`, `kill_strays`): every process of a run has
   `DLTUTOR_RUN_ID=<id>` in its environment (inherited through exec), and
   from the harness on the process name `dlt<id>` (inherited through fork
   without exec: a warm child's descendants still show the warm worker's
   environment in /proc, so the environment alone would miss them).

A student who clears the environment *and* execs in a new session escapes
layer 3; only layer 1 catches that.

Also here: `MemoryWatch`, the memory cap of runs that cannot have an
address-space limit (CUDA runs).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

MAX_TASKS = 256 + 4 * (os.cpu_count() or 1)
"""Tasks (processes and threads) one run may have. torch starts about one thread
per core, DataLoader workers more; a fork loop stops here."""

MARKER_VAR = "DLTUTOR_RUN_ID"
"""The environment variable that marks every process of a run."""

STALE_S = 3600.0
"""A run's cgroup older than this is left over whoever made it: no run lasts this long."""
ORPHAN_AGE_S = 60.0
"""A run's cgroup whose tutor is gone is left over once this old (a margin against a
tutor whose pid this process cannot see, in another pid namespace)."""
SWEEP_EVERY_S = 60.0
"""How often a tutor looks for left-over run cgroups (when it makes one)."""

_LINUX = sys.platform.startswith("linux")
_last_sweep = float("-inf")


def process_name(run_id: str) -> str:
    """The name (`comm`, at most 15 bytes) the harness gives the processes of a run."""
    return f"dlt{run_id}"[:15]


def name_process(run_id: str) -> None:
    """Give this process the run's name; children forked later inherit it."""
    if not _LINUX or not run_id:
        return
    try:
        with open("/proc/self/comm", "w") as fh:
            fh.write(process_name(run_id))
    except OSError:
        pass


# ---------------------------------------------------------------------------
# finding and killing a run's processes by marker


def _stat(pid: str) -> tuple[str, str] | None:
    """(name, state) of a process from /proc/<pid>/stat."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    head, _, tail = data.rpartition(b")")
    return head.partition(b"(")[2].decode("utf-8", "replace"), tail.split(maxsplit=1)[0].decode() if tail else "?"


def marked_pids(run_id: str) -> list[int]:
    """Live processes (zombies excluded) that carry the run's marker in name or environment."""
    if not _LINUX:
        return []
    marker = f"{MARKER_VAR}={run_id}".encode()
    name = process_name(run_id)
    uid = os.geteuid()
    me = os.getpid()
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            # Others' processes cannot be ours; a normal user could not read them anyway.
            if uid != 0 and os.stat(f"/proc/{entry}").st_uid != uid:
                continue
        except OSError:
            continue
        stat = _stat(entry)
        if stat is None or stat[1] in ("Z", "X"):
            continue
        if stat[0] != name:
            try:
                with open(f"/proc/{entry}/environ", "rb") as fh:
                    if marker not in fh.read().split(b"\0"):
                        continue
            except OSError:
                continue
        found.append(int(entry))
    return found


def kill_strays(run_id: str, passes: int = 5, within: float = 1.0) -> int:
    """SIGKILL every live process marked with `run_id`; returns how many were killed.

    Several passes, because a process may fork between the scan and the kill;
    then a short wait, because SIGKILL is delivered asynchronously and "gone
    when the verdict arrives" should be literally true.
    """
    killed: list[int] = []
    for _ in range(passes):
        pids = marked_pids(run_id)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except OSError:
                pass
    deadline = time.monotonic() + within
    for pid in killed:
        while time.monotonic() < deadline:
            stat = _stat(str(pid))
            if stat is None or stat[1] in ("Z", "X"):
                break
            time.sleep(0.002)
    return len(killed)


# ---------------------------------------------------------------------------
# the per-run pids cgroup


def _mounts() -> list[tuple[str, str, str, str]]:
    """(mount point, root, fstype, super options) of the cgroup mounts."""
    out = []
    try:
        with open("/proc/self/mountinfo") as fh:
            for line in fh:
                left, _, right = line.partition(" - ")
                fields, rfields = left.split(), right.split()
                if len(fields) >= 5 and len(rfields) >= 3 and rfields[0] in ("cgroup", "cgroup2"):
                    out.append((fields[4], fields[3], rfields[0], rfields[2]))
    except OSError:
        pass
    return out


def _own_cgroups() -> dict[str, str]:
    """This process's cgroup path per hierarchy: {"pids": "/a/b", "": "/c"} ("" is v2)."""
    out = {}
    try:
        with open("/proc/self/cgroup") as fh:
            for line in fh:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                for name in controllers.split(","):
                    out[name] = path
    except (OSError, ValueError):
        pass
    return out


def _under(mount: str, root: str, path: str) -> Path:
    rel = path[len(root):] if root != "/" and path.startswith(root) else path
    return Path(mount) / rel.lstrip("/")


def _parents() -> list[Path]:
    """Folders in which a run's pids cgroup may be made, best first."""
    own = _own_cgroups()
    parents = []
    for mount, root, fstype, options in _mounts():
        if fstype == "cgroup" and "pids" in options.split(",") and "pids" in own:
            parents.append(_under(mount, root, own["pids"]))
        elif fstype == "cgroup2" and "" in own:
            # v2 allows controllers only in cgroups without processes of their own:
            # the root (containers), or the parent of a delegated leaf (systemd user
            # services). Not exercised on the machine these tests were written on.
            here = _under(mount, root, own[""])
            parents.extend([here, here.parent] if here != Path(mount) else [here])
    return parents


def _controls_pids(parent: Path) -> bool:
    if (parent / "pids.max").exists() or (parent / "tasks").exists():  # v1 (its root has no pids.max)
        return True
    try:
        return "pids" in (parent / "cgroup.subtree_control").read_text().split()
    except OSError:
        return False


def _sweep(parent: Path) -> None:
    """Clean up run cgroups left by a tutor that was killed (kill -9, power cut): their processes first.

    A run's cgroup is named after the tutor that made it; it is left over if
    that tutor is gone, or if it is older than any run can be.
    """
    prefix = f"dltutor-{os.geteuid()}-"
    try:
        entries = list(parent.iterdir())
    except OSError:
        return
    for path in entries:
        if not path.name.startswith(prefix):
            continue
        owner = path.name[len(prefix):].split("-", 1)[0]
        try:
            age = time.time() - path.stat().st_mtime
            orphaned = owner.isdigit() and int(owner) != os.getpid() and not os.path.exists(f"/proc/{owner}")
            if (orphaned and age > ORPHAN_AGE_S) or age > STALE_S:
                TaskCap(path).close()
        except OSError:
            pass


class TaskCap:
    """A pids cgroup for one run: caps its tasks and knows every process in it."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def create(cls, run_id: str, max_tasks: int | None = None) -> "TaskCap | None":
        """Make the run's cgroup with a task cap, or None where no cgroup can be made."""
        global _last_sweep
        if not _LINUX:
            return None
        for parent in _parents():
            if not _controls_pids(parent):
                continue
            if time.monotonic() - _last_sweep > SWEEP_EVERY_S:
                _last_sweep = time.monotonic()
                _sweep(parent)
            path = parent / f"dltutor-{os.geteuid()}-{os.getpid()}-{run_id}"
            try:
                path.mkdir()
            except OSError:
                continue
            cap = cls(path)
            try:
                (path / "pids.max").write_text(str(max_tasks or MAX_TASKS))
                return cap
            except OSError:
                cap.remove()
        return None

    def add(self, pid: int) -> bool:
        """Move `pid` (all its threads) into the cgroup; False if that is not allowed."""
        try:
            (self.path / "cgroup.procs").write_text(str(pid))
            return True
        except OSError:
            return False

    def pids(self) -> list[int]:
        """The processes in the cgroup now."""
        try:
            return [int(x) for x in (self.path / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return []

    def kill_all(self, within: float = 2.0) -> int:
        """SIGKILL every member until none is left (or `within` seconds pass); returns kills."""
        killed = 0
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
                except OSError:
                    pass
            time.sleep(0.005)
        return killed

    def remove(self, within: float = 1.0) -> bool:
        """Remove the (empty) cgroup; a member that has not quite exited yet gets a moment."""
        deadline = time.monotonic() + within
        while True:
            try:
                self.path.rmdir()
                return True
            except FileNotFoundError:
                return True
            except OSError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.01)

    def close(self) -> int:
        """Kill every member and remove the cgroup; returns how many were killed."""
        killed = self.kill_all()
        self.remove()
        return killed


def cap_available() -> bool:
    """True if a run's task count can be capped here (cgroup, or RLIMIT_NPROC for a normal user)."""
    if not _LINUX:
        return False
    if os.geteuid() != 0:
        return True
    probe = TaskCap.create(f"probe{os.getpid()}", 8)
    if probe is None:
        return False
    probe.remove()
    return True


# ---------------------------------------------------------------------------
# memory where no address-space limit can be set


class MemoryWatch:
    """The child's resident memory against a cap, where no address-space limit could be set.

    CUDA runs cannot have RLIMIT_AS (it breaks `import torch`), so the tutor
    reads /proc/<pid>/statm every `every` seconds and stops the child once it holds
    more than `memory_mb` above what it held when ready (torch included).
    Linux only; a burst faster than the poll can still reach the system's own
    OOM killer, which ends as a crash with SIGKILL ("may have run out of memory").
    """

    _PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __init__(self, pid: int, every: float = 0.05):
        self.pid = pid
        self.every = every
        self.cap = 0
        self.next_at = 0.0

    def rss(self) -> int:
        """Resident bytes of the child now (0 if unknown)."""
        try:
            with open(f"/proc/{self.pid}/statm", "rb") as fh:
                return int(fh.read().split()[1]) * self._PAGE
        except (OSError, ValueError, IndexError):
            return 0

    def start(self, memory_mb: int) -> None:
        """Begin watching: the cap is the memory held now plus `memory_mb`."""
        base = self.rss()
        if base:
            self.cap = base + (memory_mb << 20)

    def exceeded(self, now: float) -> bool:
        """True if the child is over the cap (read at most every `every` seconds)."""
        if not self.cap or now < self.next_at:
            return False
        self.next_at = now + self.every
        return self.rss() > self.cap


# ---------------------------------------------------------------------------
# the child's side: RLIMIT_NPROC for normal users


def user_tasks(uid: int) -> int:
    """How many tasks (threads included, as RLIMIT_NPROC counts them) `uid` has now."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                count += len(os.listdir(f"/proc/{entry}/task"))
        except OSError:
            pass
    return count


def limit_tasks(max_tasks: int) -> int | None:
    """Cap new tasks with RLIMIT_NPROC (current count + `max_tasks`); the cap set, or None.

    Only for a normal user on Linux: root ignores the limit. The count is of
    the whole account, so the student's other shells keep working: their own
    limit is unchanged, only this process tree cannot grow past the cap.
    """
    if not _LINUX or resource is None or not max_tasks or os.geteuid() == 0:
        return None
    cap = user_tasks(os.getuid()) + max_tasks
    _, hard = resource.getrlimit(resource.RLIMIT_NPROC)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))
    except (OSError, ValueError):
        return None
    return cap

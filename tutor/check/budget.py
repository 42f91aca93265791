"""The limits of one run that are read from its process tree after "ready": CPU budget, memory, disk.

`tutor.check.runner` asks `Budget.over()` on every poll; the figures
(CPU seconds, wall seconds, peak memory, disk) go into the `RawRun` and from
there into the verdict, so a timeout says which limit it hit and how much of
each the run used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.check.tree import RunTree

if TYPE_CHECKING:
    from tutor.check.runner import Job, RawRun

DISK_FACTOR = 2
"""The run's files together (its folder and its /dev/shm files) may hold DISK_FACTOR x
the per-file limit; more ends the run with a file-limit verdict."""


class Budget:
    """The run's CPU budget, tree memory and disk totals, read from its `RunTree` after "ready"."""

    def __init__(self, tree: RunTree | None, job: "Job"):
        self.tree, self.job = tree, job
        self.ready_at: float | None = None
        self.cpu0 = 0.0
        self.rss_cap = 0

    def start(self, now: float) -> None:
        """The exercise's clock starts: CPU and memory are counted from here."""
        self.ready_at = now
        if self.tree is not None:
            self.tree.update()
            self.cpu0 = self.tree.cpu_s
            if self.job.memory_mb:
                self.rss_cap = self.tree.rss_bytes + (self.job.memory_mb << 20)

    def over(self, now: float, raw: "RawRun") -> str:
        """"cpu", "memory" or "disk" if the run went over that limit now, else ""."""
        if self.tree is None or self.ready_at is None or not self.tree.due(now):
            return ""
        self.tree.update()
        self.settle(now, raw, update=False)
        if raw.cpu_s > self.job.timeout_s:
            return "cpu"
        # RSS counts a forked child's copy-on-write pages again; PSS settles it when it matters.
        if self.rss_cap and self.tree.rss_bytes > self.rss_cap and self.tree.pss_bytes() > self.rss_cap:
            return "memory"
        if self.job.file_mb and self.tree.disk_bytes > (self.job.file_mb * DISK_FACTOR) << 20:
            return "disk"
        return ""

    def settle(self, now: float, raw: "RawRun", update: bool = True) -> None:
        """Write the figures so far into `raw` (CPU, wall, peak memory, disk)."""
        if self.ready_at is None:
            return
        raw.wall_s = now - self.ready_at
        if self.tree is None:
            return
        if update:
            self.tree.update()
        raw.cpu_s = max(0.0, self.tree.cpu_s - self.cpu0)
        raw.peak_rss_mb = self.tree.peak_rss_bytes / 1048576
        raw.disk_mb = max(raw.disk_mb, self.tree.disk_bytes / 1048576)

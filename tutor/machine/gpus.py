"""Which GPUs this machine has, how full they are, and where a check should run.

On a shared server a class of students shares a few GPUs, so the tutor looks
before it runs: `read_gpus` asks `nvidia-smi` (no CUDA context is created,
nothing stays on the card) for each GPU's name, free and total memory, and
the number of processes on it, then keeps the GPUs that `CUDA_VISIBLE_DEVICES`
lets this user see. `place` turns the student's `--device` choice into the
device of one run; for `auto` it picks the GPU with the most free memory and
runs the check with `CUDA_VISIBLE_DEVICES` set to that card's UUID, so the
check touches that card alone whatever the device numbering.

Tests and demos replace `nvidia-smi` with `DLTUTOR_FAKE_GPUS`: a JSON list
(or a path to a file holding one) of {"name", "free_mib", "total_mib",
"processes", "uuid"}, or {"error": "..."} to play a failing `nvidia-smi`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

FAKE_VAR = "DLTUTOR_FAKE_GPUS"
DEVICES = ("default", "cpu", "cuda", "auto")
"""`--device` choices (and "cuda:N"): "default" runs ordinary exercises on the CPU
and GPU exercises as "auto" (see `place`)."""
MIN_FREE = 256 << 20
"""Below this much free memory a card is treated as full: `auto` runs on the CPU instead."""


@dataclass(frozen=True)
class GpuInfo:
    """One physical GPU as `nvidia-smi` numbers it; memory in bytes."""

    index: int
    uuid: str
    name: str
    free: int
    total: int
    processes: int | None = None
    """Compute processes on the card, None where they cannot be read."""


@dataclass
class GpuReading:
    """The GPUs this process may use, in the order CUDA would number them."""

    gpus: list[GpuInfo] = field(default_factory=list)
    source: str = "none"
    """"nvidia-smi", "fake" or "none" (no tool, or it failed: see `error`)."""
    visible: str | None = None
    """The value of CUDA_VISIBLE_DEVICES, None when unset."""
    hidden: int = 0
    """GPUs the machine has that CUDA_VISIBLE_DEVICES hides."""
    error: str = ""

    def best(self) -> GpuInfo | None:
        """The visible GPU with the most free memory (ties: the lower number)."""
        return max(self.gpus, key=lambda g: (g.free, -g.index)) if self.gpus else None


@dataclass(frozen=True)
class Placement:
    """Where one run goes: the device the check sees, and the card behind it."""

    device: str
    visible: str | None = None
    """CUDA_VISIBLE_DEVICES for the run (the chosen card's UUID), None to inherit."""
    gpu: GpuInfo | None = None
    reason: str = ""
    """Why: "asked", "most_free", "all_full", "no_reading", "default_cpu"."""

    def describe(self, device: str) -> str:
        """The device as the verdict shows it, e.g. "cuda (GPU 2, NVIDIA A100)"."""
        if self.gpu is not None and device.startswith("cuda"):
            return f"{device} (GPU {self.gpu.index}, {self.gpu.name})"
        return device


def read_gpus(environ: dict | None = None, timeout_s: float = 10.0) -> GpuReading:
    """Read the GPUs (fake, or `nvidia-smi`), then apply CUDA_VISIBLE_DEVICES."""
    environ = os.environ if environ is None else environ
    visible = environ.get("CUDA_VISIBLE_DEVICES")
    fake = environ.get(FAKE_VAR)
    if fake:
        reading = _read_fake(fake)
    else:
        reading = _read_nvidia_smi(timeout_s)
    reading.visible = visible
    if visible is not None and reading.gpus:
        chosen = visible_subset(reading.gpus, visible)
        reading.hidden = len(reading.gpus) - len(chosen)
        reading.gpus = chosen
    return reading


def visible_subset(gpus: list[GpuInfo], visible: str) -> list[GpuInfo]:
    """The GPUs CUDA_VISIBLE_DEVICES names, in its order.

    As CUDA reads it: a comma-separated list of numbers or UUIDs (a unique
    prefix such as "GPU-8f2a" is enough); the first entry that names no GPU
    ends the list, so "" and "-1" hide every GPU.
    """
    out: list[GpuInfo] = []
    for entry in (e.strip() for e in visible.split(",")):
        match = None
        if entry.isdigit():
            match = next((g for g in gpus if g.index == int(entry)), None)
        elif entry.startswith("GPU-"):
            found = [g for g in gpus if g.uuid.startswith(entry)]
            match = found[0] if len(found) == 1 else None
        if match is None or match in out:
            break
        out.append(match)
    return out


def place(requested: str | None, wants_gpu: bool = False, reader=read_gpus) -> Placement:
    """Decide the device of one run.

    requested: "cpu", "cuda", "cuda:N", "auto", or None for the default: the
    CPU for ordinary exercises (a class should not fill shared GPUs with tiny
    tensors), `auto` for exercises marked `gpu = true`.
    """
    if requested is None:
        requested = "auto" if wants_gpu else "cpu"
        if requested == "cpu":
            return Placement("cpu", reason="default_cpu")
    if requested != "auto":
        return Placement(requested, reason="asked")
    reading = reader()
    best = reading.best()
    if best is None:
        # No reading (no nvidia-smi): let the child decide, CUDA if it has it.
        if reading.source == "none":
            return Placement("auto", reason="no_reading")
        return Placement("cpu", reason="no_gpu")
    if best.free < MIN_FREE:
        return Placement("cpu", gpu=best, reason="all_full")
    # "auto" in the child: that card (its only one) if torch can use CUDA, else
    # the CPU, so a CPU-only torch next to a GPU still checks correctly.
    return Placement("auto", visible=best.uuid or str(best.index), gpu=best, reason="most_free")


class CachedReader:
    """`read_gpus`, remembered for `ttl_s` seconds (a reading costs one `nvidia-smi` run)."""

    def __init__(self, ttl_s: float = 5.0, reader=None):
        self.ttl_s = ttl_s
        self._reader = reader or read_gpus
        self._at = -1e9
        self._value: GpuReading | None = None

    def __call__(self) -> GpuReading:
        """The last reading if fresh, else a new one."""
        now = time.monotonic()
        if self._value is None or now - self._at > self.ttl_s:
            self._value, self._at = self._reader(), now
        return self._value


def parse_device(text: str) -> str:
    """Validate a `--device` value: default, cpu, cuda, cuda:N or auto."""
    if text in DEVICES or (text.startswith("cuda:") and text[5:].isdigit()):
        return text
    raise ValueError(text)


# ------------------------------------------------------------------ sources


def _read_fake(spec: str) -> GpuReading:
    try:
        text = Path(spec).read_text(encoding="utf-8") if not spec.lstrip().startswith(("[", "{")) else spec
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        return GpuReading(source="none", error=f"{FAKE_VAR}: {exc}")
    if isinstance(data, dict):
        return GpuReading(source="none", error=str(data.get("error", "failed")))
    gpus = []
    for i, g in enumerate(data):
        gpus.append(GpuInfo(index=int(g.get("index", i)), uuid=str(g.get("uuid", f"GPU-fake-{i:04d}")),
                            name=str(g.get("name", "Fake GPU")), free=int(g.get("free_mib", 0)) << 20,
                            total=int(g.get("total_mib", 0)) << 20, processes=g.get("processes")))
    return GpuReading(gpus=gpus, source="fake")


def _read_nvidia_smi(timeout_s: float) -> GpuReading:
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return GpuReading(source="none", error="nvidia-smi not found")
    try:
        gpus_out = _run(exe, "--query-gpu=index,uuid,name,memory.free,memory.total", timeout_s)
        apps_out = _run(exe, "--query-compute-apps=gpu_uuid,pid", timeout_s)
    except (OSError, subprocess.SubprocessError) as exc:
        return GpuReading(source="none", error=f"nvidia-smi: {exc}")
    counts: dict[str, int] | None = {}
    for line in apps_out.splitlines():
        uuid = line.split(",")[0].strip()
        if uuid:
            counts[uuid] = counts.get(uuid, 0) + 1
    if "Not Supported" in apps_out or "Insufficient" in apps_out:
        counts = None
    gpus = []
    for line in gpus_out.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 5 or not parts[0].isdigit():
            continue
        try:
            free, total = int(float(parts[3])) << 20, int(float(parts[4])) << 20
        except ValueError:  # "[N/A]" on some cards
            free = total = 0
        gpus.append(GpuInfo(index=int(parts[0]), uuid=parts[1], name=parts[2], free=free, total=total,
                            processes=None if counts is None else counts.get(parts[1], 0)))
    return GpuReading(gpus=gpus, source="nvidia-smi")


def _run(exe: str, query: str, timeout_s: float) -> str:
    done = subprocess.run([exe, query, "--format=csv,noheader,nounits"], capture_output=True, text=True,
                          timeout=timeout_s, stdin=subprocess.DEVNULL, check=True)
    return done.stdout

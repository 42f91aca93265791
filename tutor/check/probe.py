"""Asking a child Python about torch and the GPUs, so the tutor's process never touches CUDA.

Initialising CUDA in the tutor would pin GPU memory for as long as the tutor
runs and would break forking a warm worker later; a short-lived child pays
that cost and exits.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field

from tutor.check.runner import python_executable

_SCRIPT = r"""
import json, sys
info = {"python": sys.version.split()[0], "executable": sys.executable}
try:
    import torch
    info["torch"] = torch.__version__
    info["cuda_build"] = torch.version.cuda
    info["cuda_available"] = torch.cuda.is_available()
    gpus = []
    if info["cuda_available"]:
        for i in range(torch.cuda.device_count()):
            free, total = torch.cuda.mem_get_info(i)
            gpus.append({"index": i, "name": torch.cuda.get_device_name(i), "free": free, "total": total})
    info["gpus"] = gpus
except Exception as exc:
    info["torch_error"] = f"{type(exc).__name__}: {exc}"
for name in ("torchvision", "numpy"):
    try:
        info[name] = __import__(name).__version__
    except Exception as exc:
        info[name + "_error"] = f"{type(exc).__name__}: {exc}"
print(json.dumps(info))
"""


@dataclass
class GPU:
    """One visible CUDA device and its memory, in bytes."""

    index: int
    name: str
    free: int
    total: int


@dataclass
class Environment:
    """What the checking Python has: versions, CUDA, GPUs, and errors met on the way."""

    executable: str
    python: str = ""
    torch: str = ""
    torchvision: str = ""
    numpy: str = ""
    cuda_build: str | None = None
    cuda_available: bool = False
    gpus: list[GPU] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def probe_environment(timeout_s: float = 120.0) -> Environment:
    """Run the probe script in the checking Python and parse its one JSON line."""
    exe = python_executable()
    env = Environment(executable=exe)
    try:
        done = subprocess.run([exe, "-I", "-c", _SCRIPT], capture_output=True, text=True,
                              timeout=timeout_s, stdin=subprocess.DEVNULL)
        data = json.loads(done.stdout.strip().splitlines()[-1])
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError) as exc:
        env.errors["python"] = f"{type(exc).__name__}: {exc}"
        return env
    env.python = data.get("python", "")
    env.torch = data.get("torch", "")
    env.torchvision = data.get("torchvision", "")
    env.numpy = data.get("numpy", "")
    env.cuda_build = data.get("cuda_build")
    env.cuda_available = bool(data.get("cuda_available"))
    env.gpus = [GPU(**g) for g in data.get("gpus", [])]
    env.errors = {k[:-6]: v for k, v in data.items() if k.endswith("_error")}
    return env

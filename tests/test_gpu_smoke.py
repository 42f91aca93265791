"""The prepared GPU run (benchmarks/gpu_smoke.py) works before it ever meets a GPU."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "gpu_smoke.py"


def test_without_cuda_it_says_so_in_one_line(tmp_path):
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    proc = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("no CUDA here"), proc.stdout
    assert not list(tmp_path.iterdir())


@pytest.mark.slow  # runs a benchmark script; the behaviour it measures has its own tests
def test_the_cpu_rehearsal_runs_every_step(tmp_path):
    env = {**os.environ, "DLTUTOR_STATE_DIR": str(tmp_path / "st"), "DLTUTOR_WORKSPACE": str(tmp_path / "ws")}
    proc = subprocess.run([sys.executable, str(SCRIPT), "--cpu-rehearsal", "--only", "tensors", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads((tmp_path / "out" / "gpu_smoke.json").read_text(encoding="utf-8"))
    assert report["device"] == "cpu" and len(report["exercises"]) >= 10
    assert all(r["matches"] for r in report["exercises"])
    assert {r["case"]: r["verdict"] for r in report["hostile"]} == {
        "huge allocation": "oom", "endless GPU loop": "timeout", "cancelled run": "cancelled"}
    assert "| tensors/01-create | solution |" in (tmp_path / "out" / "gpu_smoke.md").read_text(encoding="utf-8")

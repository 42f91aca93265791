"""The TensorFlow lesson's facts and versions against real TensorFlow (tests/tf_facts.py, tests/tf_versions.py),
in a process of its own.

TensorFlow is an optional extra (`pip install .[tf]`); without it this test is
skipped with the reason. It runs in a child pytest because importing
TensorFlow and then torchvision's ops in one process crashes it (their native
libraries clash), and the rest of the suite imports torchvision.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None,
                    reason="TensorFlow is not installed (optional extra: pip install .[tf]); CI installs it")
def test_tensorflow_facts_hold():
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    files = [str(HERE / "tf_facts.py"), str(HERE / "tf_versions.py")]
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *files],
                          cwd=HERE.parent, env=env, capture_output=True, text=True, timeout=600)
    print(done.stdout[-3000:])
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert " passed" in done.stdout and " skipped" not in done.stdout.splitlines()[-1]

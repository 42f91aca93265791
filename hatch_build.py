"""Build hook: the wheel carries the reference solutions sealed, not as importable files.

`tutor.course.sealed` explains why; this writes `tutor/_course/solutions.sealed`
into the wheel from `solutions/` (the sdist keeps the plain files for authors).
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SealSolutions(BuildHookInterface):
    """Seal solutions/ into one data file of the wheel's course."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        # Loaded by path: the package being built is not importable (nor need its dependencies be).
        spec = importlib.util.spec_from_file_location("_dltutor_sealed", root / "tutor" / "course" / "sealed.py")
        sealed = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sealed)
        self._tmp = tempfile.TemporaryDirectory(prefix="dltutor-seal-")
        out = Path(self._tmp.name) / sealed.SEALED_NAME
        out.write_bytes(sealed.seal(root / "solutions"))
        build_data["force_include"][str(out)] = f"tutor/_course/{sealed.SEALED_NAME}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()

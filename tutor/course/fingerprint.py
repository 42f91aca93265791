"""What a course pack's verdicts depend on, as one hash: the manifest and every check file.

Two packs with the same id can judge differently (a copy with its checks
emptied, an older release); the fingerprint tells them apart. It covers
`course.toml` and everything under `checks/` (helpers included), read as bytes
in a fixed order, so it is the same on every machine for the same files.
Lesson texts, stubs and solutions do not change a verdict and are left out.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tutor.course.manifest import Course


def course_hash(course: Course) -> str:
    """`sha256:<hex>` of the pack's manifest and check files (paths and contents)."""
    root = Path(course.root)
    files = [root / "course.toml"]
    checks = root / "checks"
    if checks.is_dir():
        files += sorted((p for p in checks.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                         and p.suffix != ".pyc"), key=lambda p: p.relative_to(root).as_posix())
    digest = hashlib.sha256()
    for path in files:
        rel = path.relative_to(root).as_posix().encode("utf-8")
        data = path.read_bytes()
        # Length-prefixed, so that moving bytes between a name and a file cannot collide.
        digest.update(len(rel).to_bytes(8, "big") + rel + len(data).to_bytes(8, "big") + data)
    return "sha256:" + digest.hexdigest()

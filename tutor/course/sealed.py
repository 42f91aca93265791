"""Reference solutions sealed into one data file, for the installed package.

In a source checkout (and in any pack an instructor writes) the solutions are
plain files, `solutions/<lesson>/<ex>.py`. In a built wheel they would sit in
site-packages next to the checks, where a student's code could import them or
anyone could read them. So the wheel carries them as one compressed file,
`solutions.sealed` at the course root (`hatch_build.py` writes it at build
time): no module to import, no text to find with a look or a grep. The tutor
opens it only to show a solution after a pass (or a give-up) and to prove the
course in `dev verify`. It raises the bar; it is no secret: the tutor's own
code can open it, so a determined student can too.

Standard library only: the build hook imports this module from the source tree.
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from pathlib import Path

SEALED_NAME = "solutions.sealed"
"""The sealed file's name, at the course root."""

_MAGIC = b"DLTUTOR-SEALED-1\n"


def seal(solutions: Path) -> bytes:
    """Every `<lesson>/<ex>.py` under `solutions`, sealed into one blob; an experiment's reference
    discussion `<lesson>/<ex>.md` too, under the key "<lesson>/<ex>.md"."""
    texts = {f"{p.parent.name}/{p.stem}": p.read_text(encoding="utf-8")
             for p in sorted(solutions.glob("*/*.py")) if "__pycache__" not in p.parts}
    texts.update({f"{p.parent.name}/{p.name}": p.read_text(encoding="utf-8") for p in sorted(solutions.glob("*/*.md"))})
    return _MAGIC + zlib.compress(json.dumps(texts, ensure_ascii=False, sort_keys=True).encode("utf-8"), 9)


def unseal(data: bytes) -> dict[str, str]:
    """The solutions in a sealed blob, by exercise key ("tensors/01-create"); {} if it is not one."""
    if not data.startswith(_MAGIC):
        return {}
    try:
        texts = json.loads(zlib.decompress(data[len(_MAGIC):]).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError):
        return {}
    return {str(k): str(v) for k, v in texts.items()} if isinstance(texts, dict) else {}


@lru_cache(maxsize=4)
def _opened(path: str, mtime: float) -> dict[str, str]:
    return unseal(Path(path).read_bytes())


def sealed_solution(root: Path, key: str) -> str | None:
    """The sealed solution of exercise `key` in the course at `root`, or None."""
    path = root / SEALED_NAME
    try:
        return _opened(str(path), path.stat().st_mtime).get(key)
    except OSError:
        return None

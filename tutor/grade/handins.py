"""Reading hand-ins: HTML with the report embedded, JSON, folders, globs and zips as an LMS hands them out.

Nothing here is trusted: a file that is malformed, truncated, oversized or
foreign becomes a `HandIn` with `problem` set (one clear line), and the class
run goes on. A version-2 report is validated against the report schema; a
version-1 one (before hand-ins) is read for its files only.
"""

from __future__ import annotations

import glob
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE = 32 << 20
"""A hand-in larger than this is refused (a report of the whole course is a few MiB)."""
MAX_ZIP_TOTAL = 2 << 30
"""The uncompressed total read from one zip, at most."""
_BLOCK = re.compile(rb'<script type="application/json" id="dltutor-handin">(.*?)</script>', re.S)


@dataclass
class HandIn:
    """One student's hand-in as read: the report (a claim), or why it could not be read."""

    origin: str
    report: dict | None = None
    problem: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    """exercise id -> the source to re-run (the passed source, else the file as it is)."""
    claims: dict[str, str] = field(default_factory=dict)
    studies: dict[str, str] = field(default_factory=dict)
    """exercise id -> an experiment's claimed study (rows, factors, discussion) as JSON text."""
    """exercise id -> the status the report claims."""

    @property
    def student_id(self) -> str:
        """The key the grades are filed under: the student number, else the name or login, else the file."""
        st = (self.report or {}).get("student")
        if isinstance(st, dict):
            return st.get("id") or st.get("login") or st.get("name") or self.origin
        return st if isinstance(st, str) and st else self.origin

    @property
    def name(self) -> str:
        """The student's name as handed in (may be empty)."""
        st = (self.report or {}).get("student")
        return (st.get("name") or "") if isinstance(st, dict) else ""


def expand(paths: list[str]) -> list[Path]:
    """Files named, found in folders (recursively) or matched by globs, in a stable order, each once."""
    found: list[Path] = []
    for item in paths:
        matches = [Path(m) for m in sorted(glob.glob(item, recursive=True))] or [Path(item)]
        for path in matches:
            if path.is_dir():
                found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".html", ".htm", ".json", ".zip"))
            else:
                found.append(path)
    seen, unique = set(), []
    for path in found:
        key = str(path.resolve()) if path.exists() else str(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def read_all(paths: list[str], schema: dict | None) -> list[HandIn]:
    """Every hand-in under `paths` (zips opened in memory, never extracted to disk)."""
    out: list[HandIn] = []
    for path in expand(paths):
        if path.suffix.lower() == ".zip":
            out += _read_zip(path, schema)
            continue
        try:
            size = path.stat().st_size
            if size > MAX_FILE:
                out.append(HandIn(str(path), problem=f"too large ({size >> 20} MiB; at most {MAX_FILE >> 20} MiB)"))
                continue
            out.append(parse(str(path), path.read_bytes(), schema))
        except OSError as exc:
            out.append(HandIn(str(path), problem=f"cannot be read: {exc.strerror or exc}"))
    return out


def _read_zip(path: Path, schema: dict | None) -> list[HandIn]:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [HandIn(str(path), problem=f"not a readable zip: {exc}")]
    out, total = [], 0
    with archive:
        for info in archive.infolist():
            name = f"{path}!{info.filename}"
            if info.is_dir() or not info.filename.lower().endswith((".html", ".htm", ".json")):
                continue
            if info.file_size > MAX_FILE or total + info.file_size > MAX_ZIP_TOTAL:
                out.append(HandIn(name, problem=f"too large ({info.file_size >> 20} MiB)"))
                continue
            total += info.file_size
            try:
                with archive.open(info) as fh:
                    data = fh.read(MAX_FILE + 1)
            except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
                out.append(HandIn(name, problem=f"cannot be read from the zip: {exc}"))
                continue
            out.append(parse(name, data, schema))
    return out


def parse(origin: str, data: bytes, schema: dict | None) -> HandIn:
    """One hand-in from its bytes: the embedded block of an HTML file, or a JSON report."""
    if len(data) > MAX_FILE:
        return HandIn(origin, problem=f"too large (at most {MAX_FILE >> 20} MiB)")
    text = data
    if origin.lower().endswith((".html", ".htm")) or data.lstrip()[:1] == b"<":
        m = _BLOCK.search(data)
        if not m:
            return HandIn(origin, problem="no dltutor report inside (not a dltutor hand-in, or cut short)")
        text = m.group(1)
    try:
        report = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        return HandIn(origin, problem=f"the report is not valid JSON ({type(exc).__name__}: {str(exc)[:80]})")
    return _from_report(origin, report, schema)


def _from_report(origin: str, report: object, schema: dict | None) -> HandIn:
    if not isinstance(report, dict) or report.get("tool", {}).get("name") != "dltutor":
        return HandIn(origin, problem="not a dltutor report")
    version = report.get("report_version")
    if version == 2 and schema is not None:
        import jsonschema

        try:
            jsonschema.validate(report, schema)
        except jsonschema.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "the top level"
            return HandIn(origin, problem=f"does not follow the report format at {where}: {exc.message[:120]}")
    elif version not in (1, 2):
        return HandIn(origin, problem=f"report version {version!r} is not one this tutor reads")
    hand = HandIn(origin, report=report)
    try:
        for lesson in report["lessons"]:
            for ex in lesson["exercises"]:
                hand.claims[ex["id"]] = ex["status"]
                passed = ex.get("passed_source")
                current = ex.get("file") or {}
                source = passed["content"] if passed else (current.get("content") if current.get("exists") else None)
                if isinstance(source, str) and source.strip():
                    hand.sources[ex["id"]] = source
                study = ex.get("experiment")
                if isinstance(study, dict):
                    hand.studies[ex["id"]] = json.dumps({k: study.get(k) for k in ("rows", "factors", "discussion")},
                                                        ensure_ascii=False, sort_keys=True)
    except (KeyError, TypeError) as exc:
        return HandIn(origin, problem=f"the report is incomplete ({type(exc).__name__}: {exc})")
    return hand

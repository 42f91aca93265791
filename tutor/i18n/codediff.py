"""The student's file against the reference solution: a unified diff (difflib), coloured with Rich.

Rich only (no Textual), so the CLI's `solution --diff` and the TUI's solution view share it.
"""

from __future__ import annotations

import difflib

from rich.text import Text as RText

STYLES = {"+": "green", "-": "red", "@": "cyan"}
"""Line styles by the diff line's first character; headers (`---`/`+++`) are bold."""


def unified(student: str, reference: str, student_name: str, reference_name: str) -> list[str]:
    """difflib's unified diff, from the student's file to the reference, without line ends."""
    return list(difflib.unified_diff(student.splitlines(), reference.splitlines(),
                                     fromfile=student_name, tofile=reference_name, lineterm=""))


def diff_text(student: str, reference: str, student_name: str, reference_name: str) -> RText | None:
    """The coloured diff as one `rich.text.Text` (student code is never read as markup); None when equal."""
    lines = unified(student, reference, student_name, reference_name)
    if not lines:
        return None
    out = RText()
    for i, line in enumerate(lines):
        header = line.startswith(("---", "+++")) and i < 2
        style = "bold" if header else STYLES.get(line[:1], "")
        out.append(line, style=style)
        if i < len(lines) - 1:
            out.append("\n")
    return out

"""Verdicts: the result object every check run ends in, whatever happened.

A `Verdict` is plain data (JSON round-trips), in both languages, so the CLI,
the TUI and the store can show or keep it without knowing how it was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tutor.figures.model import Figure, figures_from_json
from tutor.i18n import Text, escape_bytes, escape_text, tr

KINDS = (
    "passed", "failed", "error", "syntax_error", "not_started", "timeout", "oom",
    "output_limit", "crashed", "no_gpu", "setup_error", "cancelled", "resource", "file_limit",
    "unavailable", "ran",
)
"""Every kind of verdict. Only "passed" is a pass; "ran" is `dltutor run`'s (a file run, nothing judged)."""

KIND_STYLE = {
    "passed": "bold green", "failed": "bold red", "error": "bold red", "syntax_error": "bold red",
    "not_started": "bold yellow", "timeout": "bold magenta", "oom": "bold magenta",
    "output_limit": "bold magenta", "crashed": "bold magenta", "resource": "bold magenta",
    "file_limit": "bold magenta", "no_gpu": "bold yellow", "setup_error": "bold yellow",
    "cancelled": "yellow", "unavailable": "bold yellow", "ran": "bold cyan",
}
"""The headline colour of each kind, as a Rich style name, shared by the CLI and the TUI."""


def both(key: str, **params: object) -> Text:
    """A catalogue message in both languages."""
    return Text(ja=tr(key, "ja", **params), en=tr(key, "en", **params))


@dataclass
class CheckLine:
    """One check's outcome: passed, failed, todo, error, needs_gpu or not_run."""

    id: str
    title: Text
    status: str
    message: Text | None = None

    def to_json(self) -> dict:
        """Plain dict form."""
        return {"id": self.id, "title": self.title.to_json(), "status": self.status,
                "message": self.message.to_json() if self.message else None}

    @classmethod
    def from_json(cls, data: dict) -> "CheckLine":
        """Inverse of `to_json`."""
        msg = data.get("message")
        return cls(id=str(data.get("id", "")), title=Text.from_json(data.get("title")),
                   status=str(data.get("status", "")), message=Text.from_json(msg) if msg else None)


@dataclass
class ErrorDetail:
    """An exception (or syntax error) in the student's code, trimmed to their file."""

    exc_type: str
    message: str
    frames: list[dict] = field(default_factory=list)
    """Innermost last: {"line": int, "func": str, "code": str, "col": int (syntax errors)}."""
    hint: Text | None = None
    """What the error usually means, when it is a well-known PyTorch mistake."""

    def to_json(self) -> dict:
        """Plain dict form."""
        return {"exc_type": self.exc_type, "message": self.message, "frames": self.frames,
                "hint": self.hint.to_json() if self.hint else None}

    @classmethod
    def from_json(cls, data: dict) -> "ErrorDetail":
        """Inverse of `to_json`."""
        hint = data.get("hint")
        return cls(exc_type=str(data.get("exc_type", "")), message=str(data.get("message", "")),
                   frames=list(data.get("frames") or []), hint=Text.from_json(hint) if hint else None)


@dataclass
class Verdict:
    """The outcome of checking one exercise once."""

    kind: str
    exercise: str
    checks: list[CheckLine] = field(default_factory=list)
    detail: Text | None = None
    """A sentence that explains the verdict (why it timed out, where the syntax error is)."""
    error: ErrorDetail | None = None
    output: str = ""
    """What the student's code printed, made safe for a terminal."""
    output_truncated: bool = False
    duration_s: float = 0.0
    cpu_s: float = 0.0
    """CPU seconds of the run's whole process tree after it was ready (the budget's measure)."""
    wall_s: float = 0.0
    """Wall-clock seconds after it was ready (the generous limit that catches sleeps)."""
    device: str = ""
    seed: int = 0
    file_hash: str = ""
    figures: list[Figure] = field(default_factory=list)
    """What the checks drew from the student's run (loss curves, digits, ...)."""
    unsaved: object | None = field(default=None, repr=False, compare=False)
    """A `tutor.i18n.Notice` when the session could not save this attempt (never in `to_json`)."""
    source: str | None = field(default=None, repr=False, compare=False)
    """The source text that was checked (kept with a pass for the hand-in; never in `to_json`)."""
    torch: str = field(default="", compare=False)
    """The torch version the checked child imported (its "ready" record; empty if it never got that far)."""

    @property
    def passed(self) -> bool:
        """True only for a complete, clean run in which every check passed."""
        return self.kind == "passed"

    def headline(self, lang: str) -> str:
        """One line saying what the verdict is; a failure or an error counts the failed and the
        erroring checks apart ("4 個のうち 2 個が不合格、1 個がエラー")."""
        text = tr(f"verdict.{self.kind}", lang)
        failed = sum(line.status == "failed" for line in self.checks)
        errors = sum(line.status == "error" for line in self.checks)
        if self.kind in ("failed", "error") and failed + errors:
            parts = [tr("verdict.count_failed", lang, n=failed)] if failed else []
            parts += [tr("verdict.count_errors", lang, n=errors)] if errors else []
            counts = tr("verdict.counts", lang, total=len(self.checks), parts=tr("verdict.count_and", lang).join(parts))
            base = tr("verdict.failed_short" if self.kind == "failed" else "verdict.error", lang)
            text = base + ("" if lang == "ja" else " ") + counts  # no space after 。
        return text

    def to_json(self) -> dict:
        """Plain dict form (what `dltutor check --json` prints and the store keeps)."""
        return {
            "kind": self.kind, "passed": self.passed, "exercise": self.exercise,
            "checks": [c.to_json() for c in self.checks],
            "detail": self.detail.to_json() if self.detail else None,
            "error": self.error.to_json() if self.error else None,
            "output": self.output, "output_truncated": self.output_truncated,
            "duration_s": round(self.duration_s, 3), "cpu_s": round(self.cpu_s, 3),
            "wall_s": round(self.wall_s, 3), "device": self.device, "seed": self.seed,
            "file_hash": self.file_hash, "figures": [f.to_json() for f in self.figures],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Verdict":
        """Inverse of `to_json`; unknown kinds become "crashed" rather than a pass."""
        kind = data.get("kind") if data.get("kind") in KINDS else "crashed"
        return cls(
            kind=kind, exercise=str(data.get("exercise", "")),
            checks=[CheckLine.from_json(c) for c in data.get("checks") or []],
            detail=Text.from_json(data["detail"]) if data.get("detail") else None,
            error=ErrorDetail.from_json(data["error"]) if data.get("error") else None,
            output=str(data.get("output", "")), output_truncated=bool(data.get("output_truncated")),
            duration_s=float(data.get("duration_s", 0.0)), cpu_s=float(data.get("cpu_s", 0.0)),
            wall_s=float(data.get("wall_s", 0.0)), device=str(data.get("device", "")),
            seed=int(data.get("seed", 0)), file_hash=str(data.get("file_hash", "")),
            figures=figures_from_json(data.get("figures")),
        ).escaped()

    def escaped(self) -> "Verdict":
        """This verdict with every text that student code could have shaped escaped (in place).

        Exception messages, frames, check messages (which may quote the student's
        values) and the detail line all go through `tutor.i18n.escape_text`, the
        one escape the CLI, the TUI and the reports rely on. Idempotent.
        """
        def text(t: Text | None) -> Text | None:
            return None if t is None else Text(ja=escape_text(t.ja), en=escape_text(t.en))

        self.detail = text(self.detail)
        self.output = escape_text(self.output)
        for line in self.checks:
            line.title = text(line.title) or line.title
            line.message = text(line.message)
        if self.error is not None:
            self.error.exc_type = escape_text(self.error.exc_type)
            self.error.message = escape_text(self.error.message)
            self.error.frames = [{k: escape_text(v) if isinstance(v, str) else v for k, v in f.items()}
                                 for f in self.error.frames if isinstance(f, dict)]
            self.error.hint = text(self.error.hint)
        return self


def safe_output(data: bytes, limit: int = 8000) -> tuple[str, bool]:
    """Decode student output for display: invalid UTF-8 and control characters escaped.

    Escape sequences (ANSI colours, OSC titles, cursor moves) are shown as
    text such as `\\x1b[2J`, never sent to the terminal. Only the last `limit`
    characters are kept (the end is where errors are); the flag says if any
    were dropped.
    """
    text = escape_bytes(data)
    if len(text) > limit:
        return text[-limit:], True
    return text, False

"""One child per job of a study: reading the design, and training one setting.

Both go through the checker's runner (warm or cold), so a setting gets what a
check gets: its own process group and temporary folder, the memory, file and
task limits of `tutor.check.sandbox`, and a CPU-time budget (the exercise's
`timeout`, per setting) with a wall-clock limit over it. What comes back is
judged here, in the tutor: a row is "ok" only if the child sent the setting's
result on the private channel and exited cleanly within its limits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tutor.check.checker import Checker
from tutor.check.runner import OUTPUT_CAP, CancelToken, Job, RawRun
from tutor.check.verdict import both, safe_output
from tutor.course.manifest import Exercise
from tutor.i18n import Text

PLAN_TIMEOUT_S = 30.0
"""CPU seconds for importing the student's file and reading its SETTINGS."""
STATUSES = ("ok", "error", "invalid", "timeout", "oom", "crashed", "output_limit", "not_run", "cancelled")
"""How a setting ended: ok, an error in the student's code, a broken contract (invalid), a limit, or not at all."""


@dataclass
class Row:
    """One setting of a study and how it ended (a table row of the report)."""

    config: dict
    key: str
    label: str = ""
    status: str = "not_run"
    history: list[dict] = field(default_factory=list)
    test_acc: float | None = None
    used: dict = field(default_factory=dict)
    seconds: float = 0.0
    """Wall-clock seconds of the whole child (start-up, training and the test measurement)."""
    peak_rss_mb: float = 0.0
    device: str = ""
    message: Text | None = None
    output: str = ""
    cached: bool = False

    @property
    def final(self) -> dict:
        """The last epoch's metrics ({} if none)."""
        return self.history[-1] if self.history else {}

    def to_json(self) -> dict:
        """Plain data: what the store keeps, the check child reads and the report shows."""
        return {"config": self.config, "key": self.key, "label": self.label, "status": self.status,
                "history": self.history, "test_acc": self.test_acc, "used": self.used, "seconds": round(self.seconds, 3),
                "peak_rss_mb": round(self.peak_rss_mb, 1), "device": self.device,
                "message_ja": self.message.ja if self.message else None,
                "message_en": self.message.en if self.message else None, "output": self.output[-2000:]}

    @classmethod
    def from_json(cls, data: dict, cached: bool = False) -> "Row":
        """A row as `to_json` wrote it."""
        message = None
        if data.get("message_en") or data.get("message_ja"):
            message = Text(ja=str(data.get("message_ja") or data.get("message_en")), en=str(data.get("message_en") or data.get("message_ja")))
        return cls(config=dict(data.get("config") or {}), key=str(data.get("key", "")), label=str(data.get("label", "")),
                   status=str(data.get("status", "not_run")), history=list(data.get("history") or []),
                   test_acc=data.get("test_acc"), used=dict(data.get("used") or {}), seconds=float(data.get("seconds") or 0),
                   peak_rss_mb=float(data.get("peak_rss_mb") or 0), device=str(data.get("device", "")), message=message,
                   output=str(data.get("output") or ""), cached=cached)


@dataclass
class StudyEvent:
    """Progress of a running study, for the front ends: what happened and where it stands."""

    kind: str
    """"plan" (the design is read), "start" (a setting starts), "epoch", "done" (a setting ended)."""
    index: int = 0
    """The setting's place in the design, from 1."""
    total: int = 0
    label: str = ""
    epoch: int = 0
    epochs: int | None = None
    """The setting's number of epochs if its config says (`epochs`), else None."""
    train_loss: float | None = None
    val_acc: float | None = None
    eta_s: float | None = None
    """Seconds the whole study still needs, estimated from the settings run so far (None before any)."""
    row: Row | None = None
    to_run: int = 0
    """("plan") how many settings will run; the rest come from the cache."""


def _job(exercise: Exercise, path: Path, source: str, checker: Checker, device: str, visible: str | None,
         timeout_s: float, extra: dict, on_record: Callable[[dict], None] | None = None) -> Job:
    return Job(exercise=exercise.key, student_path=path, source=source, check_path=exercise.check_path,
               seed=random.SystemRandom().randrange(1, 2**31), device=device, timeout_s=timeout_s,
               memory_mb=checker.memory_mb, file_mb=checker.file_mb, memory_guard=checker.memory_guard,
               visible_devices=visible, extra=extra, on_record=on_record)


def read_design(checker: Checker, exercise: Exercise, path: Path, source: str, device: str,
                visible: str | None, cancel: CancelToken | None = None) -> tuple[list[dict] | None, Text | None, str]:
    """The student's SETTINGS, read in a child: (settings, None, output) or (None, why not, output)."""
    raw = checker.runner.run(_job(exercise, path, source, checker, device, visible, PLAN_TIMEOUT_S,
                                  {"study_mode": "settings"}), cancel)
    output = safe_output(raw.output)[0]
    record = _first(raw, "settings")
    if record is not None and _clean(raw):
        return list(record.get("settings") or []), None, output
    status, message = _failure(raw, checker)
    return None, message or both("study.plan_failed", status=status), output


def run_one(checker: Checker, exercise: Exercise, path: Path, source: str, row: Row, device: str,
            visible: str | None, on_epoch: Callable[[dict], None] | None = None,
            cancel: CancelToken | None = None) -> Row:
    """Train one setting in its own child; fills in and returns `row`."""
    job = _job(exercise, path, source, checker, device, visible, exercise.timeout_s,
               {"study_mode": "setting", "config": row.config, "seed": _seed(row.config)}, on_epoch)
    raw = checker.runner.run(job, cancel)
    row.seconds, row.peak_rss_mb = raw.duration_s, raw.peak_rss_mb
    row.output = safe_output(raw.output)[0][-2000:]
    ready = _first(raw, "ready")
    row.device = str((ready or {}).get("device") or device)
    result = _first(raw, "setting")
    if result is not None and _clean(raw):
        row.status, row.history = "ok", list(result.get("history") or [])
        row.test_acc = float(result.get("test_acc") or 0.0)
        row.used = dict(result.get("used") or {})
        return row
    row.status, row.message = _failure(raw, checker, job.timeout_s)
    return row


def _seed(config: dict) -> int:
    seed = config.get("seed", 0)
    return int(seed) if isinstance(seed, (int, float)) and not isinstance(seed, bool) else 0


def _first(raw: RawRun, kind: str) -> dict | None:
    return next((r for r in raw.records if r.get("type") == kind), None)


def _clean(raw: RawRun) -> bool:
    return (not raw.timed_out and not raw.memory_exceeded and not raw.output_exceeded and not raw.disk_exceeded
            and not raw.protocol_error and raw.returncode == 0 and _first(raw, "done") is not None)


def _failure(raw: RawRun, checker: Checker, timeout_s: float = PLAN_TIMEOUT_S) -> tuple[str, Text | None]:
    """How a run that brought no result ended, as (status, message)."""
    if raw.protocol_error == "cancelled":
        return "cancelled", None
    if raw.output_exceeded:
        return "output_limit", both("detail.output_limit", limit=OUTPUT_CAP)
    if raw.memory_exceeded:
        return "oom", both("detail.oom_watch", limit=checker.memory_mb)
    if raw.timed_out:
        if raw.timed_out_phase == "startup":
            return "crashed", both("detail.timeout_startup", limit=120)
        return "timeout", both("study.timeout", limit=timeout_s, wall=round(raw.wall_s, 1))
    failure = _first(raw, "study_failure")
    if failure is not None:
        return "invalid", Text.from_json(failure.get("message"))
    error = _first(raw, "study_error") or _first(raw, "import_error")
    if error is not None:
        info = error.get("error") or {}
        text = f"{info.get('exc_type', 'Error')}: {info.get('message', '')}"
        frames = info.get("frames") or []
        if frames:
            text += f" (line {frames[-1].get('line')})"
        if info.get("oom"):
            return "oom", Text(ja=f"メモリが足りなくなりました: {text}", en=f"Out of memory: {text}")
        return "error", Text(ja=text, en=text)
    if _first(raw, "no_gpu") is not None:
        return "crashed", both("detail.no_gpu")
    if _first(raw, "setup_error") is not None:
        return "crashed", both("detail.setup_torch", python="python")
    if raw.returncode is not None and raw.returncode < 0:
        return "crashed", both("study.signal", signal=-raw.returncode)
    return "crashed", both("detail.exited_early", code=raw.returncode)

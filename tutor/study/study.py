"""A whole study: the design read from the student's file, each setting from the cache or run.

`run_study` reads the design in a child, then for each setting in order takes
the stored outcome of the same code and setting if it finished ("ok"), or runs
it in its own child and stores the outcome at once. Ctrl-C (KeyboardInterrupt)
or a cancel token stops between or inside settings; everything that finished
is already stored. `load_study` is the same without running anything: the rows
of settings that never ran say "not_run" (what `dltutor check` and the report
read).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tutor.check.checker import Checker, decode_source, syntax_error
from tutor.check.runner import CancelToken
from tutor.course.manifest import Exercise
from tutor.course.study import setting_label, varying_factors
from tutor.i18n import Text
from tutor.check.verdict import both
from tutor.progress.store import Store
from tutor.progress.studies import latest_code_hash, load_settings, save_setting
from tutor.study.code import code_hash, setting_key
from tutor.study.runs import Row, StudyEvent, read_design, run_one


@dataclass
class Study:
    """A study as it stands: its rows in design order, the factors that vary, and what went wrong."""

    exercise: str
    code_hash: str = ""
    rows: list[Row] = field(default_factory=list)
    factors: list[str] = field(default_factory=list)
    error: Text | None = None
    """Why the design could not be read or run at all (syntax error, no SETTINGS...), else None."""
    output: str = ""
    interrupted: bool = False
    ran: int = 0
    """How many settings ran now (the others came from the cache)."""

    @property
    def complete(self) -> bool:
        """True when every setting of the design finished ("ok")."""
        return bool(self.rows) and all(row.status == "ok" for row in self.rows)

    def to_json(self) -> dict:
        """Plain data for the check child, the report and `--json`."""
        return {"exercise": self.exercise, "code_hash": self.code_hash, "factors": self.factors,
                "rows": [row.to_json() for row in self.rows],
                "error": self.error.to_json() if self.error else None, "interrupted": self.interrupted}


def _design(checker: Checker, exercise: Exercise, path: Path, device: str, visible: str | None,
            cancel: CancelToken | None) -> tuple[Study, str, list[dict] | None]:
    study = Study(exercise=exercise.key)
    try:
        source = decode_source(path.read_bytes())
    except OSError as exc:
        study.error = both("detail.unreadable", path=path, reason=exc.strerror or exc)
        return study, "", None
    study.code_hash = code_hash(source)
    syntax = syntax_error(source, str(path))
    if syntax is not None:
        line = syntax.frames[0]["line"] if syntax.frames else "?"
        study.error = both("detail.syntax", line=line, message=syntax.message)
        return study, source, None
    settings, error, study.output = read_design(checker, exercise, path, source, device, visible, cancel)
    if settings is not None and exercise.study and len(settings) > exercise.study.max_settings:
        error, settings = both("study.too_many", count=len(settings), limit=exercise.study.max_settings), None
    study.error = error
    if settings is not None:
        study.factors = varying_factors(settings)
        study.rows = [Row(config=c, key=setting_key(c), label=setting_label(c, study.factors)) for c in settings]
    return study, source, settings


def _from_cache(store: Store, study: Study, exercise: Exercise) -> None:
    cached = load_settings(store, exercise.key, study.code_hash)
    for i, row in enumerate(study.rows):
        hit = cached.get(row.key)
        if hit is not None:
            label = row.label
            study.rows[i] = Row.from_json(hit["result"], cached=True)
            study.rows[i].label = label  # the label depends on the whole design, which may have grown


def load_study(checker: Checker, store: Store, exercise: Exercise, path: Path, device: str = "cpu",
               visible: str | None = None, cancel: CancelToken | None = None) -> Study:
    """The study of the file at `path` from the cache only (settings never run are "not_run")."""
    study, _, settings = _design(checker, exercise, path, device, visible, cancel)
    if settings is not None:
        _from_cache(store, study, exercise)
    return study


def run_study(checker: Checker, store: Store, exercise: Exercise, path: Path, device: str = "cpu",
              visible: str | None = None, on_event: Callable[[StudyEvent], None] | None = None,
              cancel: CancelToken | None = None) -> Study:
    """Run every setting of the design that has not finished for this code; returns the study."""
    study, source, settings = _design(checker, exercise, path, device, visible, cancel)
    if settings is None:
        return study
    _from_cache(store, study, exercise)
    emit = on_event or (lambda event: None)
    todo = [i for i, row in enumerate(study.rows) if row.status != "ok"]
    total = len(study.rows)
    emit(StudyEvent("plan", total=total, to_run=len(todo)))
    clock = _Eta([study.rows[i] for i in todo])
    for i in todo:
        row = study.rows[i]
        if cancel is not None and cancel.cancelled:
            study.interrupted = True
            break
        epochs = row.config.get("epochs") if isinstance(row.config.get("epochs"), int) else None
        emit(StudyEvent("start", index=i + 1, total=total, label=row.label, epochs=epochs, eta_s=clock.eta()))

        def on_record(record: dict, i=i, row=row, epochs=epochs) -> None:
            clock.epoch(row)
            emit(StudyEvent("epoch", index=i + 1, total=total, label=row.label, epoch=int(record.get("epoch", 0)),
                            epochs=epochs, train_loss=record.get("train_loss"), val_acc=record.get("val_acc"),
                            eta_s=clock.eta()))

        run_one(checker, exercise, path, source, row, device, visible, on_record, cancel)
        clock.finish(row)
        if row.status == "cancelled":
            study.interrupted = True
            row.status = "not_run"
            break
        study.ran += 1
        save_setting(store, exercise.key, study.code_hash, row.key, row.status, row.device, row.config, row.to_json())
        emit(StudyEvent("done", index=i + 1, total=total, label=row.label, row=row, eta_s=clock.eta()))
    return study


class _Eta:
    """Seconds left, from the mean time per epoch (or per setting) of what has run so far."""

    def __init__(self, rows: list[Row]):
        self.left = list(rows)
        self.started = time.monotonic()
        self.current_start = self.started
        self.done_s = 0.0
        self.epochs_done = 0
        self.current_epochs = 0
        self.settings_done = 0

    @staticmethod
    def _epochs(row: Row) -> int | None:
        value = row.config.get("epochs")
        return value if isinstance(value, int) and value > 0 else None

    def epoch(self, row: Row) -> None:
        self.current_epochs += 1

    def finish(self, row: Row) -> None:
        self.done_s += time.monotonic() - self.current_start
        self.epochs_done += self.current_epochs
        self.settings_done += 1
        self.current_epochs = 0
        self.current_start = time.monotonic()
        if row in self.left:
            self.left.remove(row)

    def eta(self) -> float | None:
        elapsed = self.done_s + (time.monotonic() - self.current_start)
        epochs_seen = self.epochs_done + self.current_epochs
        known = [self._epochs(r) for r in self.left]
        if epochs_seen and all(k is not None for k in known):
            per_epoch = elapsed / epochs_seen
            return max(0.0, per_epoch * (sum(known) - self.current_epochs))
        if self.settings_done:
            return max(0.0, self.done_s / self.settings_done * len(self.left) - (time.monotonic() - self.current_start))
        return None


def check_payload(exercise: Exercise, study: Study, discussion: dict) -> dict:
    """What an experiment's check child reads as `t.study`: the spec, the rows, the factors, the discussion."""
    spec = exercise.study.to_json() if exercise.study else {}
    return {"spec": spec, "rows": [row.to_json() for row in study.rows], "factors": study.factors,
            "discussion": discussion}


def study_check_timeout(exercise: Exercise) -> float:
    """The checks' budget: they re-train one setting (its `timeout`) and read the data besides."""
    return exercise.timeout_s * 1.5 + 30


def stored_study(store: Store, exercise: Exercise) -> Study | None:
    """The most recent code's stored settings, without reading the file (the TUI panel, the report); None if none."""
    code = latest_code_hash(store, exercise.key)
    if code is None:
        return None
    stored = sorted(load_settings(store, exercise.key, code).values(), key=lambda item: item["at"])
    rows = [Row.from_json(item["result"], cached=True) for item in stored]
    study = Study(exercise=exercise.key, code_hash=code, rows=rows, factors=varying_factors([r.config for r in rows]))
    for row in rows:
        row.label = setting_label(row.config, study.factors)
    return study


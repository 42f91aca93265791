"""What an experiment exercise (`kind = "experiment"`) promises, as the manifest states it.

An experiment's student file defines `SETTINGS` (the design: a list of config
dicts) and `run(config)` (one training run, yielding per-epoch metrics); the
tutor runs every setting in its own sandboxed child and the hidden checks judge
the whole study. The numbers a check holds the study to live in the manifest,
in the exercise's `[lessons.exercises.experiment]` table, so that an author
changes a mark without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("exercise", "experiment")
"""Exercise kinds: an ordinary exercise (checked file), or a study of several settings."""


@dataclass(frozen=True)
class StudySpec:
    """The manifest's promises for one experiment."""

    min_settings: int = 4
    """The design must hold at least this many settings."""
    min_factors: int = 2
    """...varying at least this many factors (config keys other than `seed` that take 2+ values)."""
    mark: float = 0.97
    """The setting chosen on validation accuracy must reach this test accuracy (0..1)."""
    tolerance: float = 0.01
    """How far (accuracy, 0..1) the tutor's re-training of one setting may land from the study's numbers."""
    discussion_min_chars: int = 200
    """The discussion `<exercise>.md` must hold at least this many characters (spaces not counted)."""
    max_settings: int = 24
    """More settings than this are refused: a study is for 2 CPU cores too."""

    def to_json(self) -> dict:
        """The spec as plain data (the check child gets it with the study)."""
        return {"min_settings": self.min_settings, "min_factors": self.min_factors, "mark": self.mark,
                "tolerance": self.tolerance, "discussion_min_chars": self.discussion_min_chars,
                "max_settings": self.max_settings}


def parse_study(data: object, where: str, error: type[Exception]) -> StudySpec:
    """Read the `experiment` table of an exercise; `error(message)` for a bad value."""
    if data is None:
        return StudySpec()
    if not isinstance(data, dict):
        raise error(f"{where}: experiment must be a table")
    known = set(StudySpec.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise error(f"{where}: unknown experiment field(s) {', '.join(sorted(unknown))}")
    values = {}
    for name in ("min_settings", "min_factors", "discussion_min_chars", "max_settings"):
        if name in data:
            if not isinstance(data[name], int) or isinstance(data[name], bool) or data[name] < 0:
                raise error(f"{where}: experiment.{name} must be a whole number >= 0")
            values[name] = data[name]
    for name in ("mark", "tolerance"):
        if name in data:
            if not isinstance(data[name], (int, float)) or isinstance(data[name], bool) or not 0 <= data[name] <= 1:
                raise error(f"{where}: experiment.{name} must be a number in [0, 1] (accuracy as a fraction)")
            values[name] = float(data[name])
    spec = StudySpec(**values)
    if spec.min_settings > spec.max_settings:
        raise error(f"{where}: experiment.min_settings is over max_settings")
    return spec


SCALARS = (str, int, float, bool)
"""What a setting's values may be: plain JSON scalars, so that a setting is its own cache key."""
RESERVED = ("device",)
"""Keys the tutor adds to the config it hands `run` (the student's settings may not use them)."""
NOT_A_FACTOR = ("seed", "name")
"""Keys that never count as a factor of the design."""


def varying_factors(settings: list[dict]) -> list[str]:
    """The config keys (not seed or name) that take two or more values across `settings`, in first-seen order."""
    keys: list[str] = []
    for config in settings:
        for key in config:
            if key not in keys and key not in NOT_A_FACTOR:
                keys.append(key)
    return [k for k in keys if len({repr(c.get(k)) for c in settings}) > 1]


def setting_label(config: dict, factors: list[str]) -> str:
    """A short name for a setting: its `name`, else its values of the varying factors ("hidden=128, act=relu")."""
    name = config.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    shown = [k for k in factors if k in config] or [k for k in config if k not in NOT_A_FACTOR]
    return ", ".join(f"{k}={config[k]}" for k in shown) or "default"

"""An experiment's finished settings in the progress store: the cache `dltutor run` reads first.

A row is keyed by exercise, code hash (the student's file without its `SETTINGS`,
see `tutor.study.code`) and setting key (its canonical JSON): adding a setting
to the design changes neither the code hash nor the other settings' keys, so
only the new one runs. Every finished setting is written the moment it ends,
so Ctrl-C keeps what has finished; a failed row (crash, timeout, out of memory)
is kept too, for the table, and re-run next time. Rows of older code stay in
the file (nothing a student did is ever lost); the study reads its own hash.
"""

from __future__ import annotations

import json
import time

from tutor.progress.store import Store


def save_setting(store: Store, exercise: str, code_hash: str, setting_key: str, status: str,
                 device: str, setting: dict, result: dict) -> bool:
    """Keep one setting's outcome (replacing an earlier run of the same code and setting)."""
    return store._write(
        "INSERT OR REPLACE INTO study_runs (exercise, code_hash, setting_key, at, status, device, setting, result)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (exercise, code_hash, setting_key, time.time(), status, device,
         json.dumps(setting, ensure_ascii=False, sort_keys=True), json.dumps(result, ensure_ascii=False)))


def load_settings(store: Store, exercise: str, code_hash: str) -> dict[str, dict]:
    """The stored outcomes of one code hash, by setting key: {at, status, device, setting, result}."""
    rows = store._read("SELECT setting_key, at, status, device, setting, result FROM study_runs"
                       " WHERE exercise = ? AND code_hash = ?", (exercise, code_hash))
    out = {}
    for key, at, status, device, setting, result in rows:
        try:
            out[key] = {"at": at, "status": status, "device": device, "setting": json.loads(setting),
                        "result": json.loads(result)}
        except ValueError:  # a damaged row is run again, never trusted
            continue
    return out


def latest_code_hash(store: Store, exercise: str) -> str | None:
    """The code hash of the exercise's most recently finished setting (for the report), or None."""
    rows = store._read("SELECT code_hash FROM study_runs WHERE exercise = ? ORDER BY at DESC LIMIT 1", (exercise,))
    return rows[0][0] if rows else None

"""Running one check: the student's file in a child process with limits, judged into a `Verdict`.

The tutor side is `checker` (the job and the judgement), `runner` (a fresh
child per check), `warm` (children forked from a pre-imported worker),
`sandbox` (limits and sweeping a run's processes), `tree` and `budget` (the
run's process tree: its CPU, memory and disk totals, its end, the ledger a
`kill -9` leaves for the next run), `verdict` and `diagnose`
(the result and its advice) and `probe` (asking a child Python about torch).
The child side is `harness` and `zygote`, the only modules here that import
torch. It may import `tutor.checkkit` (in the child), `tutor.course`,
`tutor.figures`, `tutor.machine` and `tutor.i18n`.

Names are re-exported lazily, so that a checked child, which imports
`tutor.check.harness`, loads none of the tutor side.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "Checker": "checker", "judge": "checker", "syntax_error": "checker", "file_hash": "checker",
    "CancelToken": "runner", "ColdRunner": "runner", "Job": "runner", "RawRun": "runner", "Runner": "runner",
    "WarmRunner": "warm",
    "Verdict": "verdict", "CheckLine": "verdict", "ErrorDetail": "verdict", "KINDS": "verdict",
    "Environment": "probe", "probe_environment": "probe",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import the module that defines `name` on first use (PEP 562)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'tutor.check' has no attribute {name!r}")
    return getattr(importlib.import_module(f"tutor.check.{_EXPORTS[name]}"), name)

"""dltutor: a terminal tutor that teaches deep learning with PyTorch.

`tutor/` is laid out by concern (ARCHITECTURE.md): `i18n` and `course` at the
bottom, then `machine` and `figures`, `checkkit` (what check files import),
`check` (running one check in a child process) and `progress` (the student's
workspace and store), `session` (the one core), `report`, `doctor` and `dev`,
and the front ends `cli` and `tui`. Only the child side (`checkkit`,
`check.harness`, `check.zygote`) imports torch; only `tui` imports Textual.
"""

__version__ = "0.1.0"

"""Experiments: running a study (every setting of the student's design) and caching it.

`code` hashes the student's file without its `SETTINGS` and keys each setting;
`runs` starts one sandboxed child per setting through the checker's runner (the
same limits and pipes as a check; `tutor.checkkit.study` is the child side) and
turns how it ended into a row (ok, error, invalid, timeout, oom, crashed);
`study` runs a whole design against the cache in the progress store
(`tutor.progress.studies`) with live progress events. It may import
`tutor.check`, `tutor.progress`, `tutor.course`, `tutor.machine` and
`tutor.i18n`; never torch (that is the child's).
"""

from tutor.study.code import code_hash, setting_key
from tutor.study.runs import Row, StudyEvent
from tutor.study.study import Study, check_payload, load_study, run_study

__all__ = ["Row", "Study", "StudyEvent", "check_payload", "code_hash", "load_study", "run_study", "setting_key"]

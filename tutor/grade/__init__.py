"""`dltutor grade`: an instructor re-verifies a whole class's hand-ins, trusting only the source text.

`handins` reads what students handed in (HTML with the report inside, JSON,
folders, globs, LMS zips); `tasks` turns them into one re-check per exercise
that carries code and runs it with the instructor's course (`tutor.check`,
same sandbox and limits as a student's check), with a cache keyed by source,
course and exercise; `pool` runs tasks on local worker threads, each with its
own warm worker; `cluster` sends them to a Dask cluster; `flags` looks for
copies and code that reaches into the checker; `outputs` writes grades.csv,
grades.json and class.html from the `ClassResult` that `run` returns. It sits
above `tutor.report` (whose schema it reads) and the session layer, below the
front ends, and never imports torch itself.
"""

from tutor.grade.run import ClassResult, grade

__all__ = ["ClassResult", "grade"]

"""The course as data: the manifest model (lessons, exercises, derived paths).

`manifest` reads a course pack's `course.toml` into `Course`, `Lesson` and
`Exercise`, and derives every file's path from the ids; `fingerprint` hashes
what a pack's verdicts depend on (its manifest and checks). It may import only
`tutor.i18n`; proving a pack whole (which runs checks) is `tutor.dev.verify`.
"""

from tutor.course.fingerprint import course_hash
from tutor.course.manifest import (DEFAULT_TIMEOUT_S, ContentError, Course, Exercise, Lesson, UnknownExercise,
                                   load_course)

__all__ = ["course_hash", "DEFAULT_TIMEOUT_S", "ContentError", "Course", "Exercise", "Lesson", "UnknownExercise", "load_course"]

"""Tools for course authors: proving a course pack whole (`dltutor dev verify`).

`verify` checks a pack's structure (every file, both languages, no orphans)
and its behaviour (every solution passes, every stub does not). It sits above
`tutor.session` and may import everything below it, never a front end.
"""

from tutor.dev.verify import Problem, behaviour, structure

__all__ = ["Problem", "behaviour", "structure"]

"""Tools for course authors: proving a course pack whole (`dltutor dev verify`) and its
checks strong (`dltutor dev mutate`).

`verify` checks a pack's structure (every file, both languages, no orphans)
and its behaviour (every solution passes, every stub does not). `mutants`
(with the operators in `ops_training` and `ops_values`, the words in `words`
and the `ast` helpers in `sites`) makes deep-learning mistakes in reference
solutions, running nothing; `mutate` runs each mutant through the real checks
and reports which the checks let pass and whether their messages name the
mistake. It sits above `tutor.session` and may import everything below it,
never a front end.
"""

from tutor.dev.verify import Problem, behaviour, structure

__all__ = ["Problem", "behaviour", "structure"]

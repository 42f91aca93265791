"""The data helpers that exercise, solution and check files import, under their first name.

`from tutor.data import mnist_root` is part of the authoring API that course
packs are written against, so it stays; the code lives in `tutor.machine.data`
(and check files can take the same names from `tutor.checkkit`).
"""

from tutor.machine.data import DataError, cache_root, mnist_root, mnist_status

__all__ = ["DataError", "cache_root", "mnist_root", "mnist_status"]

"""The check authoring API: what a file in `checks/` imports.

A check file declares its checks with `@check`, in the order they run::

    from tutor.checkkit import check

    @check(ja="値が 1 から n まで並んでいる", en="values run from 1 to n")
    def values(t):
        n = t.rng.randint(3, 9)                     # inputs are drawn per run
        got = t.call("make_range", n)               # calls the student's function
        t.tensor(got, torch.arange(1, n + 1.0), name="make_range(n)")

Each check function receives a `Ctx` (`t`): the per-run random sources, the
device, the student's module, and assertions that raise `CheckFailure` with a
message in both languages. The data helpers (`mnist_root`, `cache_root`,
`DataError`) are here too, so that a check file needs no other import from
the tutor.

An experiment's check file calls `study_checks()` (the checks every study
shares, `studychecks`); `study` is the child side of a study's runs.

This package runs only in the child process. It may import `tutor.figures`
(the figure format), `tutor.machine` (the shipped data), `tutor.course` (an
experiment's labels and factors, `tutor.course.study`) and `tutor.i18n`.
"""

from tutor.checkkit.context import Ctx
from tutor.checkkit.failures import CheckFailure, Todo, Unavailable
from tutor.checkkit.library import LibraryWatch, graph_ops
from tutor.checkkit.probes import LossWatch, Quiet, TrainWatch, ZeroGradWatch
from tutor.checkkit.registry import CheckSpec, check, collect
from tutor.checkkit.studychecks import study_checks
from tutor.checkkit.training import expect_first_loss, expect_recorded, expect_trained
from tutor.machine.data import DataError, cache_root, mnist_root

__all__ = ["Ctx", "CheckFailure", "CheckSpec", "DataError", "LibraryWatch", "LossWatch", "Quiet", "Todo", "TrainWatch",
           "Unavailable", "ZeroGradWatch", "cache_root", "check", "collect", "expect_first_loss", "expect_recorded",
           "expect_trained", "graph_ops", "mnist_root", "study_checks"]

"""Mutation operators for deep-learning code: the mistakes students make, as `ast` edits.

Each operator (`tutor.dev.ops_training`, `tutor.dev.ops_values`) finds the
places in a reference solution where its mistake can be made; `mutants` makes
one `Mutant` per place: the solution's source with that one
mistake in it. An operator also says which words a verdict about the mistake
should contain, in each language (`Words`): a rejection "names" the mutation
when one of the English words is in the English messages and one of the
Japanese words in the Japanese ones. This module runs nothing.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass

from tutor.dev import ops_training as T
from tutor.dev import ops_values as V
from tutor.dev.sites import Sites
from tutor.dev.words import Words


@dataclass(frozen=True)
class Mutant:
    """One mistake put into a solution.

    `id` is stable while the solution's functions keep their names:
    operator, enclosing function and the place's number within it.
    """

    id: str
    op: str
    line: int
    what: str
    source: str
    words: Words


OPERATORS = {
    "delete": T.op_delete, "drop-call": T.op_drop_call, "no-grad": T.op_no_grad, "eval-train": T.op_eval_train,
    "axis": V.op_axis, "permute": V.op_permute, "mean-sum": V.op_mean_sum, "loss": T.op_loss, "squash": T.op_squash,
    "lr": T.op_lr, "epochs": T.op_epochs, "flatten": V.op_flatten, "constant": V.op_constant, "library": V.op_library,
    "ignore-given": T.op_ignore_given, "compare": V.op_compare, "ignore-param": V.op_ignore_param,
    "swap-return": V.op_swap_return, "drop-activation": V.op_drop_activation,
}
"""Every operator by id, in the order mutants are made."""


def mutants(source: str, ops: list[str] | None = None) -> list[Mutant]:
    """Every mutant of `source` the operators (all, or those named) can make."""
    tree = ast.parse(source)
    base = Sites(tree)
    out: list[Mutant] = []
    for op_id, op in OPERATORS.items():
        if ops and op_id not in ops:
            continue
        counts: dict[str, int] = {}
        for node, what, words, edit in op(base):
            index = next(i for i, n in enumerate(base.nodes) if n is node)
            fresh = Sites(copy.deepcopy(tree))
            edit(fresh, fresh.nodes[index])
            ast.fix_missing_locations(fresh.tree)
            text = ast.unparse(fresh.tree)
            if text == ast.unparse(tree):
                continue
            func = base.func_name(node) if not isinstance(node, ast.FunctionDef) else node.name
            counts[func] = counts.get(func, 0) + 1
            out.append(Mutant(id=f"{op_id}:{func}:{counts[func]}", op=op_id, line=getattr(node, "lineno", 0),
                              what=what, source=text + "\n", words=words))
    return out

"""Mutation operators for tensor and formula code: another axis, mean for sum,
the batch flattened away, a constant for a computed value, a library call for a
by-hand computation, a comparison off by one, a parameter ignored, returned
values swapped, an activation left out. Same protocol as `tutor.dev.ops_training`.
"""

from __future__ import annotations

import ast
from typing import Iterator

from tutor.dev.sites import Sites, called, names_in, replace_in_parent, stmt
from tutor.dev.words import (ACTIVATION, AXIS, BY_HAND, FLATTEN, LIBRARY, MEAN_SUM, PERMUTE, RETURN_CONSTANT,
                             SIZE_CONSTANT, TRANSPOSE, Words)


_AXIS_METHODS = {"sum", "mean", "softmax", "log_softmax", "argmax", "argmin", "max", "min", "logsumexp",
                 "cumsum", "prod", "all", "any", "std", "var", "norm"}


_AXIS_SWAP = {0: 1, 1: 0, -1: 0}


def op_axis(ctx: Sites) -> Iterator[tuple]:
    """Another axis: dim 0 <-> 1, -1 -> 0 (keyword `dim=`/`axis=`, or the first argument of `x.sum(1)`)."""
    for node in ctx.nodes:
        if not isinstance(node, ast.Call) or ctx.func(node) is None:
            continue
        for kw in node.keywords:
            if kw.arg in ("dim", "axis") and isinstance(kw.value, ast.Constant) and kw.value.value in _AXIS_SWAP:
                yield kw, f"`{ast.unparse(node)}` with {kw.arg}={_AXIS_SWAP[kw.value.value]}", AXIS, \
                    lambda c, n: setattr(n, "value", ast.Constant(_AXIS_SWAP[n.value.value]))
        if (isinstance(node.func, ast.Attribute) and node.func.attr in _AXIS_METHODS and node.args
                and isinstance(node.args[0], ast.Constant) and node.args[0].value in _AXIS_SWAP
                and type(node.args[0].value) is int):
            yield node.args[0], f"`{ast.unparse(node)}` over axis {_AXIS_SWAP[node.args[0].value]}", AXIS, \
                lambda c, n: setattr(n, "value", _AXIS_SWAP[n.value])


def op_permute(ctx: Sites) -> Iterator[tuple]:
    """Axes in the wrong order: swap the last two of a `permute`/`transpose`; drop a `.T`."""
    for node in ctx.nodes:
        if called(node) in ("permute", "transpose") and isinstance(node.func, ast.Attribute) and len(node.args) >= 2:
            def swap(c, n):
                n.args[-1], n.args[-2] = n.args[-2], n.args[-1]
            yield node, f"`{ast.unparse(node)}` with its last two axes swapped", PERMUTE, swap
        elif isinstance(node, ast.Attribute) and node.attr == "T" and ctx.func(node) is not None:
            yield node, f"`{ast.unparse(node)}` without `.T`", TRANSPOSE, lambda c, n: replace_in_parent(c, n, n.value)


def op_mean_sum(ctx: Sites) -> Iterator[tuple]:
    """`sum` for `mean` and `mean` for `sum` (methods, torch functions, `reduction=`)."""
    swap = {"mean": "sum", "sum": "mean"}
    for node in ctx.nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in swap:
            yield node, f"`{ast.unparse(node)}` -> `{swap[node.func.attr]}`", MEAN_SUM, \
                lambda c, n: setattr(n.func, "attr", swap[n.func.attr])
        if isinstance(node, ast.keyword) and node.arg == "reduction" and isinstance(node.value, ast.Constant) and node.value.value in swap:
            yield node, f"reduction={node.value.value!r} -> {swap[node.value.value]!r}", MEAN_SUM, \
                lambda c, n: setattr(n, "value", ast.Constant(swap[n.value.value]))


def op_flatten(ctx: Sites) -> Iterator[tuple]:
    """`view(-1)` for `view(N, -1)`: the batch flattened away."""
    for node in ctx.nodes:
        if called(node) in ("view", "reshape") and isinstance(node.func, ast.Attribute) and len(node.args) == 2:
            if any(isinstance(a, ast.UnaryOp) and isinstance(a.operand, ast.Constant) and a.operand.value == 1 for a in node.args):
                yield node, f"`{ast.unparse(node)}` -> `.{node.func.attr}(-1)`", FLATTEN, \
                    lambda c, n: setattr(n, "args", [ast.UnaryOp(ast.USub(), ast.Constant(1))])


def _is_size(node: ast.AST) -> bool:
    if called(node) == "len" and isinstance(node.func, ast.Name):
        return True
    if called(node) in ("size", "numel") and isinstance(node.func, ast.Attribute) and len(node.args) <= 1:
        return not node.args or (isinstance(node.args[0], ast.Constant) and node.args[0].value == 0)
    return (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "shape"
            and isinstance(node.slice, ast.Constant) and node.slice.value == 0)


_TENSOR_HINTS = ("torch", "sum", "mean", "exp", "log", "max", "min", "matmul", "sigmoid")


_PLAIN_CALLS = ("item", "len", "float", "int", "round", "abs", "sum", "zip", "range", "enumerate", "tolist")


def _plain_number(code: ast.AST | None) -> bool:
    """Code with no tensor work in it (so what it returns is a plain number)."""
    for n in ast.walk(code or ast.Pass()):
        if isinstance(n, ast.Call) and not (called(n) in _PLAIN_CALLS or
                                            (called(n) or "").endswith("size")):
            return False
        if isinstance(n, (ast.Name, ast.Attribute)) and (n.id if isinstance(n, ast.Name) else n.attr) in _TENSOR_HINTS:
            return False
        if isinstance(n, ast.MatMult):
            return False
    return True


def op_constant(ctx: Sites) -> Iterator[tuple]:
    """A computed value replaced by a constant: a size (`len(x)`, `x.size(0)`) by 32, or an
    arithmetic result by 0."""
    for node in ctx.nodes:
        if ctx.func(node) is None:
            continue
        parent = ctx.parent.get(id(node))
        if _is_size(node) and not (isinstance(parent, ast.Call) and called(parent) == "range"):
            yield node, f"`{ast.unparse(node)}` -> 32", SIZE_CONSTANT, lambda c, n: replace_in_parent(c, n, ast.Constant(32))
        if isinstance(node, ast.Return) and isinstance(node.value, (ast.BinOp, ast.UnaryOp)) and _plain_number(ctx.func(node)):
            const = 0 if any(isinstance(n, ast.FloorDiv) for n in ast.walk(node.value)) else 0.0
            yield node, f"`{ast.unparse(node)}` -> `return {const!r}`", RETURN_CONSTANT, \
                lambda c, n, const=const: setattr(n, "value", ast.Constant(const))


def op_library(ctx: Sites) -> Iterator[tuple]:
    """A library call for the by-hand computation: looked up at call time, or bound at import
    (`from torch.nn.functional import mse_loss`), which a spy that swaps the library
    function only while the student's function runs does not see."""
    for node in ctx.tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name not in LIBRARY:
            continue
        module, name, call = LIBRARY[node.name]
        params = [a.arg for a in node.args.args]
        try:
            text = call.format(*params, f=f"{module}.{name}")
        except IndexError:
            continue

        def attr(c, n, text=text, module=module):
            n.body = stmt(f"import {module}\nreturn {text}")
        yield node, f"`{node.name}` returns `{module}.{name}(...)`", BY_HAND, attr
        alias = f"_{name}_lib"

        def bound(c, n, module=module, name=name, alias=alias, params=params, call=call):
            n.body = stmt(f"return {call.format(*params, f=alias)}")
            c.tree.body[0:0] = stmt(f"from {module} import {name} as {alias}")
        yield node, f"`{node.name}` returns `{name}(...)` imported at the top", BY_HAND, bound


_CMP_SWAP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}


_CMP_FLIP = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}


def op_compare(ctx: Sites) -> Iterator[tuple]:
    """A comparison off at its boundary (`<` for `<=`) or the wrong way round (`<` for `>`)."""
    for node in ctx.nodes:
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _CMP_SWAP and ctx.func(node):
            words = Words(names_in(node) or ("compar",), names_in(node) or ("比較",))
            for table, label in ((_CMP_SWAP, "at its boundary"), (_CMP_FLIP, "the wrong way round")):
                yield node, f"`{ast.unparse(node)}` {label}", words, \
                    lambda c, n, table=table: setattr(n, "ops", [table[type(n.ops[0])]()])


def op_ignore_param(ctx: Sites) -> Iterator[tuple]:
    """A parameter left out of a formula: treated as its default (`2 * padding` -> `2 * 0`),
    or a divisor as 1 (`x // stride` -> `x // 1`)."""
    for node in ctx.nodes:
        if not isinstance(node, ast.BinOp):
            continue
        func = ctx.func(node)
        if func is None:
            continue
        args = func.args.args
        defaults = {a.arg: d for a, d in zip(args[len(args) - len(func.args.defaults):], func.args.defaults)}
        for side in ("left", "right"):
            value = getattr(node, side)
            if not isinstance(value, ast.Name) or value.id not in {a.arg for a in args}:
                continue
            if value.id in defaults and isinstance(defaults[value.id], ast.Constant):
                neutral = defaults[value.id].value
            elif side == "right" and isinstance(node.op, (ast.Div, ast.FloorDiv)):
                neutral = 1
            else:
                continue
            yield value, f"`{ast.unparse(node)}` without `{value.id}`", Words((value.id,), (value.id,)), \
                lambda c, n, neutral=neutral: replace_in_parent(c, n, ast.Constant(neutral))


def op_swap_return(ctx: Sites) -> Iterator[tuple]:
    """Two returned values in each other's place (`ndim` and `numel` swapped)."""
    for node in ctx.nodes:
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and len(node.value.elts) >= 2:
            for i in range(len(node.value.elts) - 1):
                a, b = node.value.elts[i], node.value.elts[i + 1]
                words = Words(names_in(a) + names_in(b) + ("order", "swapped"), names_in(a) + names_in(b) + ("順", "入れ替"))

                def swap(c, n, i=i):
                    n.value.elts[i], n.value.elts[i + 1] = n.value.elts[i + 1], n.value.elts[i]
                yield node, f"`{ast.unparse(a)}` and `{ast.unparse(b)}` swapped", words, swap


_ACTIVATIONS = {"relu", "sigmoid", "tanh", "ReLU", "Sigmoid", "Tanh"}


def op_drop_activation(ctx: Sites) -> Iterator[tuple]:
    """An activation left out: `self.relu(h)` -> `h`, or `nn.ReLU()` taken out of an `nn.Sequential`."""
    for node in ctx.nodes:
        if ctx.func(node) is None or not isinstance(node, ast.Call):
            continue
        if called(node) in _ACTIVATIONS and len(node.args) == 1 and not node.keywords:
            yield node, f"`{ast.unparse(node)}` -> its input", ACTIVATION, lambda c, n: replace_in_parent(c, n, n.args[0])
        if called(node) == "Sequential":
            for i, arg in enumerate(node.args):
                if called(arg) in _ACTIVATIONS:
                    yield node, f"`nn.Sequential` without `{ast.unparse(arg)}`", ACTIVATION, \
                        lambda c, n, i=i: n.args.pop(i)

"""Mutation operators for training code: steps left out, the wrong loss, a softmax
before the loss, a learning rate or epochs too small, what was passed in ignored.

Each operator takes the `Sites` of a solution and yields, for every place its
mistake can be made, (node, what, words, edit); `tutor.dev.mutants` applies the
edit to a fresh copy.
"""

from __future__ import annotations

import ast
from typing import Iterator

from tutor.dev.sites import Sites, called, expr, mentions, params_of, replace_in_parent, replace_stmt, stmt
from tutor.dev.words import (ACTIVATION, DELETE_WORDS, DROP_WORDS, EPOCHS, FRESH_MODEL, LOSS_KIND, LOSS_MSE, LOSS_PARTNER,
                             LOSS_WORDS, LR, NO_GRAD, OPTIMIZER, SQUASH, Words)


_DELETE_SKIP = {"__init__", "print", "super"}


def op_delete(ctx: Sites) -> Iterator[tuple]:
    """Leave out a statement that only calls something (zero_grad, backward, step, eval...)
    or sets an attribute (`x.grad = None`, `p.requires_grad = False`)."""
    for node in ctx.nodes:
        if ctx.func(node) is None:
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            name = called(node.value)
            if name is None or name in _DELETE_SKIP or (isinstance(node.value.func, ast.Attribute)
                                                         and called(node.value.func.value) == "super"):
                continue
            words = DELETE_WORDS.get(name) or _helper_words(ctx, name) or Words((name,), (name,))
            if name == "append" and node.value.args and called(node.value.args[0]) in _ACTIVATION_NAMES:
                words = ACTIVATION  # a layer list without its activation
            yield node, f"leave out `{ast.unparse(node)}`", words, lambda c, n: replace_stmt(c, n, [])
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], (ast.Attribute, ast.Subscript)):
            target = node.targets[0]
            if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"
                    and ctx.func(node).name == "__init__"):
                continue  # a missing attribute of a module is an AttributeError, not a lesson
            if isinstance(target, ast.Attribute):
                words = DELETE_WORDS.get(target.attr, Words((target.attr,), (target.attr,)))
            elif isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
                words = Words((target.slice.value,), (target.slice.value,))
            else:
                continue
            yield node, f"leave out `{ast.unparse(node)}`", words, lambda c, n: replace_stmt(c, n, [])
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Attribute):
            attr = node.target.attr
            yield node, f"leave out `{ast.unparse(node)}`", Words((attr,), (attr,)), lambda c, n: replace_stmt(c, n, [])
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and called(node.exc) != "NotImplementedError":
            name = called(node.exc)
            yield node, f"no `raise {name}(...)`", Words((name,), (name,)), lambda c, n: replace_stmt(c, n, [])


_ACTIVATION_NAMES = {"ReLU", "Sigmoid", "Tanh", "LeakyReLU", "GELU", "relu", "sigmoid", "tanh"}


def _helper_words(ctx: Sites, name: str) -> Words | None:
    """For a call of a helper defined in the solution itself (`_wait(device)`), the words of the
    calls it makes (`torch.cuda.synchronize`): a student's file need not have that helper."""
    helper = next((n for n in ctx.tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
    if helper is None:
        return None
    en, ja = [], []
    for inner in ast.walk(helper):
        words = DELETE_WORDS.get(called(inner) or "") if isinstance(inner, ast.Call) else None
        if words is None and isinstance(inner, ast.Call) and called(inner):
            words = Words((called(inner),), (called(inner),))
        if words:
            en += [w for w in words.en if w not in en]
            ja += [w for w in words.ja if w not in ja]
    return Words(tuple(en), tuple(ja)) if en else None


def op_drop_call(ctx: Sites) -> Iterator[tuple]:
    """Leave out a call in a chain: `.detach()`, `.item()`, `.to(device)`, `.cpu()`, `.float()`..."""
    for node in ctx.nodes:
        name = called(node)
        if name in DROP_WORDS and isinstance(node.func, ast.Attribute) and ctx.func(node) is not None:
            if isinstance(ctx.parent.get(id(node)), ast.Expr):
                continue  # a statement of its own (`model.to(device)`): op_delete's case
            yield node, f"`{ast.unparse(node)}` without `.{name}(...)`", DROP_WORDS[name], \
                lambda c, n: replace_in_parent(c, n, n.func.value)


def op_no_grad(ctx: Sites) -> Iterator[tuple]:
    """Run a `with torch.no_grad():` block with gradients on."""
    for node in ctx.nodes:
        if isinstance(node, ast.With) and any(called(item.context_expr) in ("no_grad", "inference_mode") for item in node.items):
            yield node, "the block without `torch.no_grad()`", NO_GRAD, lambda c, n: replace_stmt(c, n, n.body)


def op_eval_train(ctx: Sites) -> Iterator[tuple]:
    """`model.train()` where `model.eval()` is called."""
    for node in ctx.nodes:
        if called(node) == "eval" and isinstance(node.func, ast.Attribute) and not node.args:
            yield node, f"`{ast.unparse(node)}` -> `.train()`", DELETE_WORDS["eval"], \
                lambda c, n: setattr(n.func, "attr", "train")


def _loss_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute) and node.attr in LOSS_KIND:
        return node.attr
    if isinstance(node, ast.Name) and node.id in LOSS_KIND:
        return node.id
    return None


def op_loss(ctx: Sites) -> Iterator[tuple]:
    """Another loss: CrossEntropy <-> NLL, BCE <-> BCEWithLogits, MSE for a cross entropy."""
    for node in ctx.nodes:
        name = _loss_name(node)
        if name is None or not isinstance(ctx.parent.get(id(node)), ast.Call) or ctx.parent[id(node)].func is not node:
            continue
        for other in (LOSS_PARTNER.get(name), LOSS_MSE.get(name)):
            if other is None:
                continue
            words = LOSS_WORDS["mse"] if other in ("MSELoss", "mse_loss", "L1Loss", "l1_loss") else LOSS_WORDS[LOSS_KIND[name]]

            def rename(c, n, other=other):
                if isinstance(n, ast.Attribute):
                    n.attr = other
                else:
                    n.id = other
            yield node, f"`{name}` -> `{other}`", words, rename


def _loss_bindings(ctx: Sites) -> dict[str, str]:
    """Names bound to a loss module (`loss_fn = nn.BCELoss()`) and the loss they are bound to."""
    found = {}
    for node in ctx.nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Call) and _loss_name(node.value.func):
                found[node.targets[0].id] = _loss_name(node.value.func)
    return found


def op_squash(ctx: Sites) -> Iterator[tuple]:
    """A softmax (cross entropies) or a sigmoid (the others) put before the loss."""
    bound = _loss_bindings(ctx)
    for node in ctx.nodes:
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = bound.get(node.func.id) if isinstance(node.func, ast.Name) else _loss_name(node.func)
        if name is None and isinstance(node.func, ast.Call):
            name = _loss_name(node.func.func)  # nn.MSELoss()(out, y)
        if name is None:
            continue
        wrap = "torch.softmax({}, dim=1)" if LOSS_KIND[name] == "ce" else "torch.sigmoid({})"

        def squash(c, n, wrap=wrap):
            n.args[0] = expr(wrap.format(ast.unparse(n.args[0])).replace("torch.", "__import__('torch')."))
        yield node, f"`{ast.unparse(node)}` on {wrap.split('(')[0]} of its input", SQUASH, squash


def op_lr(ctx: Sites) -> Iterator[tuple]:
    """A learning rate ten times too small."""
    for node in ctx.nodes:
        if isinstance(node, ast.keyword) and node.arg == "lr":
            yield node, f"lr={ast.unparse(node.value)} / 10", LR, \
                lambda c, n: setattr(n, "value", ast.BinOp(n.value, ast.Div(), ast.Constant(10)))


def op_epochs(ctx: Sites) -> Iterator[tuple]:
    """A tenth of the epochs (at least one): `range(epochs)` -> `range(max(1, epochs // 10))`."""
    for node in ctx.nodes:
        if not (isinstance(node, ast.For) and called(node.iter) == "range" and len(node.iter.args) == 1):
            continue
        arg = node.iter.args[0]
        func = ctx.func(node)
        trains = func is not None and any(called(n) == "backward" for n in ast.walk(func))
        epochish = mentions(node.target, "epoch") or mentions(arg, "epoch")
        if epochish or (trains and isinstance(arg, ast.Constant) and isinstance(arg.value, int) and arg.value >= 20):
            yield node, f"`range({ast.unparse(arg)})` -> a tenth of it", EPOCHS, \
                lambda c, n: setattr(n.iter, "args", [expr(f"max(1, ({ast.unparse(n.iter.args[0])}) // 10)")])


def op_ignore_given(ctx: Sites) -> Iterator[tuple]:
    """The optimizer passed in ignored (a new one made), or the model passed in trained as a copy."""
    for node in ctx.tree.body:
        if not isinstance(node, ast.FunctionDef) or not any(called(n) == "backward" for n in ast.walk(node)):
            continue
        params = params_of(node)
        if "optimizer" in params and "model" in params:
            yield node, f"`{node.name}` makes its own SGD optimizer", OPTIMIZER, \
                lambda c, n: n.body.insert(0, stmt("optimizer = __import__('torch').optim.SGD(model.parameters(), lr=0.01)")[0])
        if "model" in params:
            yield node, f"`{node.name}` trains a copy of the model", FRESH_MODEL, \
                lambda c, n: n.body.insert(0, stmt("model = __import__('copy').deepcopy(model)")[0])

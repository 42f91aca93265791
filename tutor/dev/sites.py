"""A parsed solution seen as places to mutate: parent links, enclosing functions,
and small `ast` helpers the operators share."""

from __future__ import annotations

import ast
from typing import Callable


class Sites:
    """A parsed solution with parent links and the enclosing function of each node."""

    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.nodes = list(ast.walk(tree))
        self.parent: dict[int, ast.AST] = {}
        for node in self.nodes:
            for child in ast.iter_child_nodes(node):
                self.parent[id(child)] = node

    def func(self, node: ast.AST) -> ast.AST | None:
        while id(node) in self.parent:
            node = self.parent[id(node)]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None

    def func_name(self, node: ast.AST) -> str:
        f = self.func(node)
        if f is None:
            return "<module>"
        owner = self.parent.get(id(f))
        return f"{owner.name}.{f.name}" if isinstance(owner, ast.ClassDef) else f.name


def called(node: ast.AST) -> str | None:
    """The name a call calls: `f` for f(...), `attr` for x.attr(...)."""
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return None


def mentions(node: ast.AST, word: str) -> bool:
    return any(isinstance(n, ast.Name) and word in n.id for n in ast.walk(node))


def names_in(node: ast.AST) -> tuple[str, ...]:
    """The identifiers and attribute names in an expression (the words for a mistake in it)."""
    found = []
    for n in ast.walk(node):
        name = n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else None
        if name and name not in ("self", "torch", "np", "nn", "F") and name not in found:
            found.append(name)
    return tuple(found)


def params_of(func: ast.AST) -> list[str]:
    return [a.arg for a in func.args.args] if isinstance(func, ast.FunctionDef) else []


# An edit: given the context of a fresh copy and the node at the chosen place, change the copy.
Edit = Callable[[Sites, ast.AST], None]


def replace_in_parent(ctx: Sites, old: ast.AST, new: ast.AST) -> None:
    parent = ctx.parent[id(old)]
    for field, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field, new)
            return
        if isinstance(value, list):
            for i, item in enumerate(value):
                if item is old:
                    value[i] = new
                    return


def replace_stmt(ctx: Sites, old: ast.stmt, new: list[ast.stmt]) -> None:
    parent = ctx.parent[id(old)]
    for field, value in ast.iter_fields(parent):
        if isinstance(value, list) and any(item is old for item in value):
            i = next(i for i, item in enumerate(value) if item is old)
            value[i:i + 1] = new or [ast.Pass()]
            return


def expr(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def stmt(text: str) -> list[ast.stmt]:
    return ast.parse(text).body

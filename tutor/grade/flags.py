"""What an instructor should look at: copies of the reference, near-duplicates, and code that reaches into the checker.

A re-run proves that the code as handed in passes; it cannot prove who wrote
it, nor that code attacking the checks from inside its own process did not
fool them. These flags point a person at the hand-ins to read; none of them
changes a grade.
"""

from __future__ import annotations

import ast
import builtins
import io
from dataclasses import dataclass

SIMILAR = 0.9
"""Both ways at least this share of fingerprints in common: a near-duplicate pair."""


@dataclass(frozen=True)
class Flag:
    """One finding about one hand-in (and exercise, where it has one)."""

    kind: str
    """claimed_but_fails, reference_copy, near_duplicate, reaches_into_checker, course_differs, no_passed_source,
    unreadable."""
    exercise: str | None
    detail: str


def normalised(source: str) -> str | None:
    """The code with comments, docstrings, formatting and local names taken out (None: not Python)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    names: dict[str, str] = {}
    keep = set(dir(builtins))

    def rename(name: str) -> str:
        if name in keep:
            return name
        return names.setdefault(name, f"v{len(names)}")

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            body[0] = ast.Pass()  # a docstring says nothing about the code
        if isinstance(node, ast.Name):
            node.id = rename(node.id)
        elif isinstance(node, ast.arg):
            node.arg = rename(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            node.name = rename(node.name)
    return ast.dump(tree, annotate_fields=False)


def is_reference_copy(source: str, reference: str) -> bool:
    """The source is the reference solution up to whitespace, comments, docstrings and names."""
    a, b = normalised(source), normalised(reference)
    return a is not None and a == b


_GLOBAL_MODULES = {"gc", "inspect", "ctypes", "tutor", "importlib", "cffi", "sys._getframe"}
_CALLS = {"exec", "eval", "compile", "__import__", "globals", "vars", "setattr", "delattr"}
_ATTRS = {"_getframe", "f_back", "f_globals", "f_locals", "tb_frame", "gi_frame", "cr_frame", "_exit",
          "__code__", "__globals__", "__builtins__", "__subclasses__", "get_referrers", "get_objects"}
_PATCHED_ROOTS = {"torch", "tutor", "builtins", "__builtins__", "sys", "os", "nn", "F", "np", "numpy"}


def scan(source: str) -> list[str]:
    """Lines that reach into the checker's process, each "line N: what" (empty when none, or not Python)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return []
    found: list[str] = []

    def add(node: ast.AST, what: str) -> None:
        found.append(f"line {getattr(node, 'lineno', '?')}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in _GLOBAL_MODULES:
                    add(node, f"imports {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in _GLOBAL_MODULES:
            add(node, f"imports from {node.module}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CALLS:
            add(node, f"calls {node.func.id}()")
        elif isinstance(node, ast.Attribute) and node.attr in _ATTRS:
            add(node, f"uses .{node.attr}")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                root = target
                while isinstance(root, (ast.Attribute, ast.Subscript)):
                    root = root.value
                if isinstance(target, (ast.Attribute, ast.Subscript)) and isinstance(root, ast.Name) \
                        and root.id in _PATCHED_ROOTS:
                    add(node, f"assigns to {ast.unparse(target)[:60]}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                any(s in node.value for s in ("site-packages/tutor", "tutor/_course", "/checks/", "solutions/")):
            add(node, f"names the tutor's files ({node.value[:60]!r})")
    return found


def near_duplicates(sources: dict[str, str], boilerplate: str = "") -> list[tuple[str, str, float]]:
    """Pairs of students whose sources for one exercise share most of their fingerprints (copydetect).

    `boilerplate` (the stub) is left out of the fingerprints, so two students
    who changed only the same few lines of a long stub are not a pair.
    """
    if len(sources) < 2:
        return []
    from copydetect import CodeFingerprint, compare_files

    def fingerprint(text: str, skip=()):
        return CodeFingerprint("x.py", 15, 1, boilerplate=list(skip), fp=io.StringIO(text))

    skip = []
    if boilerplate.strip():
        try:
            skip = list(fingerprint(boilerplate).hashes)
        except Exception:  # a stub too short to fingerprint: nothing to leave out
            skip = []
    prints = {}
    for student, text in sources.items():
        try:
            fp = fingerprint(text, skip)
        except Exception:
            continue
        if len(fp.hashes):
            prints[student] = fp
    pairs = []
    names = sorted(prints)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            _, (sim_a, sim_b), _ = compare_files(prints[a], prints[b])
            if min(sim_a, sim_b) >= SIMILAR:
                pairs.append((a, b, round(float(min(sim_a, sim_b)), 3)))
    return pairs

"""Catch a library call where an exercise asks for the computation by hand.

Three looks, because each alone can be slipped past:

* `LibraryWatch` swaps the library functions for counting ones while the
  student's function runs (a call through `torch.sigmoid` or `F.mse_loss`);
* `aliases` finds names in the student's module bound to those functions at
  import (`from torch.nn.functional import mse_loss`), which the swap cannot see;
* `graph_ops` lists the autograd nodes behind a result (`SigmoidBackward0`,
  `MseLossBackward0`, a convolution), whatever name the call went through,
  methods such as `u.sigmoid()` included.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Iterable

import torch


def _resolve(path: str) -> tuple[object, str, object]:
    """'torch.nn.functional.mse_loss' -> (the module or class, 'mse_loss', the function)."""
    owner_path, _, name = path.rpartition(".")
    parts = owner_path.split(".")
    owner: object = importlib.import_module(parts[0])
    for part in parts[1:]:
        owner = getattr(owner, part)
    return owner, name, getattr(owner, name)


class LibraryWatch:
    """Within the block, count calls of the library functions named by dotted path
    (`"torch.sigmoid"`, `"torch.Tensor.sigmoid"`, `"torch.nn.functional.mse_loss"`)."""

    def __init__(self, paths: Iterable[str]):
        self.targets = [_resolve(p) for p in paths]
        self.paths = list(paths)
        self.used: list[str] = []

    def __enter__(self) -> "LibraryWatch":
        # A method torch.Tensor inherits from its C base is not in its own __dict__:
        # on exit it is deleted again rather than copied in.
        self.own = [name in vars(owner) for owner, name, _ in self.targets]
        for (owner, name, original), path in zip(self.targets, self.paths):
            def counting(*args, _original=original, _path=path, **kwargs):
                self.used.append(_path)
                return _original(*args, **kwargs)

            setattr(owner, name, counting)
        return self

    def __exit__(self, *exc: object) -> bool:
        for (owner, name, original), own in zip(self.targets, self.own):
            if own:
                setattr(owner, name, original)
            else:
                delattr(owner, name)
        return False


def aliases(module: ModuleType, paths: Iterable[str]) -> list[str]:
    """The names in `module` (the student's) bound to one of the library functions or classes."""
    originals = {id(_resolve(p)[2]): p for p in paths}
    found = []
    for name, value in list(vars(module).items()):
        if id(value) in originals and not name.startswith("__"):
            found.append(f"{name} ({originals[id(value)]})")
    return found


def graph_ops(result: object, limit: int = 10000) -> set[str]:
    """The names of the autograd nodes behind `result` (a tensor, or a tuple/list of them)."""
    roots = list(result) if isinstance(result, (tuple, list)) else [result]
    todo = [r.grad_fn for r in roots if isinstance(r, torch.Tensor) and r.grad_fn is not None]
    seen: set[int] = set()
    names: set[str] = set()
    while todo and len(seen) < limit:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        names.add(type(node).__name__)
        todo.extend(fn for fn, _ in getattr(node, "next_functions", ()))
    return names

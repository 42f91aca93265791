"""Keep the libraries the checks use as they were before student code ran.

A student's file may rebind `torch.allclose`, `torch.Tensor.__eq__` or
`np.isclose`, at import or inside a function; every later diagnosis would then
use the student's version and could turn a tampered answer into wrong advice.
A `Snapshot` records the attributes of the namespaces checks rely on, and
`restore()` puts back every recorded attribute that was rebound or deleted
since (additions stay: they cannot change what a check calls). The harness
restores after the student's module is imported and after every check, and
`Ctx.call` after every call into student code, so each diagnosis runs with the
libraries as torch shipped them (and with the probes a check set up itself).

This raises the bar; it is no sandbox: code that runs in the process can reach
anything in it.
"""

from __future__ import annotations

import builtins
import math
import types

import torch
import torch.nn.functional

try:
    import numpy
except ImportError:  # pragma: no cover - numpy comes with torch's usual installs
    numpy = None


def _namespaces() -> list[object]:
    found: list[object] = [torch, torch.Tensor, torch.nn.functional, torch.nn.Module, torch.nn.init, torch.autograd,
                           torch.linalg, torch.optim.Optimizer, torch.utils.data.DataLoader, math, builtins]
    if numpy is not None:
        found += [numpy, numpy.ndarray, numpy.random, numpy.linalg]
    seen = {id(n) for n in found}
    # Every class in torch.nn and torch.optim (their forward and step).
    for module in (torch.nn, torch.optim):
        for value in vars(module).values():
            if isinstance(value, type) and id(value) not in seen:
                found.append(value)
                seen.add(id(value))
    return found


_GUARDED = [ns for ns in _namespaces() if isinstance(ns, (types.ModuleType, type))]
"""Found once, at import (before any student code): listing torch.nn's classes takes milliseconds."""

_SKIP = ("__dict__", "__weakref__", "__doc__")


class Snapshot:
    """The attributes of the guarded namespaces at one moment (about a millisecond to take)."""

    def __init__(self) -> None:
        self._saved = [(ns, dict(vars(ns))) for ns in _GUARDED]
        self.rebound: dict[str, object] = {}
        """What `restore` found rebound, by dotted name ("torch.allclose"): the student's value,
        so a check can still name the mistake (`torch.use_deterministic_algorithms = True`)."""

    def restore(self) -> int:
        """Put back every attribute rebound or deleted since, and remove what was added to a
        class (an addition to `torch.Tensor` shadows the method of its C base); returns how many."""
        fixed = 0
        for ns, saved in self._saved:
            now = vars(ns)
            changed = [k for k, v in saved.items() if k not in _SKIP and now.get(k, _MISSING) is not v]
            added = [k for k in now if k not in saved] if isinstance(ns, type) else []
            for key in changed + added:
                self.rebound[f"{_qualname(ns)}.{key}"] = now.get(key)
            for key in changed:
                try:
                    setattr(ns, key, saved[key])
                    fixed += 1
                except (AttributeError, TypeError):  # read-only slots of C types
                    pass
            for key in added:
                try:
                    delattr(ns, key)
                    fixed += 1
                except (AttributeError, TypeError):
                    pass
        return fixed


def _qualname(ns: object) -> str:
    if isinstance(ns, type):
        return f"{ns.__module__}.{ns.__qualname__}"
    return ns.__name__


_MISSING = object()

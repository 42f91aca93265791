"""The `@check` decorator and the ordered list of checks in a check file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from tutor.i18n import Text

_REGISTRY: list["CheckSpec"] = []


@dataclass(frozen=True)
class CheckSpec:
    """One declared check: its id, its title in both languages, its function."""

    id: str
    title: Text
    func: Callable
    needs_gpu: bool = False


def check(*, ja: str, en: str, needs_gpu: bool = False) -> Callable[[Callable], Callable]:
    """Declare a check; `ja`/`en` is the one-line title shown in the verdict."""

    def register(func: Callable) -> Callable:
        _REGISTRY.append(CheckSpec(id=func.__name__, title=Text(ja=ja, en=en), func=func, needs_gpu=needs_gpu))
        return func

    return register


def collect() -> list[CheckSpec]:
    """Take the checks registered so far (the harness calls this after loading a check file)."""
    specs = list(_REGISTRY)
    _REGISTRY.clear()
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"two checks share a name: {ids}")
    return specs

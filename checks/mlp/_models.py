"""Helpers shared by the mlp lesson's checks of student-written nn.Module classes."""

from torch import nn


def _module_lists(model):
    """Names of plain lists/tuples/dicts on the model that hold modules (so their parameters are not registered)."""
    found = []
    for key, value in vars(model).items():
        items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
        if key.startswith("_") and isinstance(value, dict):
            continue  # nn.Module's own bookkeeping (_parameters, _modules, ...)
        if any(isinstance(v, nn.Module) for v in items):
            found.append(key)
    return found


def _super_failure(t, cls_name, exc):
    t.fail(ja=f"`{cls_name}` の `__init__` で `super().__init__()` を呼んでいません (または層を作ったあとで呼んでいます)。"
              f"nn.Module は自分の準備が済むまで層を属性として受け付けないので、`__init__` の最初の行で呼んでください ({exc})。",
           en=f"`{cls_name}.__init__` does not call `super().__init__()` (or calls it after making the layers). "
              f"nn.Module cannot take layers as attributes before it has set itself up: call it on the first line of `__init__` ({exc}).")

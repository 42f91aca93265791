"""`Ctx`: what every check function receives, and the assertions it uses."""

from __future__ import annotations

import random
from types import ModuleType
from typing import Any, Callable, Sequence

import torch

from tutor.checkkit import compare, plots
from tutor.checkkit.failures import CheckFailure, Todo

# Bound at import, before any student code runs (see compare.py).
_allclose = torch.allclose


class Ctx:
    """The context of one check run.

    Attributes:
        seed: the run's seed, chosen by the tutor per run so hard-coded outputs fail.
        rng: a `random.Random` seeded from `seed`, private to the checks.
        gen: a `torch.Generator` (CPU) seeded from `seed`, for drawing tensors.
        device: the `torch.device` the run uses ("cpu" or "cuda").
        student: the student's module, already imported.
    """

    def __init__(self, student: ModuleType, seed: int, device: torch.device, check_id: str = ""):
        self.student = student
        self.seed = seed
        # Each check gets its own stream, so adding a check does not change
        # the inputs of the others.
        mixed = (seed * 1_000_003 + sum(map(ord, check_id))) % (2**63)
        self.rng = random.Random(mixed)
        self.gen = torch.Generator().manual_seed(mixed)
        self.device = device
        self.figures: list[dict] = []
        """Figures drawn by this check (plain data; the harness sends them)."""
        self._check_id = check_id

    # -- the student's code ------------------------------------------------

    def fn(self, name: str) -> Callable:
        """The student's function or class called `name`, or a failure that says it is missing."""
        obj = getattr(self.student, name, None)
        if obj is None or not callable(obj):
            raise CheckFailure(
                ja=f"ファイルに `{name}` が見つかりません。名前を変えたり消したりしていませんか。",
                en=f"`{name}` is not defined in your file. Did you rename or delete it?",
            )
        return obj

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call the student's `name(*args, **kwargs)`; a left-over TODO becomes a clear failure."""
        func = self.fn(name)
        try:
            return func(*args, **kwargs)
        except NotImplementedError as exc:
            # A TODO is a NotImplementedError raised in the student's own file;
            # torch raises it too (copying out of a meta tensor, say): an error.
            if not self._raised_in_student(exc):
                raise
            raise Todo(name) from exc

    def _raised_in_student(self, exc: BaseException) -> bool:
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        return tb is not None and tb.tb_frame.f_code.co_filename == getattr(self.student, "__file__", None)

    # -- figures -----------------------------------------------------------

    def plot_line(self, fig_id: str, *, ja: str, en: str, lines: dict[str, object],
                  x_label: tuple[str, str] | None = None, y_label: tuple[str, str] | None = None) -> None:
        """A line plot of named series, e.g. `{"loss": losses, "val_loss": val}` per epoch."""
        self._figure(plots.line, fig_id, (ja, en), lines, x_label=x_label, y_label=y_label)

    def plot_points(self, fig_id: str, *, ja: str, en: str, x: object, y: object | None = None,
                    **options: object) -> None:
        """A scatter plot: points by class, a fitted line, a decision boundary (see `plots.points`)."""
        self._figure(plots.points, fig_id, (ja, en), x, y, **options)

    def plot_images(self, fig_id: str, *, ja: str, en: str, images: object, labels=None, marks=None,
                    cmap: str = "gray") -> None:
        """A grid of small pictures (digits, weights, kernels); `marks` highlights mistakes."""
        self._figure(plots.images, fig_id, (ja, en), images, labels=labels, marks=marks, cmap=cmap)

    def _figure(self, build: Callable, *args: Any, **kwargs: Any) -> None:
        # A figure is an extra: what the student returned may be anything, and
        # a figure that cannot be drawn from it must not change the verdict.
        try:
            figure = build(*args, **kwargs)
        except Exception:
            return
        figure["check"] = self._check_id
        self.figures.append(figure)

    # -- drawing inputs ----------------------------------------------------

    def randn(self, *shape: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
        """Standard normal values drawn from the run's generator."""
        return torch.randn(*shape, generator=self.gen, dtype=dtype)

    def uniform(self, low: float, high: float) -> float:
        """A float in [low, high) from the run's random source."""
        return self.rng.uniform(low, high)

    # -- assertions --------------------------------------------------------

    def fail(self, *, ja: str, en: str) -> None:
        """Fail this check with a message in both languages."""
        raise CheckFailure(ja=ja, en=en)

    def expect(self, condition: object, *, ja: str, en: str) -> None:
        """Fail with the message unless `condition` is true (a real bool, not a tensor trick)."""
        if type(condition) is not bool:
            if isinstance(condition, torch.Tensor) and type(condition) is torch.Tensor and condition.numel() == 1:
                condition = bool(condition.item())
            else:
                condition = False
        if not condition:
            raise CheckFailure(ja=ja, en=en)

    def mistake(self, condition: object, *, ja: str, en: str) -> None:
        """Fail with the message if `condition` holds: use it to name a typical mistake."""
        if type(condition) is bool and condition:
            raise CheckFailure(ja=ja, en=en)

    def tensor(self, got: object, expected: torch.Tensor, *, name: str, atol: float = 1e-5,
               rtol: float = 1e-4, dtype: bool = True, device: bool = False) -> torch.Tensor:
        """Compare a tensor with the expected one: type, shape, dtype, device, NaN, values.

        Returns the student's tensor as a plain detached tensor for further checks.
        """
        if device:
            if isinstance(got, torch.Tensor):
                compare.check_device(got, expected.device, name)
        plain = compare.plain_tensor(got, name)
        compare.check_shape(plain, tuple(expected.shape), name)
        if dtype:
            compare.check_dtype(plain, expected.dtype, name)
        compare.check_values(plain, expected, name, atol, rtol)
        return plain

    def gradient(self, got: object, expected: torch.Tensor, *, name: str, atol: float = 1e-4,
                 rtol: float = 1e-4) -> torch.Tensor:
        """Compare a gradient (e.g. `x.grad`); a missing one gets a message about why it is None."""
        if got is None:
            raise CheckFailure(
                ja=(f"`{name}` が None です。`backward()` を呼んだか、そのテンソルが `requires_grad=True` の葉か、"
                    "途中のテンソルなら `retain_grad()` を呼んだかを確かめてください。"),
                en=(f"`{name}` is None. Did you call `backward()`? Is the tensor a leaf with `requires_grad=True`, "
                    "or, for an intermediate tensor, did you call `retain_grad()`?"),
            )
        plain = compare.plain_tensor(got, name)
        compare.check_shape(plain, tuple(expected.shape), name)
        g = plain.double()
        e = expected.detach().double()
        if bool(e.abs().sum() > 0) and _allclose(g, 2 * e, atol=atol, rtol=rtol):
            raise CheckFailure(
                ja=f"`{name}` が正しい値のちょうど 2 倍です。勾配は `zero_grad()` (または `.grad.zero_()`) で消すまで足し合わされます。",
                en=f"`{name}` is exactly twice the right value: gradients accumulate until you zero them (`zero_grad()` or `.grad.zero_()`).",
            )
        compare.check_values(plain, expected, name, atol, rtol)
        return plain

    def shape(self, got: object, shape: Sequence[int], *, name: str) -> torch.Tensor:
        """Check only that `got` is a tensor of the given shape."""
        plain = compare.plain_tensor(got, name)
        compare.check_shape(plain, tuple(shape), name)
        return plain

    def dtype(self, got: object, dtype: torch.dtype, *, name: str) -> torch.Tensor:
        """Check only that `got` is a tensor of the given dtype."""
        plain = compare.plain_tensor(got, name)
        compare.check_dtype(plain, dtype, name)
        return plain

    def scalar(self, got: object, expected: float, *, name: str, atol: float = 1e-6, rtol: float = 1e-5) -> float:
        """Check a number (int, float or one-element tensor) against `expected`."""
        return compare.check_scalar(got, float(expected), name, atol, rtol)

    def equal(self, got: object, expected: object, *, name: str) -> None:
        """Exact equality for plain data (ints, strings, tuples, lists, bools, None).

        The type is checked first so an object whose `__eq__` always says True
        cannot pass.
        """
        if not _same_plain(got, expected):
            raise CheckFailure(
                ja=f"`{name}` が {_show(got)} ですが、{_show(expected)} になるはずです。",
                en=f"`{name}` is {_show(got)} but should be {_show(expected)}.",
            )

    def decreased(self, losses: Sequence[float], *, name: str = "loss", factor: float = 0.5) -> None:
        """The last loss must be below `factor` times the first, and finite."""
        values = [compare.check_scalar(v, 0.0, name, atol=float("inf"), rtol=0.0) for v in losses]
        if len(values) < 2:
            self.fail(ja=f"`{name}` の記録が {len(values)} 個しかありません。", en=f"Only {len(values)} `{name}` value(s) were recorded.")
        if not values[-1] < factor * values[0]:
            self.fail(
                ja=f"`{name}` が十分に下がっていません ({values[0]:.4g} → {values[-1]:.4g})。`zero_grad()`、`backward()`、`step()` の順番と学習率を確かめてください。",
                en=f"`{name}` did not go down enough ({values[0]:.4g} -> {values[-1]:.4g}). Check the order zero_grad(), backward(), step() and the learning rate.",
            )


_PLAIN = (int, float, str, bool, type(None))


def _same_plain(a: object, b: object) -> bool:
    # torch.Size is a tuple subclass; a student returning `x.shape` means the tuple.
    a = tuple(a) if type(a) is torch.Size else a
    b = tuple(b) if type(b) is torch.Size else b
    if type(a) is not type(b):
        # 3 and 3.0 are the same number for a student; anything else must match exactly.
        if type(a) in (int, float) and type(b) in (int, float):
            return float(a) == float(b)
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same_plain(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same_plain(a[k], b[k]) for k in a)
    if type(a) in _PLAIN:
        return a == b
    if isinstance(a, torch.dtype):
        return a is b
    return False


def _show(value: object) -> str:
    text = repr(value) if type(value) in _PLAIN or isinstance(value, (list, tuple, dict, torch.dtype, torch.Size)) else f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."

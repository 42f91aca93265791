"""`Ctx`: what every check function receives, and the assertions it uses."""

from __future__ import annotations

import numbers
import os
import random
from types import ModuleType
from typing import Any, Callable, Sequence

import torch

from tutor.checkkit import compare, plots
from tutor.checkkit.library import LibraryWatch, aliases, graph_ops
from tutor.checkkit.failures import CheckFailure, Todo
from tutor.checkkit.guard import Snapshot

# Bound at import, before any student code runs (see compare.py).
_allclose = torch.allclose
_get_rng_state = torch.get_rng_state
_set_rng_state = torch.set_rng_state


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
        self.rebound: dict[str, object] = {}
        """Library attributes the student's code rebound during `call`, by dotted name, with the
        value it gave them; they are already put back (see `tutor.checkkit.guard`)."""
        self._check_id = check_id
        self.study: dict | None = None
        """An experiment's study as the tutor ran it (settings, results, discussion, spec); see
        `tutor.checkkit.study`. None for an ordinary exercise."""

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
        before = Snapshot()
        try:
            return func(*args, **kwargs)
        except NotImplementedError as exc:
            # A TODO is a NotImplementedError raised in the student's own file;
            # torch raises it too (copying out of a meta tensor, say): an error.
            if not self._raised_in_student(exc):
                raise
            raise Todo(name) from exc
        finally:
            before.restore()  # whatever the call rebound in torch, the check judges with the original
            self.rebound.update(before.rebound)

    def by_hand(self, name: str, *args: Any, library: Sequence[str], nodes: Sequence[str] = (),
                graph: bool = True, **kwargs: Any) -> Any:
        """Call the student's `name`, which must compute by hand: fail if it uses one of the
        `library` functions (dotted paths), called, bound at import in the student's file, or
        seen as one of `nodes` (e.g. "SigmoidBackward0") in the result's autograd graph. With
        `graph`, a second call on copies of the float arguments that require grad shows the
        graph (the random state is put back after it)."""
        func = self.fn(name)
        bound = [a for a in aliases(self.student, library) if _uses(func, self.student, a.split(" ")[0])]
        if bound:
            self._library_failure(name, bound[0])
        with LibraryWatch(library) as watch:
            got = self.call(name, *args, **kwargs)
            seen = graph_ops(got)
            if graph and nodes and not seen:
                # Not leaves (`+ 0`), so an in-place library call (`u.clone().sigmoid_()`) still works there.
                probe = [a.detach().clone().requires_grad_(True) + 0 if isinstance(a, torch.Tensor) and a.is_floating_point()
                         else a for a in args]
                state = _get_rng_state()
                try:
                    seen = graph_ops(self.call(name, *probe, **kwargs))
                except Exception:  # the probe is a second look; the first call's answer is what is judged
                    seen = set()
                finally:
                    _set_rng_state(state)
        if watch.used:
            self._library_failure(name, watch.used[0])
        used = sorted(seen & set(nodes))
        if used:
            self._library_failure(name, f"{used[0]} in the autograd graph")
        return got

    def _library_failure(self, name: str, what: str) -> None:
        raise CheckFailure(
            ja=f"`{name}` の中でライブラリの関数を使っています ({what})。この関数では、定義どおりの計算を自分で書いてください。",
            en=f"`{name}` uses a library function ({what}). In this function write the computation yourself, by hand, from its definition.",
        )

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

    def number(self, got: object, *, name: str) -> float:
        """A plain Python number (int or float, not bool, not a tensor), as a float.

        A one-element tensor is refused, not converted: the contract asks for a number,
        and a tensor that is kept holds its whole autograd graph in memory."""
        if isinstance(got, torch.Tensor):
            graph_ja = " (計算グラフもつながったままです)" if got.requires_grad else ""
            graph_en = " (still holding its autograd graph)" if got.requires_grad else ""
            raise CheckFailure(
                ja=f"`{name}` がテンソルです{graph_ja}。`.item()` で Python の数値 (float) にしてから返してください。",
                en=f"`{name}` is a tensor{graph_en}, not a number: turn it into a Python float with `.item()`.",
            )
        if isinstance(got, bool) or not isinstance(got, numbers.Real):
            raise CheckFailure(ja=f"`{name}` が {type(got).__name__} になっています。数値 (float) にしてください。",
                               en=f"`{name}` should be a number (a float) but is a {type(got).__name__}.")
        return float(got)

    def floats(self, got: object, *, name: str) -> list[float]:
        """A list (or tuple) of plain numbers, each checked with `number`."""
        if not isinstance(got, (list, tuple)):
            raise CheckFailure(ja=f"`{name}` が {type(got).__name__} になっています。数値 (float) のリストにしてください。",
                               en=f"`{name}` should be a list of numbers (floats) but is a {type(got).__name__}.")
        return [self.number(v, name=f"{name}[{i}]") for i, v in enumerate(got)]

    def close(self, got: object, expected: object, *, rtol: float = 1e-4, atol: float = 1e-6) -> bool:
        """True when `got` is a number or tensor equal to `expected` within tolerance (never raises):
        to recompute an answer under a suspected mistake and name it."""
        if isinstance(got, torch.Tensor) and type(got) not in (torch.Tensor, torch.nn.Parameter):
            return False  # a subclass can pretend to equal anything
        try:
            g = got.detach().double().cpu() if isinstance(got, torch.Tensor) else torch.tensor(float(got), dtype=torch.float64)
            e = (expected.detach().double().cpu() if isinstance(expected, torch.Tensor)
                 else torch.tensor(float(expected), dtype=torch.float64))
            if g.numel() == 1 and e.numel() == 1:
                g, e = g.reshape(()), e.reshape(())
            return g.shape == e.shape and bool(_allclose(g, e, rtol=rtol, atol=atol))
        except Exception:
            return False

    def reduction(self, got: object, expected: object, count: int, *, name: str, rtol: float = 1e-4, atol: float = 1e-6) -> None:
        """Fail naming the mistake when `got` is `count` times (a sum for a mean) or 1/`count`
        of (a mean for a sum) the expected value."""
        if count <= 1 or self.close(got, expected, rtol=rtol, atol=atol):
            return
        if self.close(got, expected * count if isinstance(expected, torch.Tensor) else float(expected) * count, rtol=rtol, atol=atol):
            raise CheckFailure(
                ja=f"`{name}` が正しい値のちょうど {count} 倍です。平均をとるところで合計 (sum) になっています。",
                en=f"`{name}` is exactly {count} times the right value: a sum where the mean is asked for.")
        if self.close(got, expected / count if isinstance(expected, torch.Tensor) else float(expected) / count, rtol=rtol, atol=atol):
            raise CheckFailure(
                ja=f"`{name}` が正しい値のちょうど 1/{count} です。合計をとるところで平均 (mean) になっています。",
                en=f"`{name}` is exactly 1/{count} of the right value: a mean where the sum is asked for.")

    def unseen_gen(self) -> torch.Generator:
        """A generator seeded from the operating system, for held-out data drawn after the
        student's code ran: no frame holds that data while student code runs, and it
        cannot be predicted from the run's seed."""
        return torch.Generator().manual_seed(int.from_bytes(os.urandom(8), "little") % (2**63))

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
                ja=f"`{name}` が {_show(got)} になっていますが、正しくは {_show(expected)} です。",
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


def _uses(func: object, module: ModuleType, name: str, depth: int = 0) -> bool:
    """True when `func` (or a function of the student's module it calls, or a method of a class
    it is) refers to the global `name`."""
    if depth > 8:
        return False
    code = getattr(func, "__code__", None)
    if code is None and isinstance(func, type):
        return any(_uses(v, module, name, depth + 1) for v in vars(func).values() if callable(v))
    if code is None:
        return False
    names: set[str] = set()
    todo = [code]
    while todo:
        c = todo.pop()
        names |= set(c.co_names)
        todo.extend(k for k in c.co_consts if hasattr(k, "co_names"))
    if name in names:
        return True
    return any(_uses(getattr(module, n), module, name, depth + 1) for n in names
               if n != getattr(func, "__name__", None) and getattr(getattr(module, n, None), "__module__", None) == module.__name__)

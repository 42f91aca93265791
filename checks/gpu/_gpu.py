"""Helpers shared by the checks of lesson 7 (GPU): fake devices, patches and recorders.

These make GPU mistakes visible on a machine without a GPU:

- `cuda_available(flag)` patches `torch.cuda.is_available` / `device_count` for a
  moment, so `pick_device` can be tried on both branches.
- `DeviceLog` is a `TorchFunctionMode` that watches every torch call of the
  student's code: every `.to()`/`.cuda()`/`.cpu()` (where from, where to) and
  the last operation with its tensors, so that a device mismatch can be traced
  to the tensor that stayed behind (`x.to(device)` not assigned, the model not
  moved, a hard-coded "cpu" or "cuda").
- `GpuLike` is a tensor that says it lives on `cuda:0` (its data is on the CPU):
  `.numpy()` refuses it exactly like a real CUDA tensor, `.cpu()` gives back a
  plain CPU tensor.
- `patched(obj, name, value)` swaps one attribute and always restores it.

Everything is bound at import, before any student code runs.
"""

from __future__ import annotations

import contextlib

import torch
from torch.overrides import TorchFunctionMode

from tutor.checkkit import Todo

_parse_to = torch._C._nn._parse_to
_Tensor = torch.Tensor
_Parameter = torch.nn.Parameter
_DisableSubclass = torch._C.DisableTorchFunctionSubclass
_numpy = torch.Tensor.numpy
_array = torch.Tensor.__array__
_cpu = torch.Tensor.cpu
_to = torch.Tensor.to
_backward = torch.Tensor.backward

NO_DRIVER = ("Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU "
             "and installed a driver from http://www.nvidia.com/Download/index.aspx")
"""What torch says when CUDA is asked for on a machine without a GPU."""


def call(t, name, *args, **kwargs):
    """Call the student's `name`; return (result, None) or (None, exception).

    A bare `NotImplementedError` (the stub's TODO) becomes the usual Todo
    failure; one with a message (e.g. "Cannot copy out of meta tensor") is an
    ordinary exception the check explains.
    """
    func = t.fn(name)
    try:
        return func(*args, **kwargs), None
    except NotImplementedError as exc:
        if not str(exc):
            raise Todo(name) from exc
        return None, exc
    except Exception as exc:  # noqa: BLE001 - the check names what went wrong
        return None, exc


def describe(exc: BaseException) -> str:
    """`Type: message`, cut to a readable length."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 300 else text[:297] + "..."


def mentions_cuda(exc: BaseException | None) -> bool:
    """True for the errors torch raises when CUDA is used on a machine without a GPU."""
    if exc is None:
        return False
    text = str(exc)
    return "NVIDIA driver" in text or "not compiled with CUDA" in text or ("CUDA" in text and "deserialize" not in text)


@contextlib.contextmanager
def patched(obj, name, value):
    """Set `obj.name = value` for the block, then put the original back."""
    original = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, original)


class Availability:
    """A stand-in for `torch.cuda.is_available` that counts how often it is asked."""

    def __init__(self, flag: bool):
        self.flag = flag
        self.asked = 0

    def is_available(self) -> bool:
        self.asked += 1
        return self.flag

    def device_count(self) -> int:
        self.asked += 1
        return 1 if self.flag else 0


@contextlib.contextmanager
def cuda_available(flag: bool):
    """Pretend, for the block, that a GPU is (or is not) available."""
    fake = Availability(flag)
    with patched(torch.cuda, "is_available", fake.is_available), patched(torch.cuda, "device_count", fake.device_count):
        yield fake


def _device_of_move(name: str, args: tuple, kwargs: dict) -> torch.device | None:
    try:
        if name == "cpu":
            return torch.device("cpu")
        if name == "cuda":
            index = args[1] if len(args) > 1 else kwargs.get("device")
            return torch.device("cuda") if index is None else torch.device("cuda", index) if isinstance(index, int) else torch.device(index)
        kw = {k: v for k, v in kwargs.items() if k in ("device", "dtype", "non_blocking", "memory_format")}
        return _parse_to(*args[1:], **kw)[0]
    except Exception:  # noqa: BLE001 - an odd argument: the move is recorded without a target
        return None


class Move:
    """One `.to()`/`.cuda()`/`.cpu()` call: the tensor it was called on and where it was sent."""

    def __init__(self, source: torch.Tensor, target: torch.device | None, method: str):
        self.source = source
        self.target = target
        self.method = method
        self.from_type = source.device.type
        self.is_param = isinstance(source, _Parameter)


def _tensors(obj, out, depth=0):
    if isinstance(obj, _Tensor):
        out.append(obj)
    elif isinstance(obj, (list, tuple)) and depth < 2:
        for item in obj:
            _tensors(item, out, depth + 1)
    elif isinstance(obj, dict) and depth < 2:
        for item in obj.values():
            _tensors(item, out, depth + 1)
    return out


class DeviceLog(TorchFunctionMode):
    """Watches the torch calls made inside the block (student code included).

    `moves`: every `.to()`/`.cuda()`/`.cpu()` on a tensor or parameter (module
    moves go through them too). `last`: the name and tensors of the most recent
    public torch operation, which is the failing one when an exception stops
    the code. `reads`: `.item()`/`.cpu()`/`.numpy()`/`.tolist()` on meta tensors.
    """

    def __init__(self):
        super().__init__()
        self.moves: list[Move] = []
        self.last: tuple[str, list[torch.Tensor]] | None = None
        self.reads: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "") or ""
        if args and isinstance(args[0], _Tensor):
            if name in ("item", "tolist", "numpy", "__float__", "__int__", "__index__") or (name in ("cpu", "to") and args[0].device.type == "meta"):
                if args[0].device.type == "meta":
                    target = _device_of_move(name, args, kwargs) if name in ("cpu", "to") else torch.device("cpu")
                    if target is not None and target.type == "cpu":
                        self.reads.append(name)
        if name in ("to", "cuda", "cpu") and args and isinstance(args[0], _Tensor):
            self.moves.append(Move(args[0], _device_of_move(name, args, kwargs), name))
        elif not name.startswith("_") and name not in ("__get__", "__set__"):
            self.last = (name, _tensors(list(args) + list(kwargs.values()), []))
        if name == "backward" and func is not _backward:
            # `Tensor.backward` patched by another probe (ZeroGradWatch) has run
            # already and handed over to the original, which dispatched here:
            # calling the patched one again would count every backward twice.
            func = _backward
        return func(*args, **kwargs)

    # -- questions a check asks afterwards ---------------------------------

    def moved_to(self, kind: str) -> list[Move]:
        """The moves whose target is a device of this type ("cuda", "cpu", "meta")."""
        return [m for m in self.moves if m.target is not None and m.target.type == kind]

    def moved(self, tensor: torch.Tensor, kind: str) -> bool:
        """True if `.to()` (or `.cuda()`/`.cpu()`) was called on this very tensor towards `kind`."""
        return any(m.source is tensor and m.target is not None and m.target.type == kind for m in self.moves)

    def mixed(self) -> tuple[str, list[torch.Tensor]] | None:
        """The last operation if it mixed devices (0-dim CPU tensors may mix and are left out)."""
        if self.last is None:
            return None
        name, tensors = self.last
        real = [x for x in tensors if not (x.dim() == 0 and x.device.type == "cpu")]
        if len({x.device.type for x in real}) > 1:
            return name, real
        return None


class GpuLike(torch.Tensor):
    """A tensor that says it lives on `cuda:0`; its data is on the CPU.

    `.numpy()` (and `numpy.asarray`) refuse it with the message torch gives for a
    real CUDA tensor; `.cpu()` or `.to("cpu")` return a plain CPU tensor; every
    other operation keeps it "on the GPU". Operations between it and ordinary
    CPU tensors (a model's weights) work, so a model output on the "GPU" can be
    made from it.
    """

    @property
    def device(self):  # noqa: D401 - it pretends
        return torch.device("cuda", 0)

    @property
    def is_cuda(self):
        return True

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func is _numpy and not kwargs.get("force", False):
            raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.")
        if func is _array:
            raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.")
        to_cpu = func is _cpu or (func is _numpy)
        if func is _to:
            target = _device_of_move("to", args, kwargs)
            to_cpu = target is not None and target.type == "cpu"
            if target is not None and target.type not in ("cpu", "cuda"):
                raise RuntimeError(f"GpuLike cannot go to {target}")
            if target is not None and target.type == "cuda":
                kwargs = dict(kwargs)
                kwargs.pop("device", None)
                rest = [a for a in args[1:] if not isinstance(a, (str, torch.device, int))]
                args = (args[0], *rest) if rest else (args[0], torch.device("cpu"))
        with _DisableSubclass():
            out = func(*args, **kwargs)
        if to_cpu:
            return out.as_subclass(torch.Tensor) if isinstance(out, torch.Tensor) and not isinstance(out, _Parameter) else out
        return torch._tensor._convert(out, cls)


def gpu_like(values: torch.Tensor, requires_grad: bool = False) -> GpuLike:
    """A leaf `GpuLike` holding a copy of `values`."""
    data = values.detach().clone()
    return torch.Tensor._make_subclass(GpuLike, data, requires_grad)

"""Probes that watch a student's training loop from the outside.

A training function is a black box to a check: it builds a model, loops,
and returns. These context managers observe what happens inside without
changing it, so a check can name a mistake by its behaviour.
"""

from __future__ import annotations

import torch

# Bound at import, before any student code runs.
_backward = torch.Tensor.backward
_register_forward_hook = torch.nn.modules.module.register_module_forward_hook


class ZeroGradWatch:
    """Notes, before every `Tensor.backward()` in the block, whether the parameters
    of the modules run so far still hold a non-zero gradient (nobody zeroed it).

        with ZeroGradWatch() as grads:
            student_train(model, data)
        t.mistake(grads.never_zeroed, ja=..., en=...)
    """

    def __enter__(self) -> "ZeroGradWatch":
        self.params: dict[int, torch.nn.Parameter] = {}
        self.calls = 0
        self.dirty = 0

        def seen(module, inputs, output):
            for p in module.parameters(recurse=False):
                self.params[id(p)] = p

        def backward(tensor, *args, **kwargs):
            self.calls += 1
            if any(p.grad is not None and bool((p.grad != 0).any()) for p in self.params.values()):
                self.dirty += 1
            return _backward(tensor, *args, **kwargs)

        self._hook = _register_forward_hook(seen)
        torch.Tensor.backward = backward
        return self

    def __exit__(self, *exc: object) -> bool:
        torch.Tensor.backward = _backward
        self._hook.remove()
        return False

    @property
    def never_zeroed(self) -> bool:
        """True when (nearly) every backward after the first found old gradients."""
        return self.calls >= 3 and self.dirty >= (self.calls - 1) * 0.9


class Quiet:
    """Look at a student's model without touching its training: evaluation mode and
    no autograd inside the block; afterwards every module's train/eval mode and the
    global random state are as they were. For figures and other side looks."""

    def __init__(self, model: torch.nn.Module):
        self.model = model

    def __enter__(self) -> "Quiet":
        self.modes = [(m, m.training) for m in self.model.modules()]
        self.rng = torch.get_rng_state()
        self.no_grad = torch.no_grad()
        self.no_grad.__enter__()
        self.model.eval()
        return self

    def __exit__(self, *exc: object) -> bool:
        self.no_grad.__exit__(*exc)
        for module, mode in self.modes:
            module.training = mode
        torch.set_rng_state(self.rng)
        return False


class LossWatch:
    """Within the block, note the value of every one-element tensor `backward()` is
    called on (the loss of each training step), so a training function that returns
    only the model can still show its loss curve. It records; it changes nothing.

        with LossWatch() as watch:
            model = t.call("train", x, y)
        t.plot_line("loss", ja=..., en=..., lines={"loss": watch.values})
    """

    LIMIT = 5000
    """Values kept at most (a runaway loop must not fill the memory)."""

    def __enter__(self) -> "LossWatch":
        self.values: list[float] = []
        self._saved = torch.Tensor.backward
        saved, values, limit = self._saved, self.values, self.LIMIT

        def backward(tensor, *args, **kwargs):
            try:
                if len(values) < limit and tensor.numel() == 1:
                    values.append(float(tensor.detach().reshape(())))
            except Exception:  # whatever the tensor is, the student's backward() still runs
                pass
            return saved(tensor, *args, **kwargs)

        torch.Tensor.backward = backward
        return self

    def __exit__(self, *exc: object) -> bool:
        torch.Tensor.backward = self._saved
        return False

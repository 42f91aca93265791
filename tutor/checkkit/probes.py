"""Probes that watch a student's training loop from the outside.

A training function is a black box to a check: it builds a model, loops,
and returns. These context managers observe what happens inside without
changing it, so a check can name a mistake by its behaviour.
"""

from __future__ import annotations

import torch

from torch.optim.optimizer import register_optimizer_step_post_hook

# Bound at import, before any student code runs.
_backward = torch.Tensor.backward
_autograd_backward = torch.autograd.backward
_autograd_grad = torch.autograd.grad
_register_forward_hook = torch.nn.modules.module.register_module_forward_hook
_register_forward_pre_hook = torch.nn.modules.module.register_module_forward_pre_hook
_is_grad_enabled = torch.is_grad_enabled


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


class TrainWatch:
    """Watch a training loop from the outside; it records, it changes nothing.

    Within the block it notes every backward pass (`loss.backward()` or
    `torch.autograd.backward`; `torch.autograd.grad` calls are counted apart, in
    `grads`): how many, the value of each one-element loss,
    and whether the parameters seen in forwards so far still held an old
    gradient (nobody zeroed it); and every optimizer step (through torch's
    global step hook, so any optimizer counts): how many, and which optimizers
    with which class and learning rate.

        with TrainWatch() as watch:
            history = t.call("train", model, loader, epochs)
        t.expect(watch.steps >= expected_steps, ...)
    """

    LIMIT = 20000
    """Loss values kept at most (a runaway loop must not fill the memory)."""

    def __enter__(self) -> "TrainWatch":
        self.backwards = 0
        self.grads = 0
        self.losses: list[float] = []
        self.dirty = 0
        self.steps = 0
        self.optimizers: list[torch.optim.Optimizer] = []
        self.params: dict[int, torch.nn.Parameter] = {}
        self.first: tuple[torch.nn.Module, dict, tuple] | None = None
        """The first module with parameters that ran a forward: (module, a copy of its
        state_dict then, a detached copy of its tensor inputs), to recompute the first loss."""
        self.forwards: list[tuple[torch.nn.Module, bool, bool]] = []
        """(module, training mode, autograd on) of every forward of a top-level module."""
        self.depth = 0
        self.updates = 0
        """Parameter updates, however made (an optimizer or `p -= lr * p.grad` under no_grad):
        the backward passes after which some parameter seen in a forward was changed in place."""
        self._versions: dict[int, int] = {}
        watch = self

        def before(module, inputs):
            if watch.depth == 0 and len(watch.forwards) < watch.LIMIT:
                watch.forwards.append((module, module.training, _is_grad_enabled()))
            watch.depth += 1
            if watch.first is None and any(True for _ in module.parameters()):
                try:
                    state = {k: v.detach().clone() for k, v in module.state_dict().items()}
                    copies = tuple(i.detach().clone() if isinstance(i, torch.Tensor) else i for i in inputs)
                    watch.first = (module, state, copies)
                except Exception:  # an odd module: the first loss is then not recomputed
                    pass

        def seen(module, inputs, output):
            watch.depth = max(0, watch.depth - 1)
            for p in module.parameters(recurse=False):
                if id(p) not in watch.params:
                    watch.params[id(p)] = p
                    watch._versions[id(p)] = p._version

        def backward(tensors, *args, **kwargs):
            watch._count_update()
            watch.backwards += 1
            try:
                first = tensors if isinstance(tensors, torch.Tensor) else tensors[0]
                if len(watch.losses) < watch.LIMIT and first.numel() == 1:
                    watch.losses.append(float(first.detach().reshape(())))
                # Frozen parameters (requires_grad=False) may keep an old .grad: not a missing zero_grad.
                if any(p.requires_grad and p.grad is not None and bool((p.grad != 0).any()) for p in watch.params.values()):
                    watch.dirty += 1
            except Exception:  # whatever was passed, the student's backward still runs
                pass
            return _autograd_backward(tensors, *args, **kwargs)

        def grad(*args, **kwargs):
            watch.grads += 1
            return _autograd_grad(*args, **kwargs)

        def stepped(optimizer, args, kwargs):
            watch.steps += 1
            if not any(o is optimizer for o in watch.optimizers):
                watch.optimizers.append(optimizer)

        self._hooks = [_register_forward_pre_hook(before), _register_forward_hook(seen),
                       register_optimizer_step_post_hook(stepped)]
        self._saved = torch.autograd.backward, torch.autograd.grad
        torch.autograd.backward, torch.autograd.grad = backward, grad
        return self

    def _count_update(self) -> None:
        changed = [p for p in self.params.values() if p._version != self._versions.get(id(p))]
        if changed and self.backwards:
            self.updates += 1
        for p in self.params.values():
            self._versions[id(p)] = p._version

    def __exit__(self, *exc: object) -> bool:
        self._count_update()
        torch.autograd.backward, torch.autograd.grad = self._saved
        for hook in self._hooks:
            hook.remove()
        return False

    @property
    def never_zeroed(self) -> bool:
        """True when (nearly) every backward after the first found old gradients."""
        return self.backwards >= 3 and self.dirty >= (self.backwards - 1) * 0.9

    def optimizer_names(self) -> list[str]:
        """The class names of the optimizers that stepped, in order of their first step."""
        return [type(o).__name__ for o in self.optimizers]

    def learning_rates(self) -> list[float]:
        """The learning rate of each optimizer that stepped (its first parameter group's)."""
        rates = []
        for o in self.optimizers:
            try:
                rates.append(float(o.param_groups[0]["lr"]))
            except (LookupError, TypeError, ValueError):
                rates.append(float("nan"))
        return rates

    def stepped_params(self) -> set[int]:
        """The ids of every parameter the optimizers that stepped update."""
        return {id(p) for o in self.optimizers for g in o.param_groups for p in g.get("params", [])}

"""Contract checks for training loops, from what a `TrainWatch` saw.

A training exercise's stub says which optimizer, which learning rate, how many
epochs, whose model and optimizer to use, and what to return. These helpers
fail, naming the mistake in both languages, when the loop did otherwise:
no `backward()`, no `step()`, gradients never zeroed, another optimizer or
learning rate, the optimizer passed in ignored, the model passed in not the one
trained, fewer or more steps than the epochs ask for, and returned losses that
are not the losses the loop computed.
"""

from __future__ import annotations

import copy
import math
from typing import Sequence

import torch

from tutor.checkkit.probes import TrainWatch

_load_state_dict = torch.nn.Module.load_state_dict


def expect_trained(t, watch: TrainWatch, *, name: str, steps: int | None = None, steps_what: tuple[str, str] = ("", ""),
                   exact: bool = False, optimizer: str | None = None, lr: float | None = None,
                   given: torch.optim.Optimizer | None = None, model: torch.nn.Module | None = None) -> None:
    """Fail unless the loop ran backward() and step() as the contract asks.

    `steps`: the number of optimizer steps the contract implies, `steps_what` (ja, en)
    saying why (e.g. "300 epochs of one update each"), at least (more epochs are no
    mistake where the stub names a number to reach) or, with `exact`, exactly (one
    epoch means one pass); `optimizer`: the class name asked
    for; `lr`: the learning rate asked for; `given`: the optimizer passed in, which must
    be the one that steps; `model`: the model passed in, whose parameters must be updated.
    """
    t.mistake(watch.backwards + watch.grads == 0,
              ja=f"`{name}` の中で `backward()` が一度も呼ばれていません。損失から `loss.backward()` で勾配を求めてください。",
              en=f"`{name}` never calls `backward()`: compute the gradients from the loss with `loss.backward()`.")
    steps_made = max(watch.steps, watch.updates)  # an update by hand (`p -= lr * p.grad`) is SGD too
    t.mistake(steps_made == 0,
              ja=f"`{name}` の中で `optimizer.step()` が一度も呼ばれていません。これではパラメータが更新されません。`backward()` のあとに `step()` を呼んでください。",
              en=f"`{name}` never calls `optimizer.step()`, so the parameters never change: call `step()` after `backward()`.")
    if model is not None:
        ran = {id(p) for p in model.parameters()} & set(watch.params)
        t.mistake(watch.backwards > 0 and not ran and any(True for _ in model.parameters()),
                  ja=f"`{name}` の中で、渡されたモデルが一度も順伝播に使われていません。コピーや新しいモデルではなく、渡された `model` そのものを学習させてください。",
                  en=f"In `{name}` the model passed in never runs a forward pass: train that very `model`, not a copy or a new one.")
    t.mistake(watch.never_zeroed,
              ja=f"`{name}` で、`backward()` を呼ぶたびに前のステップの勾配が残っていました。勾配をゼロに戻し忘れています (zero_grad のし忘れ)。`.grad` は足し込まれていくので、毎ステップ `optimizer.zero_grad()` を呼んでください。",
              en=f"In `{name}` every `backward()` found the previous step's gradient still there: you forgot to zero grad. `.grad` accumulates, so call `optimizer.zero_grad()` in every step.")
    if given is not None:
        t.mistake(not any(o is given for o in watch.optimizers),
                  ja=f"`{name}` が、引数で渡された optimizer (最適化手法) を使っていません。新しく作らずに、渡された `optimizer` で `step()` してください。",
                  en=f"`{name}` does not use the optimizer it was given: do not make a new one, call `step()` on the `optimizer` passed in.")
    names = watch.optimizer_names()
    if optimizer is not None and names:
        t.mistake(any(n != optimizer for n in names),
                  ja=f"`{name}` は {names[0]} で学習しています。最適化手法 (optimizer) は `torch.optim.{optimizer}` を使ってください。",
                  en=f"`{name}` trains with the optimizer {names[0]}: use `torch.optim.{optimizer}`.")
    if lr is not None:
        for rate in watch.learning_rates():
            t.mistake(not math.isclose(rate, lr, rel_tol=1e-6, abs_tol=1e-12),
                      ja=f"`{name}` の学習率 (lr) が {rate:g} です。lr={lr:g} にしてください。",
                      en=f"`{name}` trains with the learning rate lr={rate:g}: use lr={lr:g}.")
    if model is not None and watch.steps:
        mine = {id(p) for p in model.parameters() if p.requires_grad}
        t.mistake(bool(mine) and not (mine & watch.stepped_params()),
                  ja=f"`{name}` の optimizer が、渡されたモデルのパラメータを更新していません。コピーや新しいモデルではなく、渡された `model` そのものを学習させてください。",
                  en=f"The optimizer in `{name}` does not update the parameters of the model passed in: train that very `model`, not a copy or a new one.")
    if steps is not None:
        what_ja, what_en = steps_what
        t.mistake(steps_made < steps,
                  ja=f"`{name}` の `optimizer.step()` は {steps_made} 回でした。{what_ja}なら {steps} 回になります。エポック数やミニバッチのループを確かめてください。",
                  en=f"`{name}` made {steps_made} optimizer steps, but {what_en} make {steps}: check the number of epochs and the loop over the mini-batches.")
        t.mistake(exact and steps_made > steps,
                  ja=f"`{name}` の `optimizer.step()` は {steps_made} 回でした。{what_ja}なら {steps} 回です。エポック数やミニバッチのループを確かめてください。",
                  en=f"`{name}` made {steps_made} optimizer steps, but {what_en} make only {steps}: check the number of epochs and the loop over the mini-batches.")


def expect_recorded(t, got: Sequence[float], want: Sequence[float], *, name: str, what: tuple[str, str]) -> None:
    """Fail unless the returned losses `got` are the losses the loop computed (`want`,
    from the watch); `what` (ja, en) says what each value should be."""
    what_ja, what_en = what
    for i, (g, w) in enumerate(zip(got, want)):
        if not math.isclose(g, w, rel_tol=1e-3, abs_tol=1e-6):
            t.fail(ja=f"`{name}[{i}]` が {g:.6g} ですが、学習ループで `backward()` を呼んだ損失から求めると {w:.6g} です。{what_ja}を記録してください。",
                   en=f"`{name}[{i}]` is {g:.6g}, but the losses the loop called `backward()` on give {w:.6g}: record {what_en}.")


def first_output(watch: TrainWatch) -> tuple[torch.Tensor, tuple] | None:
    """The output of the first forward of the loop, recomputed from a copy of the model as it
    was then (its state and mode) on the inputs it was given, with those inputs; None if no
    forward was seen or the model cannot be copied."""
    if watch.first is None:
        return None
    module, state, inputs = watch.first
    try:
        probe = copy.deepcopy(module)
        _load_state_dict(probe, state)
        probe.train(watch.forwards[0][1] if watch.forwards else True)
        with torch.no_grad():
            return probe(*inputs), inputs
    except Exception:
        return None


def expect_first_loss(t, watch: TrainWatch, right, *, name: str, what: tuple[str, str],
                      wrong: Sequence[tuple] = ()) -> None:
    """The loss of the loop's first step must be `right(output, inputs)` (a float), the loss
    the contract asks for, recomputed from the model as it was then; each of `wrong` is
    (function, ja, en): a known mistake and its message. `what` (ja, en) names the loss."""
    seen = first_output(watch)
    if seen is None or not watch.losses:
        return
    out, inputs = seen
    got = watch.losses[0]
    if math.isclose(got, float(right(out, inputs)), rel_tol=1e-3, abs_tol=1e-6):
        return
    for fn, ja, en in wrong:
        try:
            value = float(fn(out, inputs))
        except Exception:
            continue
        if math.isclose(got, value, rel_tol=1e-3, abs_tol=1e-6):
            t.fail(ja=ja, en=en)
    what_ja, what_en = what
    t.fail(ja=f"`{name}` の最初のステップの損失が {got:.6g} ですが、そのときのモデルで{what_ja}を計算すると {float(right(out, inputs)):.6g} です。損失関数と、損失に渡すもの (出力と目標値) を確かめてください。",
           en=f"The loss of the first step in `{name}` is {got:.6g}, but {what_en} of the model as it was then is {float(right(out, inputs)):.6g}: check the loss function and what goes into it (outputs and targets).")

"""Hidden checks for exercise 2.5 (fix the seeds to reproduce a run)."""

import os
import random

import numpy as np
import torch
from torch import nn

from tutor.checkkit import TrainWatch, check, expect_first_loss, expect_trained

EPOCHS = 2
BATCH = 16
LR = 0.01

# Bound before any student code runs: a student who assigns to these names
# (`torch.use_deterministic_algorithms = True`) must not break the checks.
_use_deterministic = torch.use_deterministic_algorithms
_deterministic_enabled = torch.are_deterministic_algorithms_enabled




class _Restore:
    """Put torch's determinism switch and PYTHONHASHSEED back as they were, whatever the student did."""

    def __enter__(self):
        self.hashseed = os.environ.get("PYTHONHASHSEED")
        self.det = _deterministic_enabled()
        return self

    def __exit__(self, *exc):
        torch.use_deterministic_algorithms = _use_deterministic
        _use_deterministic(self.det)
        if self.hashseed is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = self.hashseed
        return False


def _draws():
    """One number from each random source a training run uses."""
    return {"random": random.random(), "numpy": float(np.random.rand()),
            "torch": torch.rand(3).tolist(), "init": nn.Linear(2, 2).weight.detach().flatten().tolist()}


def _stir(t):
    """Move every global random state on, as other code between two runs would."""
    for _ in range(t.rng.randint(1, 5)):
        random.random()
        np.random.rand()
        torch.rand(2)


SOURCES = {
    "random": ("Python の `random` モジュール", "Python's `random` module", "random.seed(seed)"),
    "numpy": ("NumPy の乱数 (`np.random`)", "NumPy's random numbers (`np.random`)", "np.random.seed(seed)"),
    "torch": ("PyTorch の乱数 (`torch.rand`)", "PyTorch's random numbers (`torch.rand`)", "torch.manual_seed(seed)"),
}


@check(ja="`set_seed` のあとは random・NumPy・PyTorch の乱数が毎回同じ", en="after `set_seed`, random, NumPy and PyTorch repeat their numbers")
def same_numbers(t):
    seed = t.rng.randrange(1, 100_000)
    with _Restore():
        t.call("set_seed", seed)
        first = _draws()
        _stir(t)
        t.call("set_seed", seed)
        again = _draws()
    for key, (ja, en, fix) in SOURCES.items():
        t.expect(first[key] == again[key],
                 ja=f"`set_seed({seed})` を 2 回呼んだのに、{ja} が違う値を出しました。`set_seed` の中で `{fix}` を呼んでください。",
                 en=f"After calling `set_seed({seed})` twice, {en} gave different values. Call `{fix}` in `set_seed`.")
    t.expect(first["init"] == again["init"],
             ja="`set_seed` を 2 回呼んだのに、`nn.Linear` の重みの初期値が違いました。重みの初期値は PyTorch の乱数で決まるので、`torch.manual_seed(seed)` が必要です。",
             en="After calling `set_seed` twice, `nn.Linear` started from different weights. Initial weights come from PyTorch's random numbers, so `torch.manual_seed(seed)` is needed.")


@check(ja="違う seed なら違う乱数になる (seed を使っている)", en="another seed gives other numbers (the seed is used)")
def seed_is_used(t):
    seed = t.rng.randrange(1, 100_000)
    with _Restore():
        t.call("set_seed", seed)
        first = _draws()
        t.call("set_seed", seed + 1)
        other = _draws()
    for key, (ja, en, fix) in SOURCES.items():
        t.expect(first[key] != other[key],
                 ja=f"`set_seed({seed})` と `set_seed({seed + 1})` で、{ja} が同じ値を出しました。引数の seed を使わずに、決まった値で固定していませんか。",
                 en=f"`set_seed({seed})` and `set_seed({seed + 1})` made {en} give the same values. Do you fix it with a constant instead of the seed you are given?")


@check(ja="`PYTHONHASHSEED` と決定的なアルゴリズムの設定", en="`PYTHONHASHSEED` and deterministic algorithms")
def environment(t):
    seed = t.rng.randrange(1, 100_000)
    with _Restore():
        _use_deterministic(False)
        t.call("set_seed", seed)
        switch = t.rebound.get("torch.use_deterministic_algorithms", torch.use_deterministic_algorithms)
        enabled = _deterministic_enabled()
        hashseed = os.environ.get("PYTHONHASHSEED")
    t.mistake(switch is True or not callable(switch),
              ja="`torch.use_deterministic_algorithms = True` と書くと、関数を呼ぶのではなく、関数の名前に True を代入してしまいます (torch の関数が上書きされるだけで、設定は変わりません)。`torch.use_deterministic_algorithms(True)` と、かっこを付けて呼んでください。",
              en="`torch.use_deterministic_algorithms = True` assigns True to the function's name instead of calling it (it only overwrites torch's function; nothing is switched on). Call it: `torch.use_deterministic_algorithms(True)`.")
    t.expect(enabled,
             ja="`set_seed` のあとも、決定的なアルゴリズムが有効になっていません。`torch.use_deterministic_algorithms(True)` を呼んでください。",
             en="After `set_seed`, deterministic algorithms are still off. Call `torch.use_deterministic_algorithms(True)`.")
    t.expect(hashseed == str(seed),
             ja=f"環境変数 `PYTHONHASHSEED` が {hashseed!r} で、{str(seed)!r} になっていません。`os.environ[\"PYTHONHASHSEED\"] = str(seed)` と、文字列にして設定してください。",
             en=f"The environment variable `PYTHONHASHSEED` is {hashseed!r}, not {str(seed)!r}. Set it as a string: `os.environ[\"PYTHONHASHSEED\"] = str(seed)`.")


def _table(t):
    """A standardized advertising-like table: TV, radio, newspaper -> sales (float32 tensors)."""
    g = t.gen
    n = t.rng.randint(64, 120)
    x = torch.randn(n, 3, generator=g)
    y = (x @ torch.tensor([[1.2], [0.8], [0.05]]) + 0.3 * torch.randn(n, 1, generator=g))
    return x, y


def _contract(t, watch, x, y, name):
    """The run itself: SGD with lr=0.01 over mini-batches of 16 for 2 epochs, with nn.MSELoss."""
    batches = -(-len(x) // BATCH)
    expect_trained(t, watch, name=name, optimizer="SGD", lr=LR, exact=True, steps=EPOCHS * batches,
                   steps_what=(f"{EPOCHS} エポック × {batches} ミニバッチ (batch_size={BATCH})",
                               f"{EPOCHS} epochs of {batches} mini-batches (batch_size={BATCH})"))
    where = {tuple(r): i for i, r in enumerate(x.tolist())}

    def targets(inputs):
        return y[[where[tuple(r)] for r in inputs[0].tolist()]]

    expect_first_loss(t, watch, lambda out, inp: ((out - targets(inp)) ** 2).mean(), name=name,
                      what=("ミニバッチの平均二乗誤差 (`nn.MSELoss`)", "the mean squared error (`nn.MSELoss`) on the mini-batch"),
                      wrong=[(lambda out, inp: (out - targets(inp)).abs().mean(),
                              f"`{name}` の損失が差の絶対値の平均 (L1 損失、`nn.L1Loss`) です。損失関数は `nn.MSELoss` (平均二乗誤差) にしてください。",
                              f"`{name}` trains with the mean absolute difference (the L1 loss, `nn.L1Loss`): use `nn.MSELoss`, the mean squared error."),
                             (lambda out, inp: ((torch.sigmoid(out) - targets(inp)) ** 2).mean(),
                              f"`{name}` はモデルの出力にシグモイド関数 (sigmoid) をかけてから損失を計算しています。回帰では出力をそのまま `nn.MSELoss` に渡してください。",
                              f"`{name}` puts the model's output through a sigmoid before the loss: in regression the outputs go into `nn.MSELoss` as they are.")])


def _params(t, model, name):
    t.expect(isinstance(model, nn.Module),
             ja=f"`{name}` が {type(model).__name__} を返しています。学習したモデル (`nn.Module`) を返してください。",
             en=f"`{name}` should return the trained model (an `nn.Module`) but returned a {type(model).__name__}.")
    params = [p.detach().clone() for p in model.parameters()]
    t.expect(bool(params),
             ja=f"`{name}` が返したモデルにパラメータがありません。",
             en=f"The model returned by `{name}` has no parameters.")
    return params


@check(ja="同じ seed で 2 回学習すると、まったく同じモデルになる", en="two training runs with the same seed give exactly the same model")
def two_runs(t):
    x, y = _table(t)
    seed = t.rng.randrange(1, 100_000)
    name = f"train_once({seed}, features, sales)"
    with _Restore():
        with TrainWatch() as run1:
            first = _params(t, t.call("train_once", seed, x.clone(), y.clone()), name)
        _stir(t)
        with TrainWatch() as run2:
            again = _params(t, t.call("train_once", seed, x.clone(), y.clone()), name)
        with TrainWatch() as run3:
            other = _params(t, t.call("train_once", seed + 1, x.clone(), y.clone()), f"train_once({seed + 1}, features, sales)")
        torch.manual_seed(seed)
        fresh = [p.detach().clone() for p in nn.Linear(3, 1).parameters()]
    # The three runs' losses, step by step: the two runs with the same seed lie on one curve.
    runs = {f"seed {seed}": run1.losses, f"seed {seed} again": run2.losses, f"seed {seed + 1}": run3.losses}
    if any(runs.values()):
        t.plot_line("loss", ja="3 回の学習の損失 (ミニバッチごと)", en="loss of the three runs (per mini-batch)",
                    lines={k: v for k, v in runs.items() if v}, x_label=("イテレーション", "iteration"), y_label=("損失", "loss"))
    _contract(t, run1, x, y, name)
    t.expect(len(first) == len(again) and all(a.shape == b.shape for a, b in zip(first, again)),
             ja="2 回の学習で、モデルのパラメータの数や形が違います。",
             en="The two runs returned models whose parameters differ in number or shape.")
    t.expect(all(torch.equal(a, b) for a, b in zip(first, again)),
             ja=f"同じ seed ({seed}) で 2 回学習したのに、結果のモデルが違いました。`train_once` の最初に (モデルや DataLoader を作る前に) `set_seed(seed)` を呼んでください。ファイルの先頭で 1 回だけ呼ぶのでは、2 回目の学習は違う乱数で始まります。",
             en=f"Two runs with the same seed ({seed}) gave different models. Call `set_seed(seed)` at the start of `train_once`, before you build the model and the DataLoader. Calling it once at the top of the file makes the second run start from other random numbers.")
    t.expect(any(not torch.equal(a, b) for a, b in zip(first, other)),
             ja=f"seed を {seed} から {seed + 1} に変えても、まったく同じモデルになりました。`train_once` の seed を `set_seed` に渡していますか。",
             en=f"Changing the seed from {seed} to {seed + 1} gave exactly the same model. Do you pass `train_once`'s seed to `set_seed`?")
    t.mistake(len(fresh) == len(first) and all(a.shape == b.shape and torch.equal(a, b) for a, b in zip(fresh, first)),
              ja="返ってきたモデルは初期値のままで、学習していません。ミニバッチごとに zero_grad → 順伝播 → 損失 → backward → step を行ってください。",
              en="The model you return still has its initial weights: it was not trained. For every mini-batch run zero_grad -> forward -> loss -> backward -> step.")

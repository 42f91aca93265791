"""Helpers shared by the training checks of the logistic-regression lesson.

Lives next to the check files (checks/<lesson>/_*.py is a lesson's private
helper module), so each check file imports it instead of carrying a copy.
"""

import functools

import torch
import torch.nn as nn

# Bound before any student code runs.
_sigmoid = torch.sigmoid
_allclose = torch.allclose


class _LossProbe:
    """Tells which loss the student's training uses, by watching its first backward pass.

    A global module forward hook puts a gradient hook on every module output
    (the `nn.Linear`, the `nn.Sigmoid`, the model itself) until the first
    backward pass has delivered its gradients. From an output o and its
    gradient g = dJ/do the targets y can be solved for under each candidate
    loss (s = N for a mean, 1 for a sum):

        BCE on probabilities o:            g = (o - y) / (o (1 - o)) / s  ->  y = o - s g o (1 - o)
        BCE with logits on o (σ inside):   g = (σ(o) - y) / s             ->  y = σ(o) - s g
        MSE on o:                          g = 2 (o - y) / s              ->  y = o - s g / 2
        MSE on σ(o), o a logit:            g = 2 (σ(o) - y) σ(o)(1 - σ(o)) / s

    The candidate whose y are all 0 or 1 is the loss that was used. "BCE with
    logits" on an output that already is a probability (the sigmoid of
    another output) means the sigmoid was applied twice.
    """

    LIMIT = 64

    def __init__(self):
        self.records = []
        self.forwards = 0
        self.started = False  # the first backward pass has begun
        self.frozen = False   # ... and is over: record nothing more
        self.handle = None

    def __enter__(self):
        self.handle = torch.nn.modules.module.register_module_forward_hook(self._forward)
        return self

    def __exit__(self, *exc):
        self.handle.remove()
        return False

    def _forward(self, module, inputs, output):
        self.forwards += 1
        if self.started:
            self.frozen = True
        if self.frozen or len(self.records) >= self.LIMIT or isinstance(module, torch.nn.modules.loss._Loss):
            return
        if type(output) is not torch.Tensor or not output.is_floating_point() or not output.requires_grad or output.numel() < 2:
            return
        if any(r["out"] is output for r in self.records):
            return
        record = {"out": output, "grad": None}
        self.records.append(record)
        output.register_hook(functools.partial(self._grad, record))

    def _grad(self, record, grad):
        if not self.frozen and record["grad"] is None:
            record["grad"] = grad.detach().clone()
            self.started = True

    @staticmethod
    def _binary(y):
        return bool(torch.isfinite(y).all()) and bool(torch.minimum(y.abs(), (y - 1).abs()).max() < 2e-3)

    def kind(self):
        """"ok" (a cross entropy), "double" (sigmoid applied twice), "mse", or None (could not tell)."""
        recs = [r for r in self.records if r["grad"] is not None and r["grad"].shape == r["out"].shape]
        outs = [r["out"].detach().double().reshape(-1) for r in recs]
        grads = [r["grad"].double().reshape(-1) for r in recs]
        found = set()
        for i, (o, g) in enumerate(zip(outs, grads)):
            is_prob = any(j != i and q.numel() == o.numel() and bool(_allclose(_sigmoid(q), o, atol=1e-6, rtol=1e-5))
                          for j, q in enumerate(outs))
            in_01 = bool(((o > 0) & (o < 1)).all())
            s_o = _sigmoid(o)
            for s in (float(o.numel()), 1.0):
                if self._binary(s_o - s * g):
                    found.add("double" if is_prob else "ok")
                if in_01 and self._binary(o - s * g * o * (1 - o)):
                    found.add("ok")
                if self._binary(o - s * g / 2):
                    found.add("mse")
                if not is_prob and self._binary(s_o - s * g / (2 * s_o * (1 - s_o)).clamp_min(1e-12)):
                    found.add("mse")
                # BCE with logits on σ(o), o a logit: the sigmoid applied twice, outside the model
                if not is_prob and self._binary(_sigmoid(s_o) - s * g / (s_o * (1 - s_o)).clamp_min(1e-12)):
                    found.add("double")
        for kind in ("double", "ok", "mse"):
            if kind in found:
                return kind
        return None


def _training_error(t, exc, name):
    """Name the usual mistakes behind PyTorch's errors in a training loop; re-raise anything else."""
    msg = str(exc)
    if isinstance(exc, RuntimeError) and ("Long" in msg or "Int" in msg) and ("Float" in msg or "dtype" in msg):
        t.fail(ja=f"`{name}` でエラーになりました ({msg})。正解の `labels` が整数 (int64) のまま損失関数に渡されています。`nn.BCELoss` や `nn.BCEWithLogitsLoss` は正解にも浮動小数点を求めるので、`labels.float()` で float32 にしてください。",
               en=f"`{name}` raised an error ({msg}): the integer (long) targets went into the loss as they are. `nn.BCELoss` and `nn.BCEWithLogitsLoss` need floating-point targets: convert them with `labels.float()`.")
    if isinstance(exc, RuntimeError) and "between 0 and 1" in msg:
        t.fail(ja=f"`{name}` でエラーになりました ({msg})。`nn.BCELoss` に渡した値が 0 から 1 の範囲に入っていません。モデルの出力がシグモイド関数を通った確率になっているか確かめてください (ロジットを返すモデルなら `nn.BCEWithLogitsLoss` を使います)。",
               en=f"`{name}` raised an error ({msg}): what went into `nn.BCELoss` is not between 0 and 1. Make sure the model's output is a probability, passed through the sigmoid (for a model that returns logits, use `nn.BCEWithLogitsLoss`).")
    if isinstance(exc, ValueError) and "target size" in msg.lower() and "input size" in msg.lower():
        t.fail(ja=f"`{name}` でエラーになりました ({msg})。モデルの出力は形 (N, 1) ですが、正解は形 (N,) のままです。`view(-1, 1)` や `unsqueeze(1)` で正解の形を (N, 1) にそろえてください。",
               en=f"`{name}` raised an error ({msg}): the model's output has shape (N, 1) but the targets still have shape (N,). Make the targets (N, 1) with `view(-1, 1)` or `unsqueeze(1)`.")
    raise exc


def _probe_mistakes(t, probe, name):
    """Fail with a named message when the probe saw MSE or a double sigmoid."""
    kind = probe.kind()
    t.mistake(kind == "double",
              ja=f"`{name}` でシグモイド関数が 2 回かかっています (確率になっている出力にもう一度シグモイド関数をかけています)。`nn.BCEWithLogitsLoss` は中でシグモイド関数を計算するので、出力がすでに確率なら `nn.BCELoss` を使い、もう一度 `torch.sigmoid` をかけないでください。",
              en=f"`{name}`: the sigmoid is applied twice (a second sigmoid on an output that already is a probability). `nn.BCEWithLogitsLoss` computes the sigmoid itself, so for an output that already is a probability use `nn.BCELoss`, and do not apply `torch.sigmoid` again.")
    t.mistake(kind == "mse",
              ja=f"`{name}` の損失関数が平均二乗誤差 (MSE) になっています。分類の損失関数には二値交差エントロピー (`nn.BCELoss`) を使います。MSE とシグモイド関数を組み合わせると、勾配に σ(1 - σ) が掛かるため、大きく外れた予測ほど学習が進みません。",
              en=f"`{name}` uses the mean squared error (MSE) as its loss. For classification use the binary cross entropy (`nn.BCELoss`): with MSE after a sigmoid the gradient carries a factor σ(1 - σ), so the most confidently wrong predictions learn the slowest.")
    return kind


def _the_linear(t, model, name, n_in):
    """The model's single nn.Linear(n_in, 1) with a bias, or a failure that says what is wrong."""
    t.expect(isinstance(model, nn.Module),
             ja=f"`{name}` が nn.Module ではなく {type(model).__name__} です。",
             en=f"`{name}` is a {type(model).__name__}, not an nn.Module.")
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    t.expect(len(layers) == 1,
             ja=f"`{name}` の中に `nn.Linear` が {len(layers)} 個あります。`nn.Linear({n_in}, 1)` を 1 つだけ属性として持たせてください (普通のリストに入れると登録されません)。",
             en=f"`{name}` holds {len(layers)} `nn.Linear` layers: keep exactly one `nn.Linear({n_in}, 1)` as an attribute (a plain list does not register it).")
    layer = layers[0]
    t.expect(layer.in_features == n_in and layer.out_features == 1,
             ja=f"`{name}` の全結合層が `nn.Linear({layer.in_features}, {layer.out_features})` になっています。`nn.Linear({n_in}, 1)` にしてください。",
             en=f"`{name}` has `nn.Linear({layer.in_features}, {layer.out_features})` where `nn.Linear({n_in}, 1)` is expected.")
    t.expect(layer.bias is not None,
             ja=f"`{name}` の `nn.Linear` にバイアスがありません (`bias=False`)。バイアスがないと決定境界が原点を通る直線に限られます。",
             en=f"`{name}`'s `nn.Linear` has no bias (`bias=False`): without it the boundary must pass through the origin.")
    return layer


# -- figures of the student's run ------------------------------------------------


def _draw_training(t, values, model, x, labels, *, logits=False):
    """The loss per training step and the points by class with the learned decision boundary.

    `values`: the losses seen by `tutor.checkkit.LossWatch`; `logits`: the model outputs logits (apply a
    sigmoid to get the probability of class 1). Never fails the check.
    """
    if values:
        t.plot_line("loss", ja="学習中の損失", en="training loss", lines={"loss": values},
                    x_label=("イテレーション", "iteration"), y_label=("損失", "loss"))

    def probability(grid):
        out = model(grid)
        return (_sigmoid(out) if logits else out).reshape(-1)

    try:
        with torch.no_grad():
            ok = probability(x[:2].float()).numel() == 2
    except Exception:
        ok = False  # not a model we can run: show the points alone
    t.plot_points("boundary", ja="データと学習した決定境界", en="data and the learned decision boundary",
                  x=x, classes=labels, boundary=probability if ok else None, x_label=("x1", "x1"), y_label=("x2", "x2"))

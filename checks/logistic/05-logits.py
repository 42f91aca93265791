"""Hidden checks for exercise 3.5 (a model that outputs logits, with BCEWithLogitsLoss)."""

import functools
import math

import torch
import torch.nn as nn

from tutor.checkkit import check

# Bound before any student code runs.
_sigmoid = torch.sigmoid


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
            is_prob = any(j != i and q.numel() == o.numel() and bool(torch.allclose(_sigmoid(q), o, atol=1e-6, rtol=1e-5))
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
    if isinstance(exc, ValueError) and "target size" in msg and "input size" in msg:
        t.fail(ja=f"`{name}` でエラーになりました ({msg})。モデルの出力は形 (N, 1) ですが、正解は形 (N,) のままです。`view(-1, 1)` や `unsqueeze(1)` で正解の形を (N, 1) にそろえてください。",
               en=f"`{name}` raised an error ({msg}): the model's output has shape (N, 1) but the targets still have shape (N,). Make the targets (N, 1) with `view(-1, 1)` or `unsqueeze(1)`.")
    raise exc


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
             ja=f"`{name}` の全結合層が `nn.Linear({layer.in_features}, {layer.out_features})` ですが、`nn.Linear({n_in}, 1)` のはずです。",
             en=f"`{name}` has `nn.Linear({layer.in_features}, {layer.out_features})` where `nn.Linear({n_in}, 1)` is expected.")
    t.expect(layer.bias is not None,
             ja=f"`{name}` の `nn.Linear` にバイアスがありません (`bias=False`)。バイアスがないと決定境界が原点を通る直線に限られます。",
             en=f"`{name}`'s `nn.Linear` has no bias (`bias=False`): without it the boundary must pass through the origin.")
    return layer


def _reference_model(t):
    """A plain nn.Linear(2, 1): a model that returns logits, with random weights."""
    model = nn.Linear(2, 1)
    w = torch.tensor([[t.rng.choice([-1, 1]) * t.uniform(0.5, 2.0), t.rng.choice([-1, 1]) * t.uniform(0.5, 2.0)]])
    w0 = t.uniform(-1.0, 1.0)
    with torch.no_grad():
        model.weight.copy_(w)
        model.bias.fill_(w0)
    return model, w[0], w0


def _points_with_logits(t, w, w0, u):
    """Points x with w·x + w0 = u (plus a random move along the boundary direction)."""
    n = u.numel()
    along = torch.tensor([-w[1], w[0]]) / w.norm()
    x = ((u - w0) / w.dot(w)).unsqueeze(1) * w + (torch.rand(n, 1, generator=t.gen) * 4 - 2) * along
    return x.float()


@check(ja="LogitModel: nn.Linear(2, 1) だけでロジットを返す", en="LogitModel: just nn.Linear(2, 1), returning logits")
def model_output(t):
    torch.manual_seed(t.seed)
    model = t.call("LogitModel")
    layer = _the_linear(t, model, "LogitModel()", 2)
    n = t.rng.randint(10, 30)
    x = t.randn(n, 2) * 2
    name = f"LogitModel()(x) (x of shape ({n}, 2))"
    with torch.no_grad():
        got = model(x)
        u = layer(x)
    plain = t.shape(got, (n, 1), name=name)
    t.mistake(bool(torch.allclose(plain.double(), _sigmoid(u.double()), atol=1e-5, rtol=1e-4)),
              ja=f"`{name}` がシグモイド関数を通した確率になっています。`nn.BCEWithLogitsLoss` は中でシグモイド関数を計算するので、モデルの中にもシグモイド関数があると 2 回かかってしまいます。`LogitModel` は `nn.Linear(2, 1)` の出力 (ロジット) をそのまま返してください。",
              en=f"`{name}` is a probability, passed through a sigmoid. `nn.BCEWithLogitsLoss` computes the sigmoid itself, so a sigmoid in the model too means the sigmoid is applied twice. `LogitModel` must return the logits, the output of `nn.Linear(2, 1)` as it is.")
    t.tensor(got, u, name=name, atol=1e-5, rtol=1e-4)


@check(ja="predict_proba: ロジットから確率へ", en="predict_proba: from logits to probabilities")
def proba_known(t):
    model, w, w0 = _reference_model(t)
    n = t.rng.randint(15, 40)
    x = t.randn(n, 2) * 2
    with torch.no_grad():
        u = model(x).double()
    name = f"predict_proba(model, x) (x of shape ({n}, 2))"
    got = t.call("predict_proba", model, x.clone())
    plain = t.shape(got, (n, 1), name=name)
    t.mistake(bool(torch.allclose(plain.double(), u, atol=1e-5, rtol=1e-4)),
              ja=f"`{name}` がロジットのままです。モデルの出力はロジット u なので、確率にするには σ(u) を計算します。",
              en=f"`{name}` returns the logits themselves: the model outputs logits u, and the probability is σ(u).")
    t.mistake(bool(torch.allclose(plain.double(), _sigmoid(_sigmoid(u)), atol=1e-5, rtol=1e-4)),
              ja=f"`{name}` はシグモイド関数を 2 回かけた値になっています。シグモイド関数は 1 回だけかけてください。",
              en=f"`{name}` has the sigmoid applied twice: apply it once.")
    t.tensor(got, _sigmoid(u).float(), name=name, atol=1e-5, rtol=1e-4)


@check(ja="predict: 確率 0.5 (ロジット 0) で分けたラベル", en="predict: labels split at probability 0.5 (logit 0)")
def predict_known(t):
    model, w, w0 = _reference_model(t)
    # Logits spread over [-4, 4], with several just above 0 (probability between 0.5 and 0.62).
    u = torch.cat([torch.rand(20, generator=t.gen) * 8 - 4, torch.rand(6, generator=t.gen) * 0.4 + 0.05,
                   -(torch.rand(4, generator=t.gen) * 0.4 + 0.05)]).double()
    u = u[torch.randperm(u.numel(), generator=t.gen)]
    x = _points_with_logits(t, w.double(), w0, u)
    with torch.no_grad():
        u = model(x)[:, 0].double()
    name = f"predict(model, x) (x of shape ({x.shape[0]}, 2))"
    got = t.call("predict", model, x.clone())
    expected = (u > 0).long()
    if type(got) is torch.Tensor and got.numel() == expected.numel():
        flat = got.detach().reshape(-1)
        t.mistake(bool((flat.long() == (u > 0.5).long()).all()),
                  ja=f"`{name}` はロジットを 0.5 と比べています。0.5 と比べるのは確率です。ロジットなら 0 と比べます (σ(0) = 0.5)。",
                  en=f"`{name}` compares the logits with 0.5. The 0.5 threshold is for probabilities; for logits it is 0 (σ(0) = 0.5).")
        t.mistake(bool((flat.long() == 1).all()),
                  ja=f"`{name}` がすべて 1 です。シグモイド関数を 2 回かけると値が 0.5 より大きくなってしまいます。",
                  en=f"`{name}` is 1 everywhere: with the sigmoid applied twice every value is above 0.5.")
    t.tensor(got, expected, name=name)


def _blobs(t, n, mu0, mu1):
    x = torch.cat([torch.randn(n, 2, generator=t.gen) + mu0, torch.randn(n, 2, generator=t.gen) + mu1])
    labels = torch.cat([torch.zeros(n, dtype=torch.long), torch.ones(n, dtype=torch.long)])
    perm = torch.randperm(2 * n, generator=t.gen)
    return x[perm], labels[perm]


@check(ja="fit_logits: 重なり合う 2 つの集まりを BCEWithLogitsLoss で学習", en="fit_logits: two overlapping clouds learned with BCEWithLogitsLoss")
def fit_blobs(t):
    angle = t.uniform(0, 2 * math.pi)
    dist = t.uniform(2.5, 3.5)
    center = torch.tensor([t.uniform(-1, 1), t.uniform(-1, 1)])
    direction = torch.tensor([math.cos(angle), math.sin(angle)])
    mu0, mu1 = center - direction * dist / 2, center + direction * dist / 2
    x, labels = _blobs(t, 100, mu0, mu1)
    x_test, labels_test = _blobs(t, 1000, mu0, mu1)
    # The best a line can do: the perpendicular bisector of the two centres.
    best = float(((((x_test - center) @ direction) > 0).long() == labels_test).float().mean())
    name = "fit_logits(x, labels)"
    torch.manual_seed(t.seed)
    try:
        with _LossProbe() as probe:
            model = t.call("fit_logits", x.clone(), labels.clone())
    except (RuntimeError, ValueError) as exc:
        _training_error(t, exc, name)
    kind = probe.kind()
    t.mistake(kind == "double",
              ja=f"`{name}` でシグモイド関数が 2 回かかっています (確率になっている出力を `nn.BCEWithLogitsLoss` に渡しています)。`nn.BCEWithLogitsLoss` は中でシグモイド関数を計算するので、モデルはロジットをそのまま返してください。",
              en=f"`{name}`: the sigmoid is applied twice (an output that already is a probability goes into `nn.BCEWithLogitsLoss`). `nn.BCEWithLogitsLoss` computes the sigmoid itself, so the model must return the logits as they are.")
    t.mistake(kind == "mse",
              ja=f"`{name}` の損失関数が平均二乗誤差 (MSE) になっています。ロジットを出すモデルの分類には `nn.BCEWithLogitsLoss` を使います。",
              en=f"`{name}` uses the mean squared error (MSE) as its loss. To classify with a model that outputs logits, use `nn.BCEWithLogitsLoss`.")
    _the_linear(t, model, name, 2)
    with torch.no_grad():
        out = model(x_test)
    plain = t.shape(out, (x_test.shape[0], 1), name=f"{name} applied to test points")
    acc = float(((plain[:, 0] > 0).long() == labels_test).float().mean())
    t.expect(acc >= best - 0.05,
             ja=f"学習したモデルの正解率が新しい点で {acc:.1%} です。この 2 つの集まりを直線で分けると {best:.1%} まで届くので、{best - 0.05:.1%} 以上になるはずです。損失関数、学習率、エポック数を見直してください。",
             en=f"The trained model's accuracy on new points is {acc:.1%}. A line can reach {best:.1%} on these two clouds, so it should be at least {best - 0.05:.1%}. Review the loss, the learning rate and the number of epochs.")

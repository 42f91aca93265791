"""Hidden checks for exercise 3.5 (a model that outputs logits, with BCEWithLogitsLoss)."""

import math

import torch
import torch.nn as nn

from tutor.checkkit import TrainWatch, check, expect_trained
from _training import _draw_training, _LossProbe, _the_linear, _training_error  # checks/logistic/_training.py

# Bound before any student code runs.
_sigmoid = torch.sigmoid
_allclose = torch.allclose


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
    t.mistake(bool(_allclose(plain.double(), _sigmoid(u.double()), atol=1e-5, rtol=1e-4)),
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
    t.mistake(bool(_allclose(plain.double(), u, atol=1e-5, rtol=1e-4)),
              ja=f"`{name}` がロジットのままです。モデルの出力はロジット u なので、確率にするにはシグモイド関数 σ(u) を計算します。",
              en=f"`{name}` returns the logits themselves: the model outputs logits u, and the probability is their sigmoid σ(u).")
    t.mistake(bool(_allclose(plain.double(), _sigmoid(_sigmoid(u)), atol=1e-5, rtol=1e-4)),
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
    name = "fit_logits(x, labels)"
    torch.manual_seed(t.seed)
    try:
        with _LossProbe() as probe, TrainWatch() as watch:
            model = t.call("fit_logits", x.clone(), labels.clone())
    except (RuntimeError, ValueError) as exc:
        _training_error(t, exc, name)
    _draw_training(t, watch.losses, model, x, labels, logits=True)
    expect_trained(t, watch, name=name)
    # Drawn only now, from a source the seed does not give away: no test point is
    # anywhere the student's code could find it while it trains.
    t.gen = t.unseen_gen()
    x_test, labels_test = _blobs(t, 1000, mu0, mu1)
    # The best a line can do: the perpendicular bisector of the two centres.
    best = float(((((x_test - center) @ direction) > 0).long() == labels_test).float().mean())
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
             ja=f"学習したモデルの正解率が新しい点で {acc:.1%} になっています。この 2 つの集まりを直線で分けると {best:.1%} まで届くので、{best - 0.05:.1%} 以上にしてください。損失関数、学習率、エポック数を見直してください。",
             en=f"The trained model's accuracy on new points is {acc:.1%}. A line can reach {best:.1%} on these two clouds, so it should be at least {best - 0.05:.1%}. Review the loss, the learning rate and the number of epochs.")

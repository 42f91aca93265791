"""Hidden checks for exercise 3.4 (logistic regression with two inputs and its decision boundary)."""


import torch

from tutor.checkkit import TrainWatch, check, expect_trained
from _training import _draw_training, _LossProbe, _probe_mistakes, _the_linear, _training_error  # checks/logistic/_training.py

# Bound before any student code runs.
_sigmoid = torch.sigmoid
_allclose = torch.allclose


def _model_output(t, model, layer, x, name):
    """The model's output must be σ(w1 x1 + w2 x2 + w0) of its own nn.Linear, shape (N, 1)."""
    with torch.no_grad():
        got = model(x)
        u = layer(x).double()
    plain = t.shape(got, (x.shape[0], 1), name=name)
    p = plain.double()
    t.mistake(bool(_allclose(p, u, atol=1e-5, rtol=1e-4)),
              ja=f"`{name}` がシグモイド関数を通していない値 (w1 x1 + w2 x2 + w0 そのもの) になっています。forward の最後で `nn.Sigmoid()` を通して、出力を 0 から 1 の確率にしてください。",
              en=f"`{name}` is w1 x1 + w2 x2 + w0 itself, with no sigmoid: pass it through `nn.Sigmoid()` at the end of forward so the output is a probability between 0 and 1.")
    t.mistake(bool(_allclose(p, _sigmoid(_sigmoid(u)), atol=1e-5, rtol=1e-4)),
              ja=f"`{name}` はシグモイド関数を 2 回かけた値になっています。値が 0.5 から 0.73 の間にしか入りません。forward の中でシグモイド関数を 1 回だけ通してください。",
              en=f"`{name}` has the sigmoid applied twice: its values only span 0.5 to 0.73. Apply the sigmoid exactly once in forward.")
    t.tensor(got, _sigmoid(u).float(), name=name, atol=1e-5, rtol=1e-4)


def _pair(t, got, name):
    """The student's (a, b) as two floats."""
    t.expect(isinstance(got, (tuple, list)) and len(got) == 2,
             ja=f"`{name}` が {type(got).__name__} を返しています。傾きと切片の 2 つの数 (a, b) を返してください。",
             en=f"`{name}` should return two numbers (a, b), the slope and the intercept, but returned a {type(got).__name__}.")
    return [t.number(v, name=f"{name}: {part}") for part, v in zip(("a", "b"), got)]


def _same(pair, a, b):
    return abs(pair[0] - a) <= 1e-4 * (1 + abs(a)) and abs(pair[1] - b) <= 1e-4 * (1 + abs(b))


def _check_boundary(t, got, w1, w2, w0, name):
    a, b = _pair(t, got, name)
    ra, rb = -w1 / w2, -w0 / w2
    right = (ra, rb)

    def wrong(candidate):
        return _same((a, b), *candidate) and not _same(right, *candidate)

    t.mistake(wrong((-ra, -rb)),
              ja=f"`{name}` が ({a:.4g}, {b:.4g}) で、傾きも切片も符号が逆です。w1 x1 + w2 x2 + w0 = 0 を x2 について解くと x2 = -(w1 / w2) x1 - w0 / w2 で、どちらにもマイナスが付きます。",
              en=f"`{name}` is ({a:.4g}, {b:.4g}): both the slope and the intercept have the wrong sign. Solving w1 x1 + w2 x2 + w0 = 0 for x2 gives x2 = -(w1 / w2) x1 - w0 / w2, with a minus on both.")
    t.mistake(wrong((-ra, rb)),
              ja=f"`{name}` の傾き a = {a:.4g} の符号が逆です。a = -w1 / w2 です。",
              en=f"`{name}`: the slope a = {a:.4g} has the wrong sign. It is a = -w1 / w2.")
    t.mistake(wrong((ra, -rb)),
              ja=f"`{name}` の切片 b = {b:.4g} の符号が逆です。b = -w0 / w2 です。",
              en=f"`{name}`: the intercept b = {b:.4g} has the wrong sign. It is b = -w0 / w2.")
    t.mistake(abs(w1) > 1e-6 and (wrong((-w2 / w1, -w0 / w1)) or wrong((w2 / w1, w0 / w1))),
              ja=f"`{name}` は x1 について解いた形 (x1 = ... x2 + ...) になっています。`weight[0, 0]` が w1 (x1 の係数)、`weight[0, 1]` が w2 (x2 の係数) です。x2 について解いてください。",
              en=f"`{name}` solves for x1 (x1 = ... x2 + ...): `weight[0, 0]` is w1 (the coefficient of x1), `weight[0, 1]` is w2 (that of x2). Solve for x2.")
    t.expect(_same((a, b), ra, rb),
             ja=f"`{name}` が ({a:.4g}, {b:.4g}) になっていますが、正しくは ({ra:.4g}, {rb:.4g}) です。",
             en=f"`{name}` is ({a:.4g}, {b:.4g}) but should be ({ra:.4g}, {rb:.4g}).")
    return a, b


@check(ja="LogisticRegression2: nn.Linear(2, 1) とシグモイド関数", en="LogisticRegression2: nn.Linear(2, 1) and a sigmoid")
def model_output(t):
    torch.manual_seed(t.seed)
    model = t.call("LogisticRegression2")
    layer = _the_linear(t, model, "LogisticRegression2()", 2)
    n_params = sum(p.numel() for p in model.parameters())
    t.expect(n_params == 3,
             ja=f"`LogisticRegression2()` のパラメータが {n_params} 個になっています。重み 2 個とバイアス 1 個の 3 個にしてください。",
             en=f"`LogisticRegression2()` has {n_params} parameters where 3 are expected: two weights and one bias.")
    n = t.rng.randint(10, 30)
    x = t.randn(n, 2) * 2
    _model_output(t, model, layer, x, f"LogisticRegression2()(x) (x of shape ({n}, 2))")


@check(ja="boundary: 決まった重みから直線 x2 = a x1 + b を求める", en="boundary: the line x2 = a x1 + b from given weights")
def boundary_known(t):
    torch.manual_seed(t.seed)
    model = t.call("LogisticRegression2")
    layer = _the_linear(t, model, "LogisticRegression2()", 2)
    for _ in range(2):
        w1 = t.rng.choice([-1, 1]) * round(t.uniform(0.3, 3.0), 3)
        w2 = t.rng.choice([-1, 1]) * round(t.uniform(0.5, 3.0), 3)
        w0 = t.rng.choice([-1, 1]) * round(t.uniform(0.3, 3.0), 3)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor([[w1, w2]]))
            layer.bias.fill_(w0)
        got = t.call("boundary", model)
        _check_boundary(t, got, w1, w2, w0, f"boundary(model) for w1 = {w1:g}, w2 = {w2:g}, w0 = {w0:g}")


@check(ja="fit_2d: ランダムな直線で分けたデータを学習し、その直線を見つける", en="fit_2d: learn data split by a random line, and find that line")
def fit_and_boundary(t):
    a_true = round(t.uniform(-1.2, 1.2), 3)
    b_true = round(t.uniform(-1.0, 1.0), 3)
    side = t.rng.choice([-1, 1])  # which side of the line is class 1

    def make(n):
        x = torch.rand(n, 2, generator=t.gen) * 6 - 3
        return x, (side * (x[:, 1] - a_true * x[:, 0] - b_true) > 0).long()

    x, labels = make(200)
    name = "fit_2d(x, labels)"
    torch.manual_seed(t.seed)
    try:
        with _LossProbe() as probe, TrainWatch() as watch:
            model = t.call("fit_2d", x.clone(), labels.clone())
    except (RuntimeError, ValueError) as exc:
        _training_error(t, exc, name)
    _draw_training(t, watch.losses, model, x, labels)
    _probe_mistakes(t, probe, name)
    expect_trained(t, watch, name=name)
    # Drawn only now, from a source the seed does not give away: no test point is
    # anywhere the student's code could find it while it trains.
    t.gen = t.unseen_gen()
    x_test, labels_test = make(2000)
    layer = _the_linear(t, model, name, 2)
    with torch.no_grad():
        p = model(x_test)
    plain = t.shape(p, (x_test.shape[0], 1), name=f"{name} applied to test points")
    acc = float(((plain[:, 0] > 0.5).long() == labels_test).float().mean())
    t.expect(acc >= 0.93,
             ja=f"学習したモデルの正解率が新しい点で {acc:.1%} になっています。93% 以上にしてください。損失関数 (`nn.BCELoss`)、学習率、エポック数を見直してください。",
             en=f"The trained model's accuracy on new points is {acc:.1%}; it should be at least 93%. Review the loss (`nn.BCELoss`), the learning rate and the number of epochs.")
    w1, w2 = (float(v) for v in layer.weight.detach().reshape(-1))
    w0 = float(layer.bias.detach().reshape(()))
    a, b = _check_boundary(t, t.call("boundary", model), w1, w2, w0, "boundary(model) after training")
    gap = max(abs((a - a_true) * x1 + (b - b_true)) for x1 in (-3.0, 3.0))
    t.expect(gap <= 0.7,
             ja=f"学習した決定境界 x2 = {a:.3f} x1 + {b:.3f} が、データを作った直線 x2 = {a_true:.3f} x1 + {b_true:.3f} から離れすぎています (x1 が -3 から 3 の範囲で最大 {gap:.2f}、許容差 0.7)。",
             en=f"The learned boundary x2 = {a:.3f} x1 + {b:.3f} is too far from the line the data came from, x2 = {a_true:.3f} x1 + {b_true:.3f} (up to {gap:.2f} apart for x1 in [-3, 3]; tolerance 0.7).")

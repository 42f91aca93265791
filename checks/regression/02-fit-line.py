"""Hidden checks for exercise 2.2 (fit a line with nn.Linear(1, 1))."""

import numpy as np
import torch
from torch import nn

from tutor.checkkit import TrainWatch, check, expect_first_loss, expect_recorded, expect_trained

EPOCHS = 300
LR = 0.1


def _data(t, n=None):
    """Points near a line y = a x + b, as NumPy float64 arrays (like a table read from a file)."""
    rng = np.random.default_rng(t.rng.randrange(2**32))
    a = round(t.rng.choice([-1, 1]) * t.uniform(1.0, 3.0), 2)
    b = round(t.rng.choice([-1, 1]) * t.uniform(2.0, 4.0), 2)
    n = n or t.rng.randint(60, 120)
    x = rng.uniform(-2.0, 2.0, size=n)
    y = a * x + b + rng.normal(0.0, 0.3, size=n)
    return a, b, x, y


def _least_squares(x, y):
    a, b = np.polyfit(x, y, 1)
    return float(a), float(b)


def _line_of(t, model, name):
    """(a, b) of the student's model, read by evaluating it at x = 0 and x = 1."""
    t.expect(isinstance(model, nn.Module),
             ja=f"`{name}` の 1 つ目の戻り値が {type(model).__name__} になっています。学習したモデル (`nn.Linear(1, 1)`) を返してください。",
             en=f"The first value returned by `{name}` should be the trained model (`nn.Linear(1, 1)`) but is a {type(model).__name__}.")
    params = list(model.parameters())
    t.expect(len(params) > 0,
             ja=f"`{name}` が返したモデルにパラメータがありません。`nn.Linear(1, 1)` を返してください。",
             en=f"The model returned by `{name}` has no parameters. Return the `nn.Linear(1, 1)`.")
    t.mistake(params[0].dtype == torch.float64,
              ja="モデルが float64 になっています (`model.double()` でしょうか)。モデルは float32 のままにして、データのほうを `dtype=torch.float32` で float32 にしてください。",
              en="The model is float64 (`model.double()`?). Keep the model float32 and make the data float32 instead, with `dtype=torch.float32`.")
    with torch.no_grad():
        out = model(torch.tensor([[0.0], [1.0]]))
    plain = t.shape(out, (2, 1), name="model(x) for x of shape (2, 1)")
    b = float(plain[0, 0])
    return float(plain[1, 0]) - b, b


def _broadcast(t, a_hat, b_hat, y):
    """Name the (N,1)-against-(N,) mistake: the fit collapses to the mean of y."""
    t.mistake(abs(a_hat) < 0.15 and abs(b_hat - float(y.mean())) < 0.15,
              ja=f"学習した直線が y = {a_hat:.3f} x + {b_hat:.3f} で、傾きがほぼ 0 (y の平均を返すだけ) です。出力 (N,1) と目標値 (N,) の形が違うまま `nn.MSELoss` に渡していませんか。ブロードキャストで (N,N) 個の組み合わせの平均になり、x と y の対応が失われます。目標値を `view(-1, 1)` で (N,1) にしてください。",
              en=f"The learned line is y = {a_hat:.3f} x + {b_hat:.3f}: its slope is about 0 (it just predicts the mean of y). Did you pass outputs (N,1) and targets (N,) to `nn.MSELoss`? Broadcasting averages all (N,N) pairs, so x and y no longer go together. Make the targets (N,1) with `view(-1, 1)`.")


def _draw(t, x, y, model, losses):
    """Figures of the student's run: the loss per epoch, the data and the learned line (never fails)."""
    t.plot_line("loss", ja="エポックごとの損失", en="loss per epoch", lines={"loss": losses},
                x_label=("エポック", "epoch"), y_label=("損失", "loss"))
    fit = None
    try:
        xs = torch.linspace(float(x.min()), float(x.max()), 50)
        with torch.no_grad():
            fit = (xs, model(xs.view(-1, 1)).reshape(-1))
    except Exception:
        pass  # not a model we can run: show the data alone
    t.plot_points("fit", ja="データと学習した直線", en="data and the learned line", x=x, y=y, fit=fit,
                  x_label=("x", "x"), y_label=("y", "y"))


def _fit(t, x, y, draw=False):
    name = "fit_line(x, y)"
    torch.manual_seed(t.seed)  # the model's initial weights, the same on every run of this seed
    with TrainWatch() as watch:
        got = t.call("fit_line", x.copy(), y.copy())
    if draw and isinstance(got, (tuple, list)) and len(got) == 2:
        _draw(t, x, y, *got)  # before any verdict: a failing run's curve teaches too
    expect_trained(t, watch, name=name, optimizer="SGD", lr=LR, steps=EPOCHS,
                   steps_what=(f"{EPOCHS} エポック (1 エポック = 全データで 1 回の更新) ", f"{EPOCHS} epochs of one update each (all the data at once)"))
    target = torch.tensor(y, dtype=torch.float32).view(-1, 1)
    expect_first_loss(t, watch, lambda out, _: ((out - target) ** 2).mean(), name=name,
                      what=("全データの平均二乗誤差 (`nn.MSELoss`)", "the mean squared error (`nn.MSELoss`) on all the data"),
                      wrong=[(lambda out, _: ((out - target.view(1, -1)) ** 2).mean(),
                              f"`{name}` の損失は、出力 (N,1) と目標値 (N,) の形が違うまま `nn.MSELoss` に渡したときの値です。ブロードキャストで (N,N) 個の組み合わせの平均になり、x と y の対応が失われます。目標値を `view(-1, 1)` で (N,1) の形にしてください。",
                              f"The loss in `{name}` is what outputs (N,1) and targets (N,) give in `nn.MSELoss` when their shapes differ: broadcasting averages all (N,N) pairs, so x and y no longer go together. Give the targets the shape (N,1) with `view(-1, 1)`."),
                             (lambda out, _: (out - target).abs().mean(),
                              f"`{name}` の損失が差の絶対値の平均 (L1 損失、`nn.L1Loss`) です。損失関数は `nn.MSELoss` (平均二乗誤差) にしてください。",
                              f"`{name}` trains with the mean absolute difference (the L1 loss, `nn.L1Loss`): use `nn.MSELoss`, the mean squared error."),
                             (lambda out, _: ((torch.sigmoid(out) - target) ** 2).mean(),
                              f"`{name}` はモデルの出力にシグモイド関数 (sigmoid) をかけてから損失を計算しています。回帰では出力をそのまま `nn.MSELoss` に渡してください。",
                              f"`{name}` puts the model's output through a sigmoid before the loss: in regression the outputs go into `nn.MSELoss` as they are.")])
    t.expect(isinstance(got, (tuple, list)) and len(got) == 2,
             ja=f"`{name}` が {type(got).__name__} を返しています。(model, losses) の 2 つを返してください。",
             en=f"`{name}` should return the pair (model, losses) but returned a {type(got).__name__}.")
    return got, watch


@check(ja="学習した直線がデータの直線 y = ax + b に一致する", en="the learned line matches the data's line y = ax + b")
def learned_line(t):
    a, b, x, y = _data(t)
    (model, losses), _ = _fit(t, x, y, draw=True)
    a_hat, b_hat = _line_of(t, model, "fit_line(x, y)")
    a_ls, b_ls = _least_squares(x, y)
    _broadcast(t, a_hat, b_hat, y)
    t.expect(abs(a_hat - a_ls) < 0.03 + 0.01 * abs(a_ls) and abs(b_hat - b_ls) < 0.03 + 0.01 * abs(b_ls),
             ja=f"学習した直線が y = {a_hat:.3f} x + {b_hat:.3f} ですが、データの直線 (正解は a = {a}, b = {b}、最小二乗法なら y = {a_ls:.3f} x + {b_ls:.3f}) に近づいていません。学習率 (0.1 程度) とエポック数 (300 程度) を確かめ、1 エポックごとに zero_grad → 順伝播 → 損失 → backward → step の順で更新しているか見直してください。",
             en=f"The learned line is y = {a_hat:.3f} x + {b_hat:.3f}, not close to the data's line (the truth is a = {a}, b = {b}; least squares gives y = {a_ls:.3f} x + {b_ls:.3f}). Check the learning rate (about 0.1) and the number of epochs (about 300), and that each epoch runs zero_grad -> forward -> loss -> backward -> step.")


@check(ja="損失の記録がエポックごとに下がっている", en="the recorded loss goes down over the epochs")
def loss_history(t):
    a, b, x, y = _data(t)
    (model, losses), watch = _fit(t, x, y)
    t.mistake(isinstance(losses, torch.Tensor) or (isinstance(losses, (list, tuple)) and any(isinstance(v, torch.Tensor) and v.requires_grad for v in losses)),
              ja="`losses` に勾配を追跡しているテンソルが入っています。計算グラフごと残ってしまうので、`loss.item()` で数値にしてから記録してください。",
              en="`losses` holds tensors that track gradients, which keeps every computation graph alive. Record `loss.item()`, a plain number.")
    values = t.floats(losses, name="losses")
    t.expect(len(values) == watch.steps,
             ja=f"`losses` の長さが {len(values)} ですが、学習したのは {watch.steps} エポックです。エポックごとの損失を 1 つずつ記録してください。",
             en=f"`losses` has {len(values)} values for {watch.steps} epochs of training: record the loss of every epoch, one each.")
    expect_recorded(t, values, watch.losses, name="losses", what=("各エポックの損失 `loss.item()`", "each epoch's `loss.item()`"))
    _broadcast(t, *_line_of(t, model, "fit_line(x, y)"), y)
    t.decreased(list(losses), name="losses", factor=0.5)
    residual = float(np.mean((np.polyval(np.polyfit(x, y, 1), x) - y) ** 2))
    t.expect(float(losses[-1]) < residual * 1.5 + 0.01,
             ja=f"最後のエポックの損失が {float(losses[-1]):.4g} で、直線をぴったり当てはめたときの値 {residual:.4g} まで下がっていません。エポック数か学習率が足りません。",
             en=f"The last epoch's loss is {float(losses[-1]):.4g}, not down to {residual:.4g}, the loss of the best line. More epochs or a larger learning rate are needed.")


@check(ja="別の直線のデータでも学習できる (答えを書き込んでいない)", en="it learns another line too (no answer written in)")
def another_line(t):
    a, b, x, y = _data(t, n=t.rng.randint(30, 50))
    (model, losses), _ = _fit(t, x, y)
    a_hat, b_hat = _line_of(t, model, "fit_line(x, y)")
    a_ls, b_ls = _least_squares(x, y)
    _broadcast(t, a_hat, b_hat, y)
    t.scalar(a_hat, a_ls, name="the learned slope a", atol=0.03, rtol=0.01)
    t.scalar(b_hat, b_ls, name="the learned intercept b", atol=0.03, rtol=0.01)

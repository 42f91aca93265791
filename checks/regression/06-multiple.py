"""Hidden checks for exercise 2.6 (multiple regression by hand).

The data is an advertising-like table drawn per run: TV, radio and newspaper
spend on scales of hundreds, tens and tens, sales a linear function of them
with noise. References are computed in float64.
"""

import torch

from tutor.checkkit import check

_allclose = torch.allclose


def _table(t, k):
    scale = torch.tensor([300.0, 50.0, 100.0])
    X = torch.rand(k, 3, generator=t.gen) * scale
    true_w = torch.tensor([[t.uniform(0.03, 0.06)], [t.uniform(0.1, 0.25)], [t.uniform(-0.01, 0.01)]])
    y = X @ true_w + t.uniform(2.0, 4.0) + 0.5 * torch.randn(k, 1, generator=t.gen)
    return X, y


def _ones(X):
    return torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)


def _lstsq(X, y):
    A = _ones(X.double())
    return torch.linalg.solve(A.T @ A, A.T @ y.double())


def _gd(X, y, lr, steps):
    A, y = _ones(X.double()), y.double()
    w = torch.zeros(A.shape[1], 1, dtype=torch.float64)
    for _ in range(steps):
        w = w - lr * (2 / len(A)) * A.T @ (A @ w - y)
    return w


def _close(got, want, rtol=1e-3, atol=1e-3):
    return isinstance(got, torch.Tensor) and got.shape == want.shape and bool(_allclose(got.double(), want.double(), rtol=rtol, atol=atol))


@check(ja="`fit_standardizer`: 訓練データの列ごとの平均と標準偏差", en="`fit_standardizer`: the mean and std of every column of the training data")
def standardizer(t):
    X, _ = _table(t, t.rng.randint(30, 60))
    got = t.call("fit_standardizer", X.clone())
    t.expect(isinstance(got, (tuple, list)) and len(got) == 2,
             ja="`fit_standardizer(X)` は (mean, std) の 2 つを返すようにしてください。", en="`fit_standardizer(X)` should return two values, (mean, std).")
    mean, std = got
    if isinstance(std, torch.Tensor) and std.shape == (3,):
        t.mistake(_close(std, X.double().std(dim=0, correction=0), rtol=1e-5, atol=1e-5),
                  ja="`std` が k で割った標準偏差 (NumPy の `np.std` の既定) になっています。この演習では `X.std(dim=0)` と同じ、k - 1 で割る標準偏差を使ってください。",
                  en="`std` is the standard deviation divided by k (NumPy's `np.std` default). This exercise uses the one `X.std(dim=0)` computes, divided by k - 1.")
    t.tensor(mean, X.mean(dim=0), name="fit_standardizer(X) mean (one per column)", atol=1e-3, rtol=1e-5)
    t.tensor(std, X.std(dim=0), name="fit_standardizer(X) std (one per column)", atol=1e-3, rtol=1e-5)


@check(ja="`normal_equation`: 1 の列を右に付けて正規方程式を解く (バイアスは最後)", en="`normal_equation`: ones appended on the right, the normal equation solved (bias last)")
def normal(t):
    X, y = _table(t, t.rng.randint(40, 80))
    Z = (X - X.mean(0)) / X.std(0)
    want = _lstsq(Z, y)
    got = t.call("normal_equation", Z.clone(), y.clone())
    if isinstance(got, torch.Tensor) and tuple(got.shape) == (3, 1):
        t.fail(ja="`normal_equation` の結果が形 (3, 1) で、バイアスの分がありません。X の右に 1 の列を付けた A = [X | 1] で解くと、w は (n + 1, 1) になります。",
               en="`normal_equation` returned shape (3, 1), with no room for the bias. Solve with A = [X | 1], ones appended on the right, and w is (n + 1, 1).")
    t.mistake(_close(got, torch.cat([want[-1:], want[:-1]])) and not _close(got, want),
              ja="`normal_equation` の w でバイアスが最初に来ています。1 の列は X の**右**に付け、バイアスが w の最後になるようにしてください。",
              en="In the w of `normal_equation` the bias comes first. Append the ones on the RIGHT of X, so that the bias is the last entry of w.")
    t.tensor(got, want.float(), name="normal_equation(X, y)", atol=1e-3, rtol=1e-3)


@check(ja="`gradient_descent`: w = 0 から、平均二乗誤差の勾配で steps 回の更新", en="`gradient_descent`: from w = 0, steps updates along the gradient of the mean squared error")
def descent(t):
    X, y = _table(t, t.rng.randint(40, 80))
    Z = (X - X.mean(0)) / X.std(0)
    lr, steps = t.rng.choice([0.05, 0.1, 0.2]), t.rng.randint(5, 30)
    got = t.call("gradient_descent", Z.clone(), y.clone(), lr, steps)
    want = _gd(Z, y, lr, steps)
    t.mistake(_close(got, _gd(Z, y, lr / 2, steps)),
              ja="`gradient_descent` の勾配に 2 が足りません。J = mean((A w - y)**2) の勾配は (2 / k) A^T (A w - y) です。",
              en="The gradient in `gradient_descent` lacks the factor 2: the gradient of J = mean((A w - y)**2) is (2 / k) A^T (A w - y).")
    t.mistake(isinstance(got, torch.Tensor) and not bool(torch.isfinite(got).all()),
              ja="`gradient_descent` の w が発散しました (inf や NaN)。勾配をデータ数 k で割っているか (平均二乗誤差の勾配)、確かめてください。",
              en="The w of `gradient_descent` diverged (inf or NaN). Check that the gradient is divided by the number of samples k (it is the gradient of a MEAN squared error).")
    t.tensor(got, want.float(), name=f"gradient_descent(X, y, lr={lr}, steps={steps})", atol=1e-3, rtol=1e-3)


@check(ja="`predict`: 新しいデータを訓練データの平均と標準偏差で標準化して予測", en="`predict`: new data standardized with the training data's mean and std")
def predicting(t):
    X, y = _table(t, 60)
    mean, std = X.mean(0), X.std(0)
    w = _lstsq((X - mean) / std, y).float()
    bigger, _ = _table(t, 8)
    bigger = bigger * 1.5 + 20          # new shops spend more than any in the training data
    for X_new, what in ((bigger, "new samples from another range"), (bigger[:1], "one new sample")):
        name = f"predict({what}, mean, std, w)"
        got = t.call("predict", X_new.clone(), mean.clone(), std.clone(), w.clone())
        want = _ones((X_new - mean) / std) @ w
        own = (X_new - X_new.mean(0)) / X_new.std(0) if len(X_new) > 1 else None
        if own is not None:
            t.mistake(_close(got, _ones(own) @ w),
                      ja=f"`{name}` が新しいデータを、それ自身の平均と標準偏差で標準化しています。標準化は訓練データで決めた mean と std を使い、新しいデータにも同じ変換をかけてください。"
                         "新しいデータの平均で引くと、訓練データより大きな値も「平均的」に見えてしまいます。",
                      en=f"`{name}` standardizes the new data with its own mean and std. Use the mean and std fitted on the training data, the same transformation for new data: "
                         "subtract the new data's own mean and values larger than any in training look average.")
        if isinstance(got, torch.Tensor) and len(X_new) == 1 and not bool(torch.isfinite(got).all()):
            t.fail(ja=f"`{name}` が NaN になりました。1 つだけのサンプルから標準偏差を計算しています。引数の mean と std (訓練データのもの) で標準化してください。",
                   en=f"`{name}` gave NaN: it computes a standard deviation from a single sample. Standardize with the mean and std given (the training data's).")
        t.tensor(got, want, name=name, atol=1e-3, rtol=1e-3)

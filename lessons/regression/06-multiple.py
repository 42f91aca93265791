"""演習 2.6 重回帰: 正規方程式、勾配降下法、標準化 / Exercise 2.6: multiple regression: the normal equation, gradient descent, standardization

k 個のサンプルを行に並べた、特徴 n 個の X (形 (k, n) の float32。講義のバッチの形
(k, n) @ (n, m) と同じ) と、正解 y (形 (k, 1) の float32) を使います。モデルは
y = X w + b で、重みとバイアスを 1 つの列 w (形 (n + 1, 1)、バイアスは最後) にまとめ
ます。X の右に 1 の列を付けた A = [X | 1] (形 (k, n + 1)) について y = A @ w です。
k samples of n features in rows, X float32 (k, n), as in the lecture's batch
shapes (k, n) @ (n, m); targets y float32 (k, 1). The model is y = X w + b, with
the weights and the bias in ONE column w of shape (n + 1, 1), the bias LAST:
append a column of ones to X, A = [X | 1] of shape (k, n + 1), and y = A @ w.

次の 4 つの関数を書いてください。
Write four functions.

fit_standardizer(X) -> (mean, std)
    訓練データ X の特徴 (列) ごとの平均と標準偏差を、それぞれ形 (n,) の float32 で
    返します。標準偏差は X.std(dim=0) と同じ計算です。
    The mean and the standard deviation of every feature (column) of the
    TRAINING data X, each float32 of shape (n,); std as X.std(dim=0) computes it.

normal_equation(X, y) -> w
    正規方程式 (A^T A) w = A^T y から、最小二乗法の w (形 (n + 1, 1)) を求めます。
    The least-squares w (n + 1, 1) from the normal equation (A^T A) w = A^T y.

gradient_descent(X, y, lr, steps) -> w
    w = 0 (形 (n + 1, 1)) から始め、w := w - lr * g の更新を steps 回行います。g は平均
    二乗誤差 J = mean((A w - y)**2) の勾配 g = (2 / k) A^T (A w - y) です。最後の w を
    返します (手で計算しても、自動微分を使っても構いません)。
    Start from w = 0 (n + 1, 1) and make `steps` updates w := w - lr * g, where g
    is the gradient of the mean squared error J = mean((A w - y)**2), that is
    g = (2 / k) A^T (A w - y). Return the final w. (By hand or with autograd.)

predict(X_new, mean, std, w) -> torch.Tensor
    新しいサンプル X_new (形 (m, n)) の予測 (形 (m, 1)) を返します。訓練データの mean
    と std (引数で渡されたもの) で標準化してから A_new @ w を計算します。
    Predictions (m, 1) for new samples X_new (m, n): standardize them with the
    TRAINING data's mean and std (the ones given), then A_new @ w.

チェックは毎回、広告費 (テレビ、ラジオ、新聞) から売上を予測する表に似たデータを
作ります。特徴の大きさはばらばらです。新しいサンプルは訓練データと違う範囲から
来ることも、1 つずつ来ることもあります。
The checks build an advertising-like table (TV, radio and newspaper spend ->
sales) on every run, with features of very different scales; new samples may
come from another range than the training data, or one at a time.

Check it with: dltutor check 2.6
"""

import torch


def fit_standardizer(X):
    # TODO: the mean and std of every column (dim=0)
    raise NotImplementedError


def normal_equation(X, y):
    # TODO: A = X with a column of ones on the right; solve (A^T A) w = A^T y
    raise NotImplementedError


def gradient_descent(X, y, lr, steps):
    # TODO: w = zeros (n + 1, 1); `steps` times w -= lr * (2 / k) * A^T (A w - y)
    raise NotImplementedError


def predict(X_new, mean, std, w):
    # TODO: standardize X_new with the given mean and std, append ones, @ w
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 06-multiple.py
    torch.manual_seed(0)
    X = torch.rand(200, 3) * torch.tensor([300.0, 50.0, 100.0])
    y = X @ torch.tensor([[0.045], [0.19], [0.0]]) + 3 + 0.5 * torch.randn(200, 1)
    mean, std = fit_standardizer(X)
    Z = (X - mean) / std
    print("normal equation  ", normal_equation(Z, y).view(-1))
    print("gradient descent ", gradient_descent(Z, y, 0.1, 200).view(-1))
    print("raw features, GD ", gradient_descent(X, y, 1e-5, 200).view(-1))   # crawls: the scales differ
    print("predict          ", predict(X[:3], mean, std, normal_equation(Z, y)).view(-1), y[:3].view(-1))

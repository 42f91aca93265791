"""演習 1.4 勾配降下法を手で、自動微分で / Exercise 1.4: gradient descent by hand and with autograd

One step of gradient descent / 勾配降下法の 1 ステップ:   s := s - a * f'(s)
(a: the learning rate / 学習率)

次の 3 つの関数を書いてください。
Write three functions.

gd_path(s0, a, steps) -> list of float
    f(x) = x**2 に対する勾配降下法を手で (f'(x) = 2x を使って) 計算します。
    初期値 s0、学習率 a で steps 回更新し、[s0, s1, ..., s_steps] (steps + 1 個) を返します。
    Gradient descent on f(x) = x**2 BY HAND (you know f'(x) = 2x), from s0 with
    learning rate a. Return [s0, s1, ..., s_steps]: steps + 1 numbers.
    Example: gd_path(2.0, 0.2, 3) -> [2.0, 1.2, 0.72, 0.432] (approximately)

gd_autograd(start, a, steps) -> torch.Tensor
    f(x1, x2) = x1**2 / 2 + 5 * x2**2 に対する勾配降下法を自動微分で行います。
    勾配は自分で書いた式ではなく backward() で求めてください。start は (x1, x2) を
    もつ形 (2,) の float32 テンソルです。steps 回更新したあとの点を形 (2,) の
    float32 テンソルで返します。
    Gradient descent on f(x1, x2) = x1**2 / 2 + 5 * x2**2 WITH AUTOGRAD:
    the gradient must come from backward(), not from a formula you typed.
    start: a float32 tensor of shape (2,) holding (x1, x2).
    Return the point after `steps` updates, a float32 tensor of shape (2,).
    Example: start (4, 1), a = 0.18, 20 steps -> about (0.0756, 0.0115)

classify_rate(a) -> str
    同じ f で、学習率 a (0 < a < 1) のとき x2 はどう動くでしょうか。
    "monotone" (符号を変えずに 0 へ近づく)、"zigzag" (毎回符号が入れ替わりながら 0 へ近づく)、
    "diverges" (0 に近づかない) のどれかを返します。
    For the same f, how does x2 behave under gradient descent with rate a (0 < a < 1)?
    Return "monotone" (x2 shrinks toward 0 without changing sign),
    "zigzag" (x2 goes to 0 but flips its sign every step) or
    "diverges" (x2 does not go to 0).

Check it with: dltutor check 1.4
"""

import torch


def gd_path(s0, a, steps):
    # TODO: start from s0 and apply s := s - a * f'(s) `steps` times (f'(x) = 2x)
    raise NotImplementedError


def gd_autograd(start, a, steps):
    # TODO: a leaf p that requires grad, made from `start`
    # TODO: each step: f(p) -> backward() -> update p under torch.no_grad() -> clear p.grad
    raise NotImplementedError


def classify_rate(a):
    # TODO: "monotone", "zigzag" or "diverges" for the x2 direction
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 04-gradient-descent.py
    print(gd_path(2.0, 0.2, 3))
    print(gd_autograd(torch.tensor([4.0, 1.0]), 0.18, 20))
    for a in (0.05, 0.15, 0.25):
        print(a, classify_rate(a))

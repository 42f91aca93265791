"""Hidden checks for exercise 1.5 (the backprop worked example with autograd)."""

import torch

from tutor.checkkit import TrainWatch, check

KEYS = ("loss", "dW0", "dW1", "dz", "dx")
GRADS = ("dW1", "dz", "dW0", "dx")  # in the order backprop finds them: output side first


def _manual():
    x = torch.tensor([1.0, 2.0, 3.0])
    W0 = torch.tensor([[3.0, 1.0, 2.0], [-2.0, -3.0, -1.0]])
    W1 = torch.tensor([[3.0, 2.0]])
    return x, W0, W1, 10.0


def _expected(x, W0, W1, target):
    """Loss, error and gradients by the chain rule, in float64."""
    x, W0, W1 = (v.detach().double() for v in (x, W0, W1))
    z = W0 @ x
    err = float((W1 @ z)[0]) - target
    dy = 2 * err                       # dL/dy_hat
    dz = W1[0] * dy                    # dL/dz
    return {"loss": err ** 2, "err": err, "dW1": (dy * z).reshape(1, -1), "dz": dz,
            "dW0": torch.outer(dz, x), "dx": W0.T @ dz}


def _call(t, x, W0, W1, target, name):
    """Call backprop; check the dict and that no gradient is missing; return plain copies."""
    with TrainWatch() as watch:
        got = t.call("backprop", x, W0, W1, target)
    t.expect(isinstance(got, dict),
             ja=f"`{name}` が {type(got).__name__} を返しています。辞書 (dict) を返してください。",
             en=f"`{name}` should return a dict but returned a {type(got).__name__}.")
    missing = [k for k in KEYS if k not in got]
    t.expect(not missing,
             ja=f"`{name}` の辞書にキー {', '.join(map(repr, missing))} がありません。キーは {', '.join(map(repr, KEYS))} です。",
             en=f"The dict from `{name}` lacks the key(s) {', '.join(map(repr, missing))}; the keys are {', '.join(map(repr, KEYS))}.")
    t.mistake(got["dz"] is None,
              ja="`dz` が None です。z は W0 と x から計算した途中のテンソルなので、そのままでは勾配が残りません。`backward()` の前に `z.retain_grad()` を呼んでください。",
              en="`dz` is None: z is an intermediate tensor computed from W0 and x, so its gradient is not kept. Call `z.retain_grad()` before `backward()`.")
    t.mistake(got["dx"] is None,
              ja="`dx` が None です。入力 x についての勾配もほしいので、x も `requires_grad=True` の葉にしてから順伝播を計算してください。",
              en="`dx` is None: to get the gradient with respect to the input, x too must be a leaf with `requires_grad=True` before the forward pass.")
    t.mistake(got["dW0"] is None or got["dW1"] is None,
              ja="`dW0` か `dW1` が None です。重みを `requires_grad=True` の葉にしたか、`backward()` を呼んだかを確かめてください。",
              en="`dW0` or `dW1` is None. Check that the weights are leaves with `requires_grad=True` and that you call `backward()`.")
    t.expect(watch.backwards + watch.grads > 0,
             ja=f"`{name}` の中で `backward()` が呼ばれていません。勾配は連鎖律を手で書くのではなく、L から `backward()` で求めてください。",
             en=f"`{name}` never calls `backward()`: get the gradients from L with `backward()`, not from the chain rule written by hand.")
    plain = {"loss": got["loss"]}
    for key in GRADS:
        plain[key] = t.shape(got[key], tuple(_expected(x, W0, W1, target)[key].shape), name=f"{name}[{key!r}]").clone()
    return plain


def _ratio_everywhere(plain, exp, ratio):
    """True if every gradient equals `ratio` times the expected one."""
    return all(bool(torch.allclose(plain[k].double(), ratio * exp[k], rtol=1e-4, atol=1e-4)) for k in GRADS)


def _near(a, b):
    return abs(a - b) <= 1e-3 * max(1.0, abs(b))


def _compare(t, plain, exp, name):
    loss, err = plain["loss"], exp["err"]
    if isinstance(loss, torch.Tensor) and loss.numel() == 1:
        loss_value = float(loss.detach().reshape(-1)[0])
    elif isinstance(loss, (int, float)) and not isinstance(loss, bool):
        loss_value = float(loss)
    else:
        loss_value = None  # t.scalar below says what is wrong with it
    if loss_value is not None:
        # Name a mistake only where its number cannot be confused with another one.
        half, plain_err, right = err ** 2 / 2, abs(err), err ** 2
        t.mistake(_near(loss_value, half) and not _near(half, right) and not _near(half, plain_err),
                  ja="損失が (y_hat - target)^2 / 2 になっています。この演習の L は 1/2 を付けない二乗誤差 (y_hat - target)^2 です。",
                  en="Your loss is (y_hat - target)^2 / 2. In this exercise L is the squared error (y_hat - target)^2, without 1/2.")
        t.mistake((_near(loss_value, plain_err) or _near(loss_value, err)) and not _near(plain_err, right) and not _near(plain_err, half),
                  ja="損失が y_hat - target (またはその絶対値) になっています。差を 2 乗してください。",
                  en="Your loss is y_hat - target (or its absolute value): square the difference.")
    t.scalar(loss, exp["loss"], name=f"{name}['loss']", atol=1e-3, rtol=1e-4)
    t.mistake(_ratio_everywhere(plain, exp, 0.5),
              ja="どの勾配も正しい値のちょうど半分です。L がちょうど (y_hat - target)^2 になっているか (2 乗しているか、1/2 を掛けていないか) を確かめてください。",
              en="Every gradient is exactly half the right value. Check that L is exactly (y_hat - target)^2: squared, and not multiplied by 1/2.")
    for key in GRADS:
        t.tensor(plain[key], exp[key].float(), name=f"{name}[{key!r}]", atol=1e-3, rtol=1e-4)


def _draw(t):
    n, h = t.rng.randint(2, 5), t.rng.randint(2, 4)
    x, W0, W1 = t.randn(n), t.randn(h, n), t.randn(1, h)
    y_hat = float((W1.double() @ (W0.double() @ x.double()))[0])
    # Keep |y_hat - target| between 1.5 and 3, so the typical mistakes give distinct numbers.
    target = round(y_hat - t.rng.choice([-1, 1]) * t.uniform(1.5, 3.0), 3)
    return x, W0, W1, target


@check(ja="教材の計算例 (L = 1, dW0 = [[6,12,18],[4,8,12]])", en="the manual's worked example (L = 1, dW0 = [[6,12,18],[4,8,12]])")
def manual_example(t):
    x, W0, W1, target = _manual()
    name = "backprop(manual example)"
    _compare(t, _call(t, x, W0, W1, target, name), _expected(x, W0, W1, target), name)


@check(ja="ランダムな大きさと値のネットワーク", en="a network of random size and values")
def random_network(t):
    x, W0, W1, target = _draw(t)
    name = f"backprop(x of size {x.numel()}, {W0.shape[0]} hidden units)"
    _compare(t, _call(t, x, W0, W1, target, name), _expected(x, W0, W1, target), name)


@check(ja="同じテンソルで 2 回呼んでも勾配が足し込まれない", en="a second call with the same tensors does not add up gradients")
def second_call(t):
    x, W0, W1, target = _draw(t)
    exp = _expected(x, W0, W1, target)
    _call(t, x, W0, W1, target, "backprop (1st call)")
    name = "backprop (2nd call)"
    plain = _call(t, x, W0, W1, target, name)
    t.mistake(_ratio_everywhere(plain, exp, 2.0) or any(bool(torch.allclose(plain[k].double(), 2 * exp[k], rtol=1e-4, atol=1e-4)) for k in ("dW0", "dW1", "dx")),
              ja="2 回目の勾配が正しい値の 2 倍です。`.grad` は `backward()` のたびに足し込まれます (accumulate)。渡されたテンソルにそのまま勾配を付けているなら、毎回新しい葉を作るか、`backward()` の前に勾配を消してください。",
              en="The 2nd call's gradients are twice the right ones: `.grad` accumulates over `backward()` calls. If you attach gradients to the tensors you were given, make fresh leaves each call or clear the gradients before `backward()`.")
    _compare(t, plain, exp, name)

"""Hidden checks for exercise 8.4 (Keras's sparse categorical cross entropy, Keras argument order).

The expected values come from `_keras_ref.sparse_categorical_crossentropy`,
which test_tf_facts.py compares with `keras.losses.SparseCategoricalCrossentropy`
(probabilities by default, from_logits, (N, 1) labels, clipping to [1e-7, 1 - 1e-7],
mean over the batch, the (y_true, y_pred) order).
"""

import numpy as np
import torch

from tutor.checkkit import check
import _keras_ref as keras_ref  # checks/tf/_keras_ref.py
from _tfcheck import close  # checks/tf/_tfcheck.py

# Bound before any student code runs.
_softmax = torch.softmax


def _probabilities(t, n, c):
    return _softmax(t.randn(n, c) * 1.5, dim=1)


def _labels(t, n, c):
    return torch.tensor([t.rng.randrange(c) for _ in range(n)], dtype=torch.int64)


def _value(got):
    """The student's answer as a float if it is one number, else None."""
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        return float(got.detach().reshape(()))
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        return float(got)
    return None


def _same(value, expected):
    return value is not None and np.isfinite(value) and abs(value - expected) <= 1e-5 + 1e-4 * abs(expected)


def _call(t, y_true, y_pred, from_logits, name):
    """Call in Keras order; if the answer is wrong but the torch order (y_pred, y_true) gives
    the right value, name the swapped arguments."""
    expected = keras_ref.sparse_categorical_crossentropy(y_true.numpy(), y_pred.detach().numpy(), from_logits)
    kwargs = {"from_logits": True} if from_logits else {}
    try:
        got, error = t.call("sparse_categorical_crossentropy", y_true.clone(), y_pred.clone(), **kwargs), None
    except Exception as exc:  # noqa: BLE001 - judged below, re-raised if not the swapped order
        got, error = None, exc
    if not _same(_value(got), expected):
        try:
            swapped = _value(t.call("sparse_categorical_crossentropy", y_pred.clone(), y_true.clone(), **kwargs))
        except Exception:  # noqa: BLE001
            swapped = None
        t.mistake(_same(swapped, expected),
                  ja=f"`{name}` の引数の順番が逆です。Keras の損失関数は (y_true, y_pred)、つまり正解ラベルが先で予測が後です。PyTorch の損失関数 (`nn.CrossEntropyLoss()(input, target)`) は予測が先なので、逆になっています。",
                  en=f"`{name}`: the arguments are swapped. Keras losses take (y_true, y_pred): the labels first, the predictions second. Torch losses (`nn.CrossEntropyLoss()(input, target)`) take the predictions first.")
    if error is not None:
        raise error
    return got, expected


def _judge(t, got, expected, y_true, y_pred, from_logits, name):
    n = len(y_pred)
    if isinstance(got, torch.Tensor):
        t.mistake(tuple(got.shape) == (n,) and close(got, keras_ref.sparse_categorical_crossentropy_per_sample(y_true.numpy(), y_pred.detach().numpy(), from_logits)),
                  ja=f"`{name}` がサンプルごとの損失 (形 ({n},)) を返しています。`SparseCategoricalCrossentropy()` の損失はバッチの平均 (1 つの値) です。",
                  en=f"`{name}` returns one loss per sample (shape ({n},)). The `SparseCategoricalCrossentropy()` loss is the mean over the batch (one number).")
    value = _value(got)
    probs = y_pred.detach().numpy()
    t.mistake(_same(value, expected * n) and n > 1,
              ja=f"`{name}` がバッチの合計になっています ({value:.5g})。Keras の損失はバッチの平均なので、{n} で割って {expected:.5g} にしてください。",
              en=f"`{name}` is the sum over the batch ({value:.5g}). Keras losses average over the batch: it should be {expected:.5g}, the sum divided by {n}.")
    if not from_logits:
        t.mistake(_same(value, keras_ref.sparse_categorical_crossentropy(y_true.numpy(), probs, from_logits=True)),
                  ja=f"`{name}` は確率に `log_softmax` (または `F.cross_entropy`) をかけています。`from_logits=False` のとき y_pred はソフトマックス関数を通したあとの確率なので、もう一度ソフトマックスをかけてはいけません。確率の対数 (`log`) をとってください。",
                  en=f"`{name}` applies `log_softmax` (or `F.cross_entropy`) to probabilities. With `from_logits=False`, y_pred already went through a softmax: do not apply another one; take the log of the probabilities.")
    else:
        picked = np.clip(probs[np.arange(n), y_true.numpy().reshape(-1)], keras_ref.EPSILON, 1 - keras_ref.EPSILON)
        as_probabilities = (keras_ref.sparse_categorical_crossentropy(y_true.numpy(), probs, from_logits=False), float(-np.log(picked).mean()))
        t.mistake(value is not None and (not np.isfinite(value) or any(_same(value, v) for v in as_probabilities)),
                  ja=f"`{name}` が `from_logits=True` を無視して、ロジットを確率として扱っています (結果 {value})。`from_logits=True` のとき y_pred はソフトマックス関数を通す前の値 (ロジット) なので、`log_softmax` で対数確率にしてください。",
                  en=f"`{name}` ignores `from_logits=True` and treats the logits as probabilities (result {value}). With `from_logits=True`, y_pred holds values before the softmax (logits): turn them into log-probabilities with `log_softmax`.")
    t.expect(value is not None,
             ja=f"`{name}` が {type(got).__name__} {tuple(got.shape) if isinstance(got, torch.Tensor) else ''} を返しています。1 つの値 (0 次元のテンソル) を返してください。",
             en=f"`{name}` should return one number (a 0-d tensor) but returned a {type(got).__name__} {tuple(got.shape) if isinstance(got, torch.Tensor) else ''}.")
    t.scalar(got, expected, name=name, atol=1e-5, rtol=1e-4)


@check(ja="確率と整数ラベルで (from_logits=False、Keras の既定)", en="probabilities and integer labels (from_logits=False, the Keras default)")
def probabilities(t):
    n, c = t.rng.randint(4, 9), t.rng.randint(3, 6)
    y_true, y_pred = _labels(t, n, c), _probabilities(t, n, c)
    name = f"sparse_categorical_crossentropy(y_true ({n},), y_pred ({n}, {c}))"
    got, expected = _call(t, y_true, y_pred, False, name)
    _judge(t, got, expected, y_true, y_pred, False, name)


@check(ja="ロジットで (from_logits=True)", en="logits (from_logits=True)")
def logits(t):
    n, c = t.rng.randint(4, 9), t.rng.randint(3, 6)
    y_true, y_pred = _labels(t, n, c), t.randn(n, c) * 2.0
    name = f"sparse_categorical_crossentropy(y_true ({n},), logits ({n}, {c}), from_logits=True)"
    got, expected = _call(t, y_true, y_pred, True, name)
    _judge(t, got, expected, y_true, y_pred, True, name)


@check(ja="形 (N, 1) のラベルでも同じ値 (Keras は最後の軸を取り除く)", en="labels of shape (N, 1) give the same value (Keras squeezes the last axis)")
def labels_n_by_1(t):
    n, c = t.rng.randint(4, 9), t.rng.randint(3, 6)
    y_true, y_pred = _labels(t, n, c).view(-1, 1), _probabilities(t, n, c)
    name = f"sparse_categorical_crossentropy(y_true ({n}, 1), y_pred ({n}, {c}))"
    got, expected = _call(t, y_true, y_pred, False, name)
    t.mistake(not _same(_value(got), expected),
              ja=f"`{name}` の値が {expected:.5g} になりません (結果 {_value(got) if _value(got) is not None else got})。ラベルが形 (N, 1) で来ることもあり、Keras はそのときも (N,) と同じに扱います。"
                 "(N, 1) のラベルで `y_pred[torch.arange(N), y_true]` のように添字を付けると、ブロードキャストで (N, N) の組み合わせになってしまいます。先に `y_true.reshape(-1)` で (N,) にしてください。",
              en=f"`{name}` is not {expected:.5g} (got {_value(got) if _value(got) is not None else got}). Labels may come as (N, 1), and Keras treats them like (N,). "
                 "Indexing with (N, 1) labels, as in `y_pred[torch.arange(N), y_true]`, broadcasts into (N, N) pairs: make them (N,) first with `y_true.reshape(-1)`.")
    _judge(t, got, expected, y_true, y_pred, False, name)


@check(ja="確率 0 でも無限大にならない (Keras は [1e-7, 1 - 1e-7] に切り詰める)", en="a probability of 0 gives no infinity (Keras clips to [1e-7, 1 - 1e-7])")
def clipped(t):
    n, c = t.rng.randint(4, 7), t.rng.randint(3, 5)
    y_true = _labels(t, n, c)
    y_pred = _probabilities(t, n, c)
    row = t.rng.randrange(n)
    y_pred[row] = torch.full((c,), 1.0 / (c - 1))        # the true class of this row gets probability 0
    y_pred[row, y_true[row]] = 0.0
    name = f"sparse_categorical_crossentropy(y_true ({n},), y_pred ({n}, {c}))"
    got, expected = _call(t, y_true, y_pred, False, name)
    value = _value(got)
    t.mistake(value is not None and not np.isfinite(value),
              ja=f"`{name}` が {value} になりました。log(0) は -∞ です。Keras は対数をとる前に確率を [1e-7, 1 - 1e-7] の範囲に切り詰める (clip する) ので、確率 0 のサンプルの損失は -log(1e-7) ≈ 16.12 になります。`clamp(1e-7, 1 - 1e-7)` を使ってください。",
              en=f"`{name}` is {value}: log(0) is minus infinity. Keras clips the probabilities to [1e-7, 1 - 1e-7] before the log, so a sample with probability 0 costs -log(1e-7) ≈ 16.12. Use `clamp(1e-7, 1 - 1e-7)`.")
    _judge(t, got, expected, y_true, y_pred, False, name)


@check(ja="損失は微分できるテンソル (`backward()` で y_pred に勾配が届く)", en="the loss is a differentiable tensor (`backward()` reaches y_pred)")
def differentiable(t):
    n, c = t.rng.randint(4, 9), t.rng.randint(3, 6)
    y_true = _labels(t, n, c)
    for from_logits in (False, True):
        y_pred = (_probabilities(t, n, c) if not from_logits else t.randn(n, c)).requires_grad_(True)
        name = f"sparse_categorical_crossentropy(..., from_logits={from_logits})"
        got, _ = _call(t, y_true, y_pred, from_logits, name)
        t.expect(isinstance(got, torch.Tensor) and got.requires_grad,
                 ja=f"`{name}` が計算グラフにつながったテンソルを返していません ({type(got).__name__})。損失は学習で `backward()` を呼ぶので、`.item()` や NumPy で数値にせず、テンソルのまま返してください。",
                 en=f"`{name}` does not return a tensor connected to the graph (a {type(got).__name__}). A loss is used for `backward()` in training: return it as a tensor, not as a number (`.item()`) or through NumPy.")
        got.reshape(()).backward() if got.numel() == 1 else got.sum().backward()
        t.expect(y_pred.grad is not None and bool(torch.isfinite(y_pred.grad).all()),
                 ja=f"`{name}` の `backward()` で y_pred に有限の勾配が届きません。",
                 en=f"`backward()` through `{name}` gives y_pred no finite gradient.")

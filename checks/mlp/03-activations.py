"""Hidden checks for exercise 4.3 (sigmoid, tanh and ReLU from their definitions)."""

import contextlib

import torch
import torch.nn.functional as F

from tutor.checkkit import check

# PyTorch's own activations, bound before any student code runs: the expected values.
_SIGMOID, _TANH, _RELU, _EXP = torch.sigmoid, torch.tanh, torch.relu, torch.exp
_equal, _allclose = torch.equal, torch.allclose

# What the student may not call: (owner, attribute name).
_BUILTINS = [(torch, "sigmoid"), (torch, "tanh"), (torch, "relu"), (torch, "relu_"), (torch, "sigmoid_"), (torch, "tanh_"),
             (torch.special, "expit"), (F, "sigmoid"), (F, "tanh"), (F, "relu"), (F, "relu_"),
             (torch.Tensor, "sigmoid"), (torch.Tensor, "tanh"), (torch.Tensor, "relu"),
             (torch.Tensor, "sigmoid_"), (torch.Tensor, "tanh_"), (torch.Tensor, "relu_")]


# The same, as dotted paths, for `t.by_hand` (names bound at import, the autograd graph).
_LIBRARY = tuple(f"{'torch.Tensor' if owner is torch.Tensor else owner.__name__}.{attr}" for owner, attr in _BUILTINS)
_NODES = ("SigmoidBackward0", "TanhBackward0", "ReluBackward0")


class _BuiltinUsed(Exception):
    def __init__(self, what):
        super().__init__(what)
        self.what = what


@contextlib.contextmanager
def _no_builtins():
    """Make PyTorch's sigmoid/tanh/relu raise while the student's function runs (a private helper)."""
    saved = []
    for owner, attr in _BUILTINS:
        own = owner.__dict__.get(attr, None) if isinstance(owner, type) else getattr(owner, attr, None)
        saved.append((owner, attr, own))

        def refuse(*args, _name=f"{getattr(owner, '__name__', 'Tensor')}.{attr}", **kwargs):
            raise _BuiltinUsed(_name)

        setattr(owner, attr, refuse)
    try:
        yield
    finally:
        for owner, attr, own in reversed(saved):
            if isinstance(owner, type) and own is None:
                delattr(owner, attr)
            else:
                setattr(owner, attr, own)


def _call(t, fname, u):
    """Call the student's activation on a copy of u; refuse the built-ins; check u is untouched."""
    arg = u.clone()
    try:
        with _no_builtins():
            got = t.call(fname, arg)
    except RuntimeError as exc:
        if "Boolean value of Tensor" not in str(exc):
            raise
        t.fail(ja=f"`{fname}` で `max(0, u)` や `if u > 0:` のように、テンソル全体を 1 つの真偽値として使っています ({exc})。Python の `max` や `if` は要素ごとには働きません。`torch.clamp(u, min=0)` や `torch.where` を使ってください。",
               en=f"`{fname}` uses the whole tensor as one truth value, as in `max(0, u)` or `if u > 0:` ({exc}). Python's `max` and `if` do not work element by element: use `torch.clamp(u, min=0)` or `torch.where`.")
    except _BuiltinUsed as used:
        t.fail(ja=f"`{fname}` の中で PyTorch の `{used.what}` を使っています。この演習では定義の式から、`torch.exp` や四則演算などで自分で書いてください (チェックが答え合わせに使うのがその関数です)。",
               en=f"`{fname}` calls PyTorch's own `{used.what}`. In this exercise write it from the definition with `torch.exp` and arithmetic (that built-in is what the check compares with).")
    # A library function bound at import (`from torch import sigmoid as s`) or reached some
    # other way: the spies above cannot see it, its name in the file and the graph can.
    t.by_hand(fname, u.clone(), library=_LIBRARY, nodes=_NODES)
    t.expect(bool(_equal(arg, u)),
             ja=f"`{fname}` が受け取った u をその場で書き換えています (`u[u < 0] = 0` や `clamp_` など)。呼び出した側のテンソルまで変わってしまうので、新しいテンソルを作って返してください。",
             en=f"`{fname}` changed the u it was given in place (`u[u < 0] = 0`, `clamp_`, ...). That also changes the caller's tensor: build and return a new one.")
    return got


def _close(got, expected):
    return isinstance(got, torch.Tensor) and got.shape == expected.shape and bool(
        _allclose(got.detach().double(), expected.double(), atol=1e-5, rtol=1e-4))


def _inputs(t):
    """A random-shaped tensor that includes 0, negative and positive values."""
    shape = tuple(t.rng.randint(2, 5) for _ in range(t.rng.randint(1, 3)))
    u = t.randn(*shape) * 4
    u.view(-1)[0] = 0.0
    u.view(-1)[-1] = -abs(float(u.view(-1)[-1])) - 0.5
    return u


@check(ja="シグモイド関数", en="the sigmoid")
def sigmoid(t):
    u = _inputs(t)
    name = f"sigmoid(u), u of shape {tuple(u.shape)}"
    got = _call(t, "sigmoid", u)
    expected = _SIGMOID(u)
    t.mistake(_close(got, _SIGMOID(-u)),
              ja=f"`{name}` が σ(-u) になっています。σ(u) = 1 / (1 + exp(-u)) で、exp の中はマイナス u です。σ(0) = 0.5 で、u が大きいほど 1 に近づきます。",
              en=f"`{name}` gives σ(-u). σ(u) = 1 / (1 + exp(-u)), with minus u inside exp: σ(0) = 0.5 and σ(u) goes to 1 as u grows.")
    t.mistake(_close(got, _EXP(-u)) or _close(got, 1 + _EXP(-u)),
              ja=f"`{name}` は 1 / (1 + exp(-u)) の分母 (またはその一部) のままです。1 をそれで割ってください。",
              en=f"`{name}` returns the denominator of 1 / (1 + exp(-u)) (or part of it): divide 1 by it.")
    t.tensor(got, expected, name=name)
    big = torch.tensor([-20.0, -8.0, 8.0, 20.0])
    t.tensor(_call(t, "sigmoid", big), _SIGMOID(big), name="sigmoid(tensor([-20., -8., 8., 20.]))")


@check(ja="tanh", en="tanh")
def tanh(t):
    u = _inputs(t)
    name = f"tanh(u), u of shape {tuple(u.shape)}"
    got = _call(t, "tanh", u)
    expected = _TANH(u)
    t.mistake(_close(got, (_EXP(u) - _EXP(-u)) / 2),
              ja=f"`{name}` が (exp(u) - exp(-u)) / 2 (sinh) になっています。tanh は (exp(u) + exp(-u)) で割ります。",
              en=f"`{name}` gives (exp(u) - exp(-u)) / 2, which is sinh. tanh divides by (exp(u) + exp(-u)).")
    # Both saturate at ±1, so the mistake is named only where they differ (not when u is all 0 and -12).
    t.mistake(_close(got, 2 * _SIGMOID(u) - 1) and not _close(expected, 2 * _SIGMOID(u) - 1),
              ja=f"`{name}` が 2σ(u) - 1 になっています。シグモイド関数で書くなら tanh(u) = 2σ(2u) - 1 で、中は 2u です。",
              en=f"`{name}` gives 2σ(u) - 1. In terms of the sigmoid, tanh(u) = 2σ(2u) - 1: the argument is 2u.")
    t.tensor(got, expected, name=name)
    big = torch.tensor([-20.0, -5.0, 5.0, 20.0])
    t.tensor(_call(t, "tanh", big), _TANH(big), name="tanh(tensor([-20., -5., 5., 20.]))")


@check(ja="ReLU", en="ReLU")
def relu(t):
    u = _inputs(t)
    name = f"relu(u), u of shape {tuple(u.shape)}"
    got = _call(t, "relu", u)
    t.mistake(isinstance(got, tuple) and hasattr(got, "values") and hasattr(got, "indices"),
              ja=f"`{name}` が (values, indices) の組を返しています。`torch.max(u, 0)` は 0 との比較ではなく、0 番目の次元に沿った最大値を求めます。要素ごとに 0 と比べるには `torch.clamp(u, min=0)` か `torch.maximum(u, torch.zeros_like(u))` です。",
              en=f"`{name}` returned a (values, indices) pair: `torch.max(u, 0)` reduces along dimension 0, it does not compare with 0. To compare each element with 0 use `torch.clamp(u, min=0)` or `torch.maximum(u, torch.zeros_like(u))`.")
    t.mistake(_close(got, u.clamp(max=0)) or _close(got, u.clamp(max=0).abs()),
              ja=f"`{name}` は負の部分を残して正の部分を 0 にしています。ReLU は負の値を 0 にし、正の値はそのまま通します。",
              en=f"`{name}` keeps the negative part and zeroes the positive one. ReLU sets negative values to 0 and passes positive ones through.")
    t.mistake(_close(got, u.abs()),
              ja=f"`{name}` が |u| になっています。ReLU は負の値の符号を変えるのではなく 0 にします。",
              en=f"`{name}` gives |u|. ReLU does not flip negative values, it sets them to 0.")
    t.tensor(got, _RELU(u), name=name)


@check(ja="どの関数もいろいろな形のテンソルに使える", en="every function works on tensors of any shape")
def shapes(t):
    for fname, builtin in (("sigmoid", _SIGMOID), ("tanh", _TANH), ("relu", _RELU)):
        for shape in ((), (t.rng.randint(1, 6),), (2, 3, t.rng.randint(1, 4))):
            u = (t.randn(*shape) if shape else t.randn(1).reshape(())) * 3
            t.tensor(_call(t, fname, u), builtin(u), name=f"{fname}(u), u of shape {tuple(shape)}")

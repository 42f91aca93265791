"""Hidden checks for exercise 4.2 (counting parameters and weight shapes)."""

import torch
from torch import nn

from tutor.checkkit import check

LAB = ([2, 15, 1], [8, 100, 100, 1], [784, 784, 784, 10])  # 61, 11,101 and 1,238,730 parameters

# Bound before any student code runs.
_module_init = nn.Module.__init__


class _ModelWatch:
    """Within the block, count the modules created (every nn.Module's __init__ reaches this one)."""

    def __enter__(self):
        self.made = []

        def init(module, *args, **kwargs):
            self.made.append(type(module).__name__)
            return _module_init(module, *args, **kwargs)

        nn.Module.__init__ = init
        return self

    def __exit__(self, *exc):
        nn.Module.__init__ = _module_init
        return False


def _call_without_model(t, fn, sizes, name):
    """Call the student's `fn` on the sizes; it must work them out, not build the model."""
    with _ModelWatch() as watch:
        got = t.call(fn, list(sizes))
    t.mistake(bool(watch.made),
              ja=f"`{name}` の中でモデル ({watch.made[0] if watch.made else ''}) を作っています。この関数ではモデルを作らずに、大きさのリストから計算してください (784-784-784-10 のような大きなネットワークでは、作るだけでメモリと時間を使います)。",
              en=f"`{name}` builds a model ({watch.made[0] if watch.made else ''}): work it out from the sizes, without building one (a network such as 784-784-784-10 costs memory and time just to build).")
    return got


def _layers(sizes):
    return list(zip(sizes[:-1], sizes[1:]))


def _count(sizes):
    return sum(i * o + o for i, o in _layers(sizes))


def _sizes_text(sizes):
    return "[" + ", ".join(map(str, sizes)) + "]"


def _int(t, got, name):
    if isinstance(got, torch.Tensor) and got.numel() == 1 and not got.dtype.is_floating_point:
        got = int(got.item())
    t.expect(isinstance(got, int) and not isinstance(got, bool),
             ja=f"`{name}` が {type(got).__name__} を返しています。整数 (int) を返してください。",
             en=f"`{name}` should return an int but returned a {type(got).__name__}.")
    return got


def _check_count(t, sizes):
    name = f"param_count({_sizes_text(sizes)})"
    got = _int(t, _call_without_model(t, "param_count", sizes, name), name)
    expected = _count(sizes)
    t.mistake(got == sum(i * o for i, o in _layers(sizes)),
              ja=f"`{name}` が {got} で、重みしか数えていません。バイアスを忘れています: 各層に out 個のバイアスがあり、1 層で in*out + out 個です。",
              en=f"`{name}` is {got}: only the weights are counted. You forgot the biases: every layer has out of them, in*out + out per layer.")
    t.mistake(got == expected + sizes[0],
              ja=f"`{name}` が {got} で、正しい値より入力の大きさ {sizes[0]} だけ多くなっています。入力層にはバイアスがありません。バイアスがあるのは各 `nn.Linear` の出力側だけです。",
              en=f"`{name}` is {got}, the input size {sizes[0]} too many: the input has no bias. Only each `nn.Linear`'s outputs have one.")
    t.mistake(got == sum(i * o + i for i, o in _layers(sizes)) and got != expected,
              ja=f"`{name}` が {got} で、バイアスを入力の数 (in) だけ数えています。バイアスは出力 1 つに 1 個なので、1 層で in*out + out 個です。",
              en=f"`{name}` is {got}: you counted a bias per input (in). There is one bias per output, so in*out + out per layer.")
    t.equal(got, expected, name=name)


def _shape_tuple(value):
    """A shape given as a tuple, list or torch.Size of ints, as a plain tuple; None if it is none of those."""
    if isinstance(value, (tuple, list, torch.Size)) and all(isinstance(d, int) and not isinstance(d, bool) for d in value):
        return tuple(value)
    return None


def _check_shapes(t, sizes):
    name = f"weight_shapes({_sizes_text(sizes)})"
    got = _call_without_model(t, "weight_shapes", sizes, name)
    layers = _layers(sizes)
    t.expect(isinstance(got, (list, tuple)),
             ja=f"`{name}` が {type(got).__name__} を返しています。リストを返してください。",
             en=f"`{name}` should return a list but returned a {type(got).__name__}.")
    t.expect(len(got) == len(layers),
             ja=f"`{name}` の要素が {len(got)} 個になっています。全結合層は {len(layers)} 個なので {len(layers)} 組にしてください (大きさが k 個なら層は k - 1 個)。",
             en=f"`{name}` has {len(got)} entries but there are {len(layers)} fully connected layers, so {len(layers)} pairs (k sizes make k - 1 layers).")
    pairs = []
    for k, item in enumerate(got):
        ok = isinstance(item, (list, tuple)) and len(item) == 2
        w, b = (_shape_tuple(item[0]), _shape_tuple(item[1])) if ok else (None, None)
        t.expect(w is not None and b is not None,
                 ja=f"`{name}` の {k} 番目が {item!r:.60} になっています。(重みの形, バイアスの形) の組にして、それぞれを (15, 2) や (15,) のような整数のタプルにしてください。",
                 en=f"Entry {k} of `{name}` should be a pair (weight shape, bias shape) of int tuples such as (15, 2) and (15,), but is {item!r:.60}.")
        pairs.append((w, b))
    for k, ((w, b), (i, o)) in enumerate(zip(pairs, layers)):
        t.mistake(i != o and w == (i, o),
                  ja=f"`{name}` の {k} 番目の重みの形が ({i}, {o}) です。`nn.Linear(in, out).weight` の形は (in, out) ではなく (out, in) で、この層では ({o}, {i}) です。",
                  en=f"In `{name}`, weight {k} has shape ({i}, {o}). `nn.Linear(in, out).weight` has shape (out, in), not (in, out): ({o}, {i}) for this layer.")
        t.mistake(b == (i,) and i != o,
                  ja=f"`{name}` の {k} 番目のバイアスの形が ({i},) です。バイアスは出力 1 つに 1 個なので ({o},) です。",
                  en=f"In `{name}`, bias {k} has shape ({i},). There is one bias per output: ({o},).")
    t.equal(pairs, [((o, i), (o,)) for i, o in layers], name=name)


@check(ja="教材のネットワークのパラメータ数 (61, 11101, 1238730)", en="the lab networks' parameter counts (61, 11101, 1238730)")
def lab_counts(t):
    order = list(LAB)
    t.rng.shuffle(order)
    for sizes in order:
        _check_count(t, sizes)


@check(ja="ランダムな大きさの MLP のパラメータ数", en="parameter counts for random layer sizes")
def random_counts(t):
    for _ in range(3):
        sizes = [t.rng.randint(1, 300) for _ in range(t.rng.randint(2, 5))]
        while len(set(sizes)) < len(sizes):  # all sizes differ, so swapped shapes always show
            sizes = [t.rng.randint(1, 300) for _ in range(len(sizes))]
        _check_count(t, sizes)


@check(ja="重みとバイアスの形", en="weight and bias shapes")
def shapes(t):
    _check_shapes(t, [2, 15, 1])
    sizes = t.rng.sample(range(2, 200), t.rng.randint(3, 5))
    _check_shapes(t, sizes)


def _random_model(t):
    """A model the student has not seen: Linear layers (some without bias) and ReLUs."""
    sizes = t.rng.sample(range(2, 60), t.rng.randint(3, 5))
    layers = []
    biased = [t.rng.random() < 0.6 for _ in range(len(sizes) - 1)]
    biased[t.rng.randrange(len(biased))] = False
    for (i, o), bias in zip(_layers(sizes), biased):
        layers += [nn.Linear(i, o, bias=bias), nn.ReLU()]
    model = nn.Sequential(*layers[:-1])
    return model, sizes, biased


@check(ja="任意のモデルのパラメータ数を数える", en="count the parameters of any model")
def model_count(t):
    model, sizes, biased = _random_model(t)
    desc = " -> ".join(f"Linear({i}, {o}{'' if b else ', bias=False'})" for (i, o), b in zip(_layers(sizes), biased))
    name = f"count_parameters({desc})"
    expected = sum(p.numel() for p in model.parameters())
    got = _int(t, t.call("count_parameters", model), name)
    t.mistake(got == len(list(model.parameters())),
              ja=f"`{name}` が {got} で、これはパラメータのテンソルの個数です。数えるのはテンソルの中の数値の個数なので、各テンソルの `numel()` を足し合わせてください。",
              en=f"`{name}` is {got}: that counts the parameter tensors. Count the numbers inside them: add up each tensor's `numel()`.")
    t.mistake(got == _count(sizes) and got != expected,
              ja=f"`{name}` が {got} で、どの層にもバイアスがあるとして式から計算しています。bias=False の層もあるので、`model.parameters()` から実際に数えてください。",
              en=f"`{name}` is {got}: you computed it from the formula as if every layer had a bias. Some layers have bias=False, so count what `model.parameters()` actually holds.")
    tensors = len(list(model.parameters()))
    t.mistake(got != expected and got % tensors == 0 and got // tensors not in (0, 1),
              ja=f"`{name}` が {got} で、{tensors} 個のパラメータのテンソルをどれも {got // tensors} 個の数値として数えています。テンソルごとに実際の要素数 `numel()` を足してください。",
              en=f"`{name}` is {got}: each of the {tensors} parameter tensors counted as {got // tensors} numbers. Add up each tensor's actual number of elements, `numel()`.")
    t.equal(got, expected, name=name)

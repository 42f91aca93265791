"""Hidden checks for exercise 8.1 (Keras Dense weights in a torch nn.Linear).

Per run the check draws Keras-layout weights (kernel (in, out), bias (out,)),
builds the student's torch layers from them and compares their outputs with
what Keras computes (`_keras_ref.dense` / `_keras_ref.mlp`, verified against
real TensorFlow in test_tf_facts.py).
"""

import numpy as np
import torch
from torch import nn

from tutor.checkkit import check
import _keras_ref as keras_ref  # checks/tf/_keras_ref.py
from _tfcheck import close, forward, keras_array, module, param_count, to_tensor  # checks/tf/_tfcheck.py

TRANSPOSE = ("Keras の `Dense` のカーネルは (入力数, 出力数) = (in, out) の形ですが、PyTorch の `nn.Linear.weight` は (out, in) です。"
             "カーネルを転置 (`.T`) してから `weight` にコピーしてください。",
             "A Keras `Dense` kernel is (in, out), but torch's `nn.Linear.weight` is (out, in): "
             "transpose the kernel (`.T`) before copying it into `weight`.")


def _layer(t, kernel, bias, name):
    layer = module(t, t.call("dense_to_linear", kernel, bias), name, nn.Linear)
    n_in, n_out = kernel.shape
    w = getattr(layer, "weight", None)
    t.expect(isinstance(w, torch.Tensor), ja=f"`{name}` に `weight` がありません。", en=f"`{name}` has no `weight`.")
    t.mistake(tuple(w.shape) == (n_in, n_out) and n_in != n_out,
              ja=f"`{name}.weight` の形が {(n_in, n_out)} のままです。{TRANSPOSE[0]}",
              en=f"`{name}.weight` still has the shape {(n_in, n_out)}. {TRANSPOSE[1]}")
    t.equal(tuple(w.shape), (n_out, n_in), name=f"{name}.weight.shape")
    t.mistake(w.dtype == torch.float64,
              ja=f"`{name}.weight` が float64 です。NumPy の配列が float64 だと、`torch.from_numpy` や `torch.tensor` はその dtype のままテンソルを作ります。"
                 "PyTorch のモデルは float32 で計算するので、float32 に変換してからコピーしてください。",
              en=f"`{name}.weight` is float64: from a float64 NumPy array, `torch.from_numpy` and `torch.tensor` keep that dtype. "
                 "Torch models compute in float32, so convert to float32 before copying.")
    t.dtype(w, torch.float32, name=f"{name}.weight")
    t.expect(param_count(layer) == n_in * n_out + n_out,
             ja=f"`{name}` のパラメータ (`parameters()`) が {param_count(layer)} 個になっています。重みとバイアスで {n_in * n_out + n_out} 個にしてください。`nn.Parameter` として登録されていますか。",
             en=f"`{name}` has {param_count(layer)} parameters (`parameters()`) but weight and bias make {n_in * n_out + n_out}. Are they registered as `nn.Parameter`s?")
    return layer


def _judge_dense(t, layer, kernel, bias, name):
    n_in = kernel.shape[0]
    x = t.randn(t.rng.randint(3, 7), n_in)
    got = forward(t, layer, x, name)
    xn = x.numpy()
    square = kernel.shape[0] == kernel.shape[1]
    t.mistake(square and close(got, keras_ref.dense(xn, kernel.T, bias)) and not close(kernel, kernel.T),
              ja=f"`{name}` の出力が、カーネルを転置せずに重みにしたときの値になっています。{TRANSPOSE[0]}",
              en=f"`{name}` gives the outputs of the kernel used without transposing. {TRANSPOSE[1]}")
    t.mistake(not square and close(got, keras_ref.dense(xn, kernel.reshape(kernel.shape[1], kernel.shape[0]).T, bias))
              and not close(got, keras_ref.dense(xn, kernel, bias)),
              ja=f"`{name}` の重みは、カーネルを `reshape` (`view`) で (out, in) にしたものになっています。`reshape` は要素を並んだ順に詰め直すだけで、行と列は入れ替わりません。転置 (`.T`) を使ってください。",
              en=f"The weight of `{name}` is the kernel reshaped (`reshape`/`view`) to (out, in). Reshaping only refills the elements in their order; it does not swap rows and columns. Transpose (`.T`) instead.")
    no_bias = np.asarray(got.detach().double()) - xn.astype(np.float64) @ kernel.astype(np.float64) if isinstance(got, torch.Tensor) and tuple(got.shape) == (len(xn), kernel.shape[1]) else None
    t.mistake(no_bias is not None and np.allclose(no_bias, no_bias[:1], atol=1e-4) and not np.allclose(no_bias[0], bias, atol=1e-4),
              ja=f"`{name}` は重みは正しいのですが、バイアスが Keras の値になっていません。バイアスもコピーしてください (Keras の bias と `nn.Linear.bias` は同じ形 (out,) です)。",
              en=f"`{name}` has the right weight but not the Keras bias: copy the bias too (the Keras bias and `nn.Linear.bias` have the same shape (out,)).")
    t.tensor(got, to_tensor(keras_ref.dense(xn, kernel, bias)), name=f"{name}(x)", atol=1e-4, rtol=1e-4)


@check(ja="`dense_to_linear`: 入力数と出力数が違う Dense 層", en="`dense_to_linear`: a Dense layer with different in and out sizes")
def dense_rectangular(t):
    n_in = t.rng.randint(2, 7)
    n_out = t.rng.choice([n for n in range(2, 8) if n != n_in])
    kernel, bias = keras_array(t, n_in, n_out), keras_array(t, n_out)
    name = f"dense_to_linear(kernel {kernel.shape}, bias)"
    layer = _layer(t, kernel, bias, name)
    _judge_dense(t, layer, kernel, bias, name)


@check(ja="`dense_to_linear`: 入力数と出力数が同じ Dense 層 (形だけでは間違いに気づけない場合)", en="`dense_to_linear`: a square Dense layer (where the shape alone cannot tell)")
def dense_square(t):
    n = t.rng.randint(3, 6)
    kernel, bias = keras_array(t, n, n), keras_array(t, n)
    name = f"dense_to_linear(kernel {kernel.shape}, bias)"
    layer = _layer(t, kernel, bias, name)
    _judge_dense(t, layer, kernel, bias, name)


@check(ja="`dense_to_linear`: float64 で保存された重みでも float32 の層を作る", en="`dense_to_linear`: a float32 layer even from weights saved as float64")
def dense_float64(t):
    n_in, n_out = t.rng.randint(2, 6), t.rng.randint(2, 6)
    kernel, bias = keras_array(t, n_in, n_out).astype(np.float64), keras_array(t, n_out).astype(np.float64)
    name = f"dense_to_linear(kernel {kernel.shape} float64, bias float64)"
    layer = _layer(t, kernel, bias, name)
    _judge_dense(t, layer, kernel, bias, name)


@check(ja="`mlp_from_keras`: `get_weights()` のリストから ReLU の MLP を組み立てる", en="`mlp_from_keras`: a ReLU MLP from a `get_weights()` list")
def mlp(t):
    sizes = [t.rng.randint(3, 6)] + [t.rng.randint(4, 8) for _ in range(t.rng.randint(1, 2))] + [t.rng.randint(1, 3)]
    weights = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        weights += [keras_array(t, a, b, scale=0.8), keras_array(t, b, scale=0.5)]
    x = t.randn(t.rng.randint(6, 10), sizes[0]) * 1.5
    xn = x.numpy()
    # Centre the last bias so that about half of the outputs are negative: a ReLU
    # after the last layer then changes them visibly.
    weights[-1] = (weights[-1] - np.median(keras_ref.mlp(xn, weights), axis=0)).astype(np.float32)
    name = f"mlp_from_keras(weights of layers {sizes})"
    model = module(t, t.call("mlp_from_keras", [w.copy() for w in weights]), name)
    expected_params = sum(w.size for w in weights)
    t.mistake(param_count(model) == 0,
              ja=f"`{name}` のモデルにパラメータが 1 つも登録されていません (`parameters()` が空)。層を Python の普通のリストに入れると、`nn.Module` はその層を知りません。`nn.Sequential(*layers)` か `nn.ModuleList(layers)` を使ってください。",
              en=f"The model from `{name}` has no registered parameters (`parameters()` is empty): layers kept in a plain Python list are invisible to `nn.Module`. Use `nn.Sequential(*layers)` or `nn.ModuleList(layers)`.")
    t.expect(param_count(model) == expected_params,
             ja=f"`{name}` のモデルのパラメータは {param_count(model)} 個ですが、Keras の重みは全部で {expected_params} 個です。",
             en=f"The model from `{name}` has {param_count(model)} parameters but the Keras weights hold {expected_params}.")
    got = forward(t, model, x, name)
    pairs = [(weights[i], weights[i + 1]) for i in range(0, len(weights), 2)]

    def variant(relu_hidden, relu_last):
        h = xn.astype(np.float64)
        for i, (k, b) in enumerate(pairs):
            last = i == len(pairs) - 1
            h = keras_ref.dense(h, k, b, activation="relu" if (relu_last if last else relu_hidden) else None)
        return h

    expected = keras_ref.mlp(xn, weights)
    t.mistake(close(got, variant(False, False)) and not close(expected, variant(False, False)),
              ja=f"`{name}` の出力は、層の間に ReLU がないときの値です。Keras の `Dense(units, activation=\"relu\")` は活性化関数まで含む層なので、PyTorch では `nn.Linear` のあとに `nn.ReLU()` を置きます (最後の層を除く)。",
              en=f"`{name}` gives the outputs with no ReLU between the layers. Keras's `Dense(units, activation=\"relu\")` includes its activation, so in torch put an `nn.ReLU()` after each `nn.Linear` (but the last).")
    t.mistake(close(got, variant(True, True)) and not close(expected, variant(True, True)),
              ja=f"`{name}` の最後の層のあとにも ReLU があります。最後の Dense 層には活性化関数がありません (出力が負にもなれるように)。どれが最後の層かを `len(weights)` から正しく判断しているか確かめてください。",
              en=f"`{name}` applies a ReLU after the last layer too. The last Dense layer has no activation (its outputs may be negative): check how you tell the last layer from `len(weights)`.")
    t.tensor(got, to_tensor(expected), name=f"{name}(x)", atol=1e-4, rtol=1e-4)

"""The cnn lesson's contract checks for training loops (6.5, 6.6, 6.7) and for the
{Conv2d -> ReLU -> MaxPool2d} pattern, shared by its check files (`from _contract import ...`)."""

from __future__ import annotations

import torch

from tutor.checkkit import expect_recorded, expect_trained


def loss_error(t, exc, seen, name):
    """An error in the student's loop that a loss other than the cross entropy explains."""
    if "mse" in seen:
        t.fail(ja=f"`{name}` でエラーになりました ({exc})。損失関数に平均二乗誤差 (`nn.MSELoss`) を使っています。クラスの番号を正解とする分類には `nn.CrossEntropyLoss` を使ってください。",
               en=f"`{name}` raised an error ({exc}): it uses the mean squared error (`nn.MSELoss`) as its loss. To classify with class numbers as labels, use `nn.CrossEntropyLoss`.")
    raise exc


def training_contract(t, watch, model, name, train_loader, epochs, losses, seen):
    """The loop itself, from a `TrainWatch`: backward and step on every mini-batch of every epoch,
    gradients zeroed, the model passed in trained (in training mode: the check hands it over in
    evaluation mode), the cross entropy, and `epochs` floats that are the epochs' mean losses."""
    t.mistake("mse" in seen and "ce" not in seen,
              ja=f"`{name}` の損失関数が平均二乗誤差 (`nn.MSELoss`) です。分類には `nn.CrossEntropyLoss` を使ってください。",
              en=f"`{name}` uses the mean squared error (`nn.MSELoss`) as its loss: for classification use `nn.CrossEntropyLoss`.")
    batches = len(train_loader)
    expect_trained(t, watch, name=name, model=model, exact=True, steps=epochs * batches,
                   steps_what=(f"{epochs} エポック × {batches} ミニバッチ", f"{epochs} epochs of {batches} mini-batches"))
    t.mistake(any(m is model and grad and not training for m, training, grad in watch.forwards),
              ja=f"`{name}` がモデルを評価モード (`model.eval()`) のまま学習しています。呼ぶ側が直前に評価していることがあるので、学習の前に `model.train()` を呼んでください。",
              en=f"`{name}` trains the model in evaluation mode (`model.eval()`): the caller may have just evaluated it, so call `model.train()` before training.")
    values = t.floats(losses, name=f"{name} -> losses")
    t.expect(len(values) == epochs,
             ja=f"`{name}` の損失のリストの長さが {len(values)} です。エポックごとに 1 つ、{epochs} 個の平均損失を返してください。",
             en=f"`{name}` returned {len(values)} losses: record {epochs}, the mean loss of each epoch.")
    recorded = watch.losses
    if len(recorded) != epochs * batches:
        return
    n = len(train_loader.dataset)
    size = train_loader.batch_size
    sizes = [min(size, n - i * size) for i in range(batches)]
    per = [recorded[e * batches:(e + 1) * batches] for e in range(epochs)]
    plain = [sum(v) / batches for v in per]
    weighted = [sum(a * b for a, b in zip(v, sizes)) / n for v in per]
    if not all(abs(g - w) <= 1e-4 + 1e-3 * abs(w) for g, w in zip(values, weighted)):
        expect_recorded(t, values, plain, name=f"{name} -> losses",
                        what=("そのエポックのミニバッチの損失 (`loss.item()`) の平均", "the mean of that epoch's mini-batch losses (`loss.item()`)"))


_ACTIVATIONS = ("Relu", "LeakyRelu", "Elu", "Gelu", "Silu", "Sigmoid", "Tanh", "Hardtanh", "Softplus", "Mish", "Prelu",
                "Threshold", "Celu", "Selu", "Rrelu", "Hardswish", "Hardsigmoid")


def activation_after_conv(t, model, x, cls_name):
    """Every Conv2d must be followed by an activation (the stub's {Conv2d -> ReLU -> MaxPool2d}):
    counted in the autograd graph of one forward, convolutions against activations."""
    probe = x.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        out = model(probe)
    counts = {"conv": 0, "act": 0}
    seen, todo = set(), [out.grad_fn] if isinstance(out, torch.Tensor) else []
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        kind = type(node).__name__
        if kind.startswith("Convolution"):
            counts["conv"] += 1
        elif kind.startswith(_ACTIVATIONS):
            counts["act"] += 1
        todo.extend(f for f, _ in node.next_functions)
    t.mistake(counts["act"] < counts["conv"],
              ja=f"`{cls_name}` に畳み込み層が {counts['conv']} 個ありますが、活性化関数 (ReLU など) は {counts['act']} 個しか通っていません。{{畳み込み層 → ReLU → プーリング}} の形で、畳み込み層のあとには毎回 ReLU を入れてください。活性化関数がないと、続く層と合わせて 1 つの線形の変換になってしまいます。",
              en=f"`{cls_name}` has {counts['conv']} conv layers but only {counts['act']} activation(s) (ReLU or another) on the way: follow the {{Conv2d -> ReLU -> MaxPool2d}} pattern with a ReLU after every conv layer. Without an activation a layer and the next are one linear map.")

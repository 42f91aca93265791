"""Hidden checks for exercise 6.6 (transfer learning: freeze the feature layers, train a new head).

The checks train a small CNN on five digits (the "old task"), hand it to the
student's functions for a new task on other digits, and compare the feature
layers before and after bit for bit. The model is handed over as it is right
after training, with the last gradients still in `.grad`, so an optimizer that
holds the frozen parameters moves them (stale gradients, momentum, weight decay).
"""

import torch
import torch.nn.functional as F
from torch import nn

from tutor.checkkit import TrainWatch, check
from _contract import loss_error, training_contract  # checks/cnn/_contract.py
from _cnn import (accuracy, draw_losses, draw_model, loader, pick, same_state, snapshot,  # checks/cnn/_cnn.py
                  softmax_failure, spy_losses, spy_optimizers)

_Adam = torch.optim.Adam
_cross_entropy = F.cross_entropy

N_OLD, N_NEW, N_TEST = 1500, 1000, 600
EPOCHS = 2
THRESHOLD = 0.80   # the reference reaches about 0.88-0.97 depending on the digits; random frozen features about 0.7


class PretrainedCNN(nn.Module):
    """The network the checks hand over (the same as in the exercise's docstring)."""

    def __init__(self, classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
        )
        self.head = nn.Linear(16 * 7 * 7, classes)

    def forward(self, x):
        return self.head(self.features(x))


def _prepare(t, model, classes):
    got = t.call("prepare_transfer", model, classes)
    t.expect(isinstance(got, PretrainedCNN),
             ja=f"`prepare_transfer(model, {classes})` が {type(got).__name__} を返しています。受け取った model を (準備したあとで) 返してください。",
             en=f"`prepare_transfer(model, {classes})` should return the model it was given (after preparing it), but returned a {type(got).__name__}.")
    return got


def _requires_grad_failure(t, names, changed=()):
    pre_ja = f"凍結したはずの層が学習で変わりました ({', '.join(changed)})。" if changed else ""
    pre_en = f"The layers that should be frozen changed during training ({', '.join(changed)}). " if changed else ""
    t.fail(ja=f"{pre_ja}特徴抽出の層 `model.features` のパラメータ ({', '.join(names)}) の `requires_grad` が True のままです (requires_grad が False になっていません)。"
              "凍結するには、`model.features.parameters()` のそれぞれについて `p.requires_grad = False` とします。そうすれば勾配が計算されず、その層は学習で変わりません。",
           en=f"{pre_en}The parameters of the feature layers `model.features` ({', '.join(names)}) still have `requires_grad` True: `requires_grad` is not set to False. "
              "To freeze them, set `p.requires_grad = False` for every `p` in `model.features.parameters()`: then no gradient is computed for them and training leaves them alone.")


def _check_head(t, model, classes):
    head = model.head
    t.expect(isinstance(head, nn.Linear),
             ja=f"`model.head` が nn.Linear ではなく {type(head).__name__} です。新しい出力層は `nn.Linear(model.head.in_features, num_classes)` で作ります。",
             en=f"`model.head` is a {type(head).__name__}, not an nn.Linear. Make the new output layer with `nn.Linear(model.head.in_features, num_classes)`.")
    t.expect((head.in_features, head.out_features) == (16 * 7 * 7, classes),
             ja=f"新しい `model.head` が Linear({head.in_features}, {head.out_features}) になっています。Linear(784, {classes}) にしてください (入力は特徴の数 784 のまま、出力は新しいクラスの数)。",
             en=f"The new `model.head` is Linear({head.in_features}, {head.out_features}); it should be Linear(784, {classes}): the same 784 features in, the new number of classes out.")
    frozen_head = [n for n, p in head.named_parameters() if not p.requires_grad]
    t.mistake(bool(frozen_head),
              ja="新しい `model.head` まで凍結されています (`requires_grad` が False)。凍結するのは `model.features` だけで、新しい出力層は学習させます。"
                 "モデル全体を凍結したなら、そのあとで出力層を作り直してください。",
              en="The new `model.head` is frozen too (`requires_grad` False). Freeze only `model.features`; the new output layer is what learns. "
                 "If you froze the whole model, make the new head after that.")


@check(ja="`prepare_transfer`: 特徴抽出の層を凍結し、新しい出力層に付け替える", en="`prepare_transfer` freezes the feature layers and puts on a new head")
def prepare(t):
    torch.manual_seed(t.seed)
    model = PretrainedCNN(5)
    before = snapshot(model.features)
    old_head = model.head
    classes = t.rng.randint(2, 6)
    model = _prepare(t, model, classes)
    still = [n for n, p in model.features.named_parameters() if p.requires_grad]
    if still:
        _requires_grad_failure(t, still)
    changed = same_state(before, model.features)
    t.expect(not changed,
             ja=f"`prepare_transfer` が特徴抽出の層の値を変えています ({', '.join(changed)})。学習済みの値はそのまま使います。",
             en=f"`prepare_transfer` changes the values of the feature layers ({', '.join(changed)}). Keep the trained values as they are.")
    t.expect(model.head is not old_head,
             ja="`model.head` が元の出力層のままです。新しいタスクのクラス数に合わせて、新しい `nn.Linear` に付け替えてください。",
             en="`model.head` is still the old output layer. Replace it with a new `nn.Linear` for the new task's number of classes.")
    _check_head(t, model, classes)
    with torch.no_grad():
        out = model(t.randn(3, 1, 28, 28))
    t.shape(out, (3, classes), name="model(x) after prepare_transfer")


def _pretrain(t, old_digits):
    """Train the network on the old task; the last gradients stay in .grad, as after any training."""
    X, y = pick(t, True, N_OLD, digits=old_digits)
    y = _relabel(y, old_digits)
    torch.manual_seed(t.seed)
    model = PretrainedCNN(len(old_digits))
    opt = _Adam(model.parameters(), lr=0.003)
    for _ in range(2):
        for xb, yb in loader(t, X, y):
            opt.zero_grad()
            _cross_entropy(model(xb), yb).backward()
            opt.step()
    return model


def _relabel(y, digits):
    return torch.tensor([digits.index(int(d)) for d in y])


@check(ja="新しい出力層だけを学習させ、凍結した層は 1 ビットも変わらない", en="only the new head learns; the frozen layers do not change by a single bit")
def frozen(t):
    digits = list(range(10))
    t.rng.shuffle(digits)
    old_digits, new_digits = digits[:5], digits[5:5 + t.rng.randint(3, 5)]
    model = _pretrain(t, old_digits)
    Xn, yn = pick(t, True, N_NEW, digits=new_digits)
    yn = _relabel(yn, new_digits)
    before = snapshot(model.features)
    classes = len(new_digits)

    model = _prepare(t, model, classes)
    _check_head(t, model, classes)
    head_before = snapshot(model.head)
    made, seen, batch_losses = [], set(), []
    name = f"train_head(model, loader, {EPOCHS})"
    train_loader = loader(t, Xn, yn)
    model.eval()  # as right after an evaluation: train_head switches to training mode itself
    try:
        with TrainWatch() as watch, spy_optimizers(made), spy_losses(seen, batch_losses):
            losses = t.call("train_head", model, train_loader, EPOCHS)
    except (RuntimeError, ValueError) as exc:
        loss_error(t, exc, seen, name)
    # The test images only now, from a source the seed does not give away: none of them is
    # anywhere the student's code could find it while it trains.
    t.gen = t.unseen_gen()
    Xt, yt = pick(t, False, N_TEST, digits=new_digits)
    yt = _relabel(yt, new_digits)
    draw_losses(t, losses, batch_losses)  # before any verdict: a failing run's curves are shown too
    draw_model(t, model, Xt, yt, names=new_digits, conv=False)  # the kernels are the check's pretraining, not the student's

    frozen_ids = {id(p): n for n, p in model.features.named_parameters()}
    held = sorted({frozen_ids[id(p)] for opt in made for g in opt.param_groups for p in g["params"] if id(p) in frozen_ids})
    decay = max([float(g.get("weight_decay", 0) or 0) for opt in made for g in opt.param_groups] or [0.0])
    changed = same_state(before, model.features)
    if changed:
        still = [n for n, p in model.features.named_parameters() if p.requires_grad]
        if still:
            _requires_grad_failure(t, still, changed)
        if held:
            t.fail(ja=f"凍結したはずの層が学習で変わりました ({', '.join(changed)})。最適化手法にモデルの全パラメータ (`model.parameters()`) を渡したためです。"
                      "最適化手法は、自分がもつパラメータのうち `.grad` が None でないものを、`requires_grad` に関係なく更新します。凍結した層の `.grad` が None でないまま `step()` が呼ばれたのです。"
                      "最初の `zero_grad()` より前に `step()` を呼ぶと前の学習で残った勾配がそのまま使われ、`zero_grad(set_to_none=False)` で残した 0 の勾配は"
                      f"{'重み減衰 (weight_decay=' + format(decay, 'g') + ') や' if decay else ''}モーメンタムが更新に変えます。最適化手法には新しい出力層のパラメータ "
                      "(`model.head.parameters()`) だけを渡してください。",
                   en=f"The layers you froze changed during training ({', '.join(changed)}): the optimizer was given all parameters (`model.parameters()`). "
                      "An optimizer updates every parameter it holds whose `.grad` is not None, whatever its `requires_grad`, and the frozen layers still had a `.grad` when `step()` ran: "
                      "a `step()` before the first `zero_grad()` uses the gradients left by the previous training, and the zeros that `zero_grad(set_to_none=False)` leaves are turned into updates by "
                      f"{'weight decay (weight_decay=' + format(decay, 'g') + ') and ' if decay else ''}momentum. Give the optimizer only the new head's parameters "
                      "(`model.head.parameters()`).")
        t.fail(ja=f"凍結したはずの層 `model.features` が学習で変わりました ({', '.join(changed)})。`train_head` では新しい出力層だけを学習させてください。",
               en=f"The frozen layers `model.features` changed during training ({', '.join(changed)}). `train_head` must train the new head only.")
    t.mistake(bool(held) and decay > 0,
              ja=f"最適化手法に凍結した層のパラメータ ({', '.join(held)}) も渡していて、重み減衰 (weight_decay={decay:g}) が付いています。今回はたまたま動きませんでしたが、"
                 "`.grad` が None でないとき (凍結する前の学習で残った勾配を `zero_grad(set_to_none=False)` で 0 にしただけのときなど)、重み減衰が凍結した層を縮めてしまいます。"
                 "最適化手法には新しい出力層のパラメータ (`model.head.parameters()`) だけを渡してください。",
              en=f"The optimizer was given all parameters, the frozen ones ({', '.join(held)}) included, with weight decay (weight_decay={decay:g}). They did not move this time, "
                 "but whenever their `.grad` is not None (gradients left from training before you froze them, say, which `zero_grad(set_to_none=False)` only sets to zero) weight decay shrinks the frozen layers. "
                 "Give the optimizer only the new head's parameters (`model.head.parameters()`).")
    if "softmax" in seen:
        softmax_failure(t)
    training_contract(t, watch, model, name, train_loader, EPOCHS, losses, seen)
    t.expect(bool(same_state(head_before, model.head)),
             ja="`train_head` のあとも新しい出力層 `model.head` が変わっていません。最適化手法に `model.head.parameters()` を渡して、ミニバッチごとに `step()` を呼んでください。",
             en="After `train_head` the new head `model.head` has not changed. Give the optimizer `model.head.parameters()` and call `step()` for every mini-batch.")
    t.expect(isinstance(losses, (list, tuple)) and len(losses) == EPOCHS,
             ja=f"`train_head(model, loader, {EPOCHS})` はエポックごとの平均損失のリスト (長さ {EPOCHS}) を返すようにしてください。",
             en=f"`train_head(model, loader, {EPOCHS})` should return the list of mean losses per epoch ({EPOCHS} values).")
    acc = accuracy(model, Xt, yt)
    if acc < THRESHOLD:
        t.fail(ja=f"新しいタスク (数字 {new_digits}) の、学習に使っていないテスト画像 {N_TEST} 枚での正解率が {acc:.1%} で、合格の {THRESHOLD:.0%} に届きません。"
                  "学習率 (Adam なら 0.003 くらい) と、損失関数が `nn.CrossEntropyLoss` かどうかを確かめてください。",
               en=f"On the new task (digits {new_digits}) the accuracy on {N_TEST} test images it never saw is {acc:.1%}, short of the {THRESHOLD:.0%} needed. "
                  "Check the learning rate (about 0.003 with Adam) and that the loss is `nn.CrossEntropyLoss`.")

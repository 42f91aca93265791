"""Hidden checks for exercise 6.5 (train a small CNN on MNIST to an accuracy the check sets)."""

import math

import torch
from torch import nn

from tutor.checkkit import TrainWatch, check
from _contract import activation_after_conv, loss_error, training_contract  # checks/cnn/_contract.py
from _cnn import (accuracy, build, draw_losses, draw_model, loader, macs_per_image, pick, run_model,  # checks/cnn/_cnn.py
                  snapshot, softmax_failure, spy_losses)

N_TRAIN, N_TEST = 2000, 1000   # training images from train=True, held-out ones from train=False
EPOCHS, BATCH = 2, 32
THRESHOLD = 0.80               # the reference (conv 8 -> conv 16, ~9k parameters) reaches 0.88-0.93 here
MAX_MACS = 3_000_000           # multiply-adds per image: about 10 times the reference; the lecture's CNN needs 12 million


def _needs_conv(t, model):
    t.expect(any(isinstance(m, nn.Conv2d) for m in model.modules()),
             ja="`SmallCNN` に畳み込み層 (`nn.Conv2d`) がありません。この演習では、{畳み込み層 → ReLU → プーリング} を繰り返してから平坦化し、全結合層につなぐ CNN を作ってください。",
             en="`SmallCNN` has no convolution layer (`nn.Conv2d`). In this exercise, build a CNN: {conv -> ReLU -> pooling} repeated, then flatten and fully connected layers.")


def _not_too_heavy(t, model):
    macs = macs_per_image(model, torch.zeros(2, 1, 28, 28))
    t.expect(macs <= MAX_MACS,
             ja=f"`SmallCNN` は 1 枚あたり約 {macs / 1e6:.1f} 百万回の積和を計算します。チェックは CPU で学習させるので、{MAX_MACS / 1e6:.0f} 百万回以下にしてください "
                "(チャネル数を 8 や 16 に減らす、早めにプーリングして特徴マップを小さくする、など)。講義の CNN は約 12 百万回で、CPU ではこの演習の時間に収まりません。",
             en=f"`SmallCNN` computes about {macs / 1e6:.1f} million multiply-adds per image. The checks train it on a CPU: stay below {MAX_MACS / 1e6:.0f} million "
                "(fewer channels, such as 8 or 16; pool early so the feature maps shrink). The lecture's CNN needs about 12 million, too slow for this exercise on a CPU.")


@check(ja="`SmallCNN`: 畳み込み層をもち、(N, 1, 28, 28) を (N, 10) に変える", en="`SmallCNN` has conv layers and maps (N, 1, 28, 28) to (N, 10)")
def model(t):
    torch.manual_seed(t.seed)
    model = build(t, "SmallCNN")
    _needs_conv(t, model)
    model.eval()
    with torch.no_grad():
        for n in (t.rng.randint(2, 9), 1):
            run_model(t, model, t.randn(n, 1, 28, 28) * 0.3, "SmallCNN")
    _not_too_heavy(t, model)


@check(ja="MNIST の一部で学習し、学習に使っていないテスト画像で正解率を測る", en="trained on part of MNIST, judged on test images it never saw")
def trains(t):
    Xtr, ytr = pick(t, True, N_TRAIN)
    train_loader = loader(t, Xtr, ytr, batch_size=BATCH)
    torch.manual_seed(t.seed)
    model = build(t, "SmallCNN")
    _needs_conv(t, model)
    with torch.no_grad():
        model.eval()
        run_model(t, model, Xtr[:4], "SmallCNN")
    _not_too_heavy(t, model)
    activation_after_conv(t, model, Xtr[:2], "SmallCNN")
    model.eval()  # as right after an evaluation: train_cnn switches to training mode itself
    before = snapshot(model)
    seen, batch_losses = set(), []
    name = f"train_cnn(model, loader, {EPOCHS})"
    try:
        with TrainWatch() as watch, spy_losses(seen, batch_losses):
            losses = t.call("train_cnn", model, train_loader, EPOCHS)
    except (RuntimeError, ValueError) as exc:
        loss_error(t, exc, seen, name)
    # The test images only now, from a source the seed does not give away: none of them is
    # anywhere the student's code could find it while it trains.
    t.gen = t.unseen_gen()
    Xte, yte = pick(t, False, N_TEST)
    draw_losses(t, losses, batch_losses)  # before any verdict: a failing run's curves are shown too
    draw_model(t, model, Xte, yte)
    training_contract(t, watch, model, name, train_loader, EPOCHS, losses, seen)
    if "softmax" in seen:
        softmax_failure(t)
    t.mistake("float_target" in seen,
              ja="`nn.CrossEntropyLoss` に float の正解 (one-hot など) を渡しています。このデータの正解はクラス番号 (int64、形 (N,)) なので、DataLoader から来たラベルをそのまま渡してください。",
              en="You give `nn.CrossEntropyLoss` float targets (one-hot or similar). The labels here are class numbers (int64, shape (N,)): pass the labels from the DataLoader as they are.")
    t.expect(isinstance(losses, (list, tuple)) and len(losses) == EPOCHS,
             ja=f"`train_cnn(model, loader, {EPOCHS})` が {type(losses).__name__}"
                f"{f' (長さ {len(losses)})' if isinstance(losses, (list, tuple)) else ''} を返しています。エポックごとの平均損失のリスト (長さ {EPOCHS}) を返してください。",
             en=f"`train_cnn(model, loader, {EPOCHS})` should return the list of mean losses per epoch ({EPOCHS} values) but returned a {type(losses).__name__}"
                f"{f' of length {len(losses)}' if isinstance(losses, (list, tuple)) else ''}.")
    for i, v in enumerate(losses):
        t.scalar(v, 0.0, name=f"losses[{i}]", atol=math.inf, rtol=0.0)  # a finite number
    changed = any(not torch.equal(before[k], v) for k, v in model.state_dict().items())
    t.expect(changed,
             ja="`train_cnn` のあとも、渡した model のパラメータが少しも変わっていません。`train_cnn` の中で新しいモデルを作らず、最適化手法に `model.parameters()` を渡して `step()` を呼んでください。",
             en="After `train_cnn` the parameters of the model it was given have not changed at all. Do not build a new model inside `train_cnn`; give the optimizer `model.parameters()` and call `step()`.")
    acc = accuracy(model, Xte, yte)
    if acc < THRESHOLD:
        t.fail(ja=f"学習に使っていないテスト画像 {N_TEST} 枚での正解率が {acc:.1%} で、合格の {THRESHOLD:.0%} に届きません (エポックごとの損失: "
                  f"{', '.join(f'{float(v):.3f}' for v in losses)})。学習率 (Adam なら 0.001 から 0.003 くらい) と、損失関数が `nn.CrossEntropyLoss` かどうかを確かめてください。",
               en=f"The accuracy on {N_TEST} test images it never saw is {acc:.1%}, short of the {THRESHOLD:.0%} needed (mean loss per epoch: "
                  f"{', '.join(f'{float(v):.3f}' for v in losses)}). Check the learning rate (about 0.001 to 0.003 with Adam) and that the loss is `nn.CrossEntropyLoss`.")

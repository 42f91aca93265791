"""Hidden checks for exercise 5.3 (multi-class logistic regression 784->10 on MNIST).

The training check draws 5,000 training images (train=True) and 2,000 held-out
test images (train=False) per run, seeds the model's initial weights itself,
gives the student's `train_epoch` an SGD optimizer (lr=0.1) and calls it for
two epochs, then measures the accuracy on the held-out images with its own
code. The reference reaches about 0.87 there (0.8385 at worst over 40 seeds
while this was written); the bar is 0.80.
"""

import time

import torch
from torch import nn

from tutor.checkkit import check
from _mnist import accuracy_of, held_out, run_epochs, train_loader, untouched  # checks/mnist/_mnist.py
from _models import build, forward, images, judge_logits  # checks/mnist/_models.py

THRESHOLD = 0.80
N_TRAIN, N_TEST, BATCH, EPOCHS, LR = 5000, 2000, 50, 2, 0.1


def _model(t):
    model, (layer,) = build(t, "LogisticRegression", layers=[(784, 10)], params=7850)
    x = images(t, 6)
    out = forward(t, model, x, "LogisticRegression")
    with torch.no_grad():
        logits = x.view(len(x), -1) @ layer.weight.T + layer.bias
    judge_logits(t, out, logits, "LogisticRegression")
    return model


@check(ja="`LogisticRegression`: 画像を平坦化して nn.Linear(784, 10) でロジットを出す", en="`LogisticRegression`: flatten the images, nn.Linear(784, 10), logits out")
def model(t):
    _model(t)


@check(ja="`train_epoch` で学習し、学習に使っていないテスト画像で正解率 80% 以上", en="`train_epoch` trains it to 80% or more on test images never used in training")
def trains(t):
    torch.manual_seed(t.seed)
    model = _model(t)
    loader = train_loader(t, N_TRAIN, BATCH)
    x_test, y_test = held_out(t, N_TEST)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    before = [p.detach().clone() for p in model.parameters()]
    start = time.monotonic()
    losses = run_epochs(t, model, loader, optimizer, EPOCHS)
    took = time.monotonic() - start
    t.expect(not untouched(model, before),
             ja="`train_epoch` のあとも、渡した model のパラメータが少しも変わっていません。渡された `optimizer` の `step()` を、`backward()` のあとに呼んでいるか確かめてください。",
             en="After `train_epoch` the parameters of the model it was given have not changed at all. Call `step()` of the `optimizer` passed in, after `backward()`.")
    accuracy = accuracy_of(model, x_test, y_test)
    if accuracy < THRESHOLD:
        t.fail(ja=f"学習後、学習に使っていないテスト画像 {N_TEST} 枚での正解率が {accuracy:.1%} で、合格の {THRESHOLD:.0%} に届きません "
                  f"(チェックは訓練画像 {N_TRAIN} 枚、バッチサイズ {BATCH}、SGD (lr={LR}) で {EPOCHS} エポック学習させました。損失は {losses[0]:.3f} → {losses[-1]:.3f})。"
                  "ミニバッチごとに zero_grad → 順伝播 → 損失 → backward → step となっているか、損失関数が `nn.CrossEntropyLoss` か確かめてください。",
               en=f"After training, the accuracy on {N_TEST} test images never used in training is {accuracy:.1%}, short of the {THRESHOLD:.0%} needed "
                  f"(the check trained on {N_TRAIN} images, batch size {BATCH}, SGD (lr={LR}) for {EPOCHS} epochs; the loss went {losses[0]:.3f} -> {losses[-1]:.3f}). "
                  "Check that every mini-batch does zero_grad -> forward -> loss -> backward -> step, with `nn.CrossEntropyLoss` as the loss.")
    t.expect(losses[-1] < losses[0],
             ja=f"エポックごとの損失が下がっていません ({losses[0]:.4g} → {losses[-1]:.4g})。",
             en=f"The epoch loss did not go down ({losses[0]:.4g} -> {losses[-1]:.4g}).")
    t.expect(took < 30,
             ja=f"`train_epoch` 2 回に {took:.1f} 秒かかりました。1 エポックは DataLoader を 1 周するだけにしてください。",
             en=f"Two calls of `train_epoch` took {took:.1f} s. One epoch is a single pass over the DataLoader.")

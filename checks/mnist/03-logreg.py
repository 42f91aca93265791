"""Hidden checks for exercise 5.3 (multi-class logistic regression 784->10 on MNIST).

The training check draws 5,000 training images (train=True) and 2,000 held-out
test images (train=False) per run, seeds the model's initial weights itself,
gives the student's `train_epoch` an SGD optimizer (lr=0.1) and calls it for
two epochs, then measures the accuracy on the held-out images with its own
code. The reference reaches about 0.87 there (0.8385 at worst over 40 seeds
while this was written); the bar is 0.80.
"""

import torch

from tutor.checkkit import check
from _epoch_loss import judge_mean_per_image  # checks/mnist/_epoch_loss.py
from _figures import draw_first_weights  # checks/mnist/_figures.py
from _mnist import train_and_judge  # checks/mnist/_mnist.py
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
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    train_and_judge(t, model, optimizer, "SGD", LR, N_TRAIN, N_TEST, BATCH, EPOCHS, THRESHOLD, draw_weights=_weights)


@check(ja="`train_epoch` はエポックの損失を画像 1 枚あたりの平均で返す", en="`train_epoch` returns the epoch's loss as the mean per image")
def mean_per_image(t):
    torch.manual_seed(t.seed)
    judge_mean_per_image(t, _model(t))


def _weights(t, model):
    """Each class's row of the weight matrix as a 28x28 picture: after training they look like blurred digits."""
    draw_first_weights(t, model, 10, [str(c) for c in range(10)],
                       ja="各クラスの重み (28x28)", en="weights of each class (28x28)")

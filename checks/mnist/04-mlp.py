"""Hidden checks for exercise 5.4 (MLPs for MNIST: 784-100-ReLU-10, and the lecture's 784-784-784-10).

The training check draws 5,000 training images (train=True) and 2,000 held-out
test images (train=False) per run, seeds the model's initial weights itself,
gives the student's `train_epoch` an Adam optimizer (lr=1e-3) and calls it for
two epochs, then measures the accuracy on the held-out images with its own
code. The reference reaches about 0.875 there (0.854 at worst over 40 seeds
while this was written); the bar is 0.82.
"""

import torch

from tutor.checkkit import check
from _epoch_loss import judge_mean_per_image  # checks/mnist/_epoch_loss.py
from _figures import draw_first_weights  # checks/mnist/_figures.py
from _mnist import is_log_probabilities, is_probabilities, train_and_judge
from _models import build, forward, images, judge_logits

THRESHOLD = 0.82
N_TRAIN, N_TEST, BATCH, EPOCHS, LR = 5000, 2000, 50, 2, 1e-3

_relu, _sigmoid, _log_softmax, _softmax = torch.relu, torch.sigmoid, torch.log_softmax, torch.softmax


def _close(a, b):
    return a.shape == b.shape and bool(torch.allclose(a.double(), b.double(), atol=1e-4, rtol=1e-4))


def _mlp(t):
    model, (l1, l2) = build(t, "MLP", layers=[(784, 100), (100, 10)], params=79510)
    x = images(t, 6)
    out = forward(t, model, x, "MLP")
    with torch.no_grad():
        h = x.view(len(x), -1) @ l1.weight.T + l1.bias
        logits = _relu(h) @ l2.weight.T + l2.bias
        linear = h @ l2.weight.T + l2.bias
        with_sigmoid = _sigmoid(h) @ l2.weight.T + l2.bias
    if isinstance(out, torch.Tensor) and out.shape == logits.shape:
        t.mistake(_close(out, linear) or _close(out, _log_softmax(linear, dim=1)),
                  ja="`MLP` の 2 つの全結合層の間に活性化関数 (ReLU) がありません。活性化関数がないと 2 つの層は 1 つのアフィン変換と同じになり、"
                     "モデル全体が演習 5.3 のロジスティック回帰と同じ表現力しか持ちません。1 つ目の全結合層のあとに ReLU を入れてください。",
                  en="`MLP` has no activation (ReLU) between its two fully connected layers. Without one the two layers are a single affine map, "
                     "and the whole model can express no more than the logistic regression of Exercise 5.3. Put a ReLU after the first fully connected layer.")
        t.mistake(_close(out, with_sigmoid),
                  ja="`MLP` の中間層の活性化関数がシグモイド関数になっています。この演習のモデル (784-100-10) では ReLU を使います。",
                  en="`MLP` uses a sigmoid on its hidden layer. This exercise's model (784-100-10) uses a ReLU.")
    judge_logits(t, out, logits, "MLP")
    return model


@check(ja="`MLP`: 784 → 100 → ReLU → 10 でロジットを出す", en="`MLP`: 784 -> 100 -> ReLU -> 10, logits out")
def mlp_model(t):
    _mlp(t)


@check(ja="`LectureNet`: 教材の 784-784-784-10 (シグモイド関数、出力は log_softmax)", en="`LectureNet`: the lecture's 784-784-784-10 (sigmoids, log_softmax out)")
def lecture_net(t):
    model, (l1, l2, l3) = build(t, "LectureNet", layers=[(784, 784), (784, 784), (784, 10)], params=1238730)
    x = images(t, 5)
    out = forward(t, model, x, "LectureNet")
    with torch.no_grad():
        flat = x.view(len(x), -1)
        logits = _sigmoid(_sigmoid(flat @ l1.weight.T + l1.bias) @ l2.weight.T + l2.bias) @ l3.weight.T + l3.bias
        relu_logits = _relu(_relu(flat @ l1.weight.T + l1.bias) @ l2.weight.T + l2.bias) @ l3.weight.T + l3.bias
    plain = t.shape(out, (len(x), 10), name="LectureNet()(images)")
    t.mistake(_close(plain, logits),
              ja="`LectureNet` がロジットのまま返しています。教材のモデルは最後に `F.log_softmax(x, dim=1)` をかけて対数確率を返し、損失関数 `F.nll_loss` と組み合わせます。",
              en="`LectureNet` returns the logits. The lecture's model ends with `F.log_softmax(x, dim=1)`, returning log-probabilities for its partner loss `F.nll_loss`.")
    t.mistake(is_probabilities(plain),
              ja="`LectureNet` が確率 (ソフトマックス関数の出力) を返しています。`F.nll_loss` は対数確率を受け取るので、`F.softmax` ではなく `F.log_softmax(x, dim=1)` を使ってください。",
              en="`LectureNet` returns probabilities (a softmax). `F.nll_loss` takes log-probabilities: use `F.log_softmax(x, dim=1)`, not `F.softmax`.")
    t.mistake(_close(plain, _log_softmax(logits, dim=0)),
              ja="`LectureNet` の `log_softmax` がサンプルの次元 (`dim=0`) にかかっています。クラスの次元 `dim=1` を指定してください。",
              en="`LectureNet` applies `log_softmax` across the samples (`dim=0`). Give the class dimension, `dim=1`.")
    t.mistake(_close(plain, _log_softmax(relu_logits, dim=1)),
              ja="`LectureNet` の中間層の活性化関数が ReLU になっています。教材のこのモデルは 2 つの中間層ともシグモイド関数 (`torch.sigmoid`) です。",
              en="`LectureNet` uses ReLU on its hidden layers. The lecture's model puts a sigmoid (`torch.sigmoid`) on both.")
    for which in ("1", "2"):
        with torch.no_grad():
            h1 = flat @ l1.weight.T + l1.bias if which == "1" else _sigmoid(flat @ l1.weight.T + l1.bias)
            h2 = h1 @ l2.weight.T + l2.bias
            without = (h2 if which == "2" else _sigmoid(h2)) @ l3.weight.T + l3.bias
        t.mistake(_close(plain, _log_softmax(without, dim=1)),
                  ja=f"`LectureNet` の `l{which}` のあとに活性化関数がありません。教材のモデルは 2 つの中間層の出力のどちらにもシグモイド関数 (`torch.sigmoid`) をかけます。活性化関数がないと、続く線形層とまとめて 1 つの線形の変換になってしまいます。",
                  en=f"`LectureNet` has no activation after `l{which}`. The lecture's model puts a sigmoid (`torch.sigmoid`) on the output of both hidden layers; without it that layer and the next are one linear map.")
    t.expect(is_log_probabilities(plain),
             ja="`LectureNet` の出力が対数確率になっていません (各行の exp の和が 1 になりません)。最後に `F.log_softmax(x, dim=1)` をかけてください。",
             en="`LectureNet`'s output is not log-probabilities (the exponentials of a row do not add up to 1). Finish with `F.log_softmax(x, dim=1)`.")
    t.tensor(plain, _log_softmax(logits, dim=1), name="LectureNet()(images)", atol=1e-4)


@check(ja="`MLP` を `train_epoch` で学習し、学習に使っていないテスト画像で正解率 82% 以上", en="`train_epoch` trains `MLP` to 82% or more on test images never used in training")
def trains(t):
    torch.manual_seed(t.seed)
    model = _mlp(t)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    train_and_judge(t, model, optimizer, "Adam", LR, N_TRAIN, N_TEST, BATCH, EPOCHS, THRESHOLD, draw_weights=_weights)


@check(ja="`train_epoch` はエポックの損失を画像 1 枚あたりの平均で返す", en="`train_epoch` returns the epoch's loss as the mean per image")
def mean_per_image(t):
    torch.manual_seed(t.seed)
    judge_mean_per_image(t, _mlp(t))


def _weights(t, model):
    """The weights into the first 16 hidden units, as 28x28 pictures."""
    draw_first_weights(t, model, 16, [str(u) for u in range(1, 17)],
                       ja="中間層の重み (最初の 16 ユニット)", en="hidden-layer weights (first 16 units)")

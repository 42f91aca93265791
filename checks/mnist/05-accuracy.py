"""Hidden checks for exercise 5.5 (an accuracy that is right with a short last batch; predictions in order).

The model the checks hand over is built, not trained: a nearest-class-mean
classifier on real MNIST images (the mean image of each digit over training
images drawn per run), with a dropout layer in front, given in training mode as
it would be right after training. Its predictions are known to the check
exactly once it is in evaluation mode. The data are held-out test images drawn
per run, in a number that is never a multiple of the batch size.
"""

import torch
from torch import nn
from torch.utils.data import DataLoader, Subset, TensorDataset
from torchvision import transforms

from tutor.checkkit import check
from tutor.checkkit.compare import plain_tensor
from _figures import draw_digits  # checks/mnist/_figures.py
from _mnist import course_images, dataset, subset

_is_grad_enabled = torch.is_grad_enabled
BATCH_SIZES = (32, 50, 64, 100)


def _model(t):
    """Nearest class mean as a linear layer, behind a dropout layer; handed over in training mode."""
    x, y = course_images(True, subset(t, True, 3000))
    flat = x.view(len(x), -1)
    means = torch.stack([flat[y == c].mean(dim=0) for c in range(10)])
    layer = nn.Linear(784, 10)
    with torch.no_grad():
        layer.weight.copy_(means)
        layer.bias.copy_(-0.5 * (means ** 2).sum(dim=1))  # argmax of x·m - |m|²/2 = the nearest mean
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), layer)
    return model


def _predictions(model, x):
    model.eval()
    with torch.no_grad():
        pred = model(x).argmax(dim=1)
    model.train()
    return pred


class _Watch:
    """Records, for every forward call of the model, its mode and whether autograd was on."""

    def __init__(self, model):
        self.model = model
        self.calls = []

    def __enter__(self):
        self.handle = self.model.register_forward_pre_hook(
            lambda module, inputs: self.calls.append((module.training, _is_grad_enabled())))
        return self

    def __exit__(self, *exc):
        self.handle.remove()
        return False


def _judge_calls(t, watch, name):
    t.expect(bool(watch.calls),
             ja=f"`{name}` がモデルを一度も呼んでいません。",
             en=f"`{name}` never calls the model.")
    t.mistake(any(training for training, _ in watch.calls),
              ja=f"`{name}` がモデルを学習モードのまま評価しています。このモデルにはドロップアウトがあり、学習モードでは毎回ランダムに入力を 0 にするので、予測が乱れて正しい正解率になりません。"
                 "評価の前に `model.eval()` を呼んでください (学習を続けるときは `model.train()` で戻します)。",
              en=f"`{name}` evaluates the model in training mode. This model has dropout, which in training mode zeroes inputs at random on every call, so the predictions are scrambled "
                 "and the accuracy is not the model's. Call `model.eval()` before evaluating (and `model.train()` to go back to training).")
    t.mistake(any(grad for _, grad in watch.calls),
              ja=f"`{name}` が勾配の計算を記録したままモデルを呼んでいます。評価では勾配は要らないので、`with torch.no_grad():` の中で計算してください (メモリと時間の節約になります)。",
              en=f"`{name}` calls the model with autograd recording. Evaluation needs no gradients: compute under `with torch.no_grad():` (it saves memory and time).")


@check(ja="`accuracy`: 最後のミニバッチが小さくても正しい正解率", en="`accuracy`: right even when the last mini-batch is short")
def accuracy(t):
    model = _model(t)
    batch_size = t.rng.choice(BATCH_SIZES)
    full, short = t.rng.randint(8, 14), t.rng.randint(1, batch_size // 3)
    n = full * batch_size + short
    x, y = course_images(False, subset(t, False, n))
    pred = _predictions(model, x)
    correct = int((pred == y).sum())
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=False)
    with _Watch(model) as watch:
        got = t.call("accuracy", model, loader)
    _judge_calls(t, watch, "accuracy")
    got = t.number(got, name="accuracy(model, loader)")
    expected = correct / n
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        near = lambda a, b: abs(a - b) <= 1e-6
        counted = (full + 1) * batch_size
        t.mistake(near(got, correct / counted),
                  ja=f"`accuracy` が {got:.6f} で、正しい {expected:.6f} より小さくなっています。調べた画像の数を `count += batch_size` で数えたため、"
                     f"最後のミニバッチ ({short} 枚しかありません) も {batch_size} 枚と数え、全部で {n} 枚のところを {counted} 枚としています。"
                     "`count += labels.size(0)` のように、そのミニバッチの実際の大きさを足してください。",
                  en=f"`accuracy` is {got:.6f}, below the right {expected:.6f}: counting the images seen with `count += batch_size` counts the last mini-batch "
                     f"(only {short} images) as {batch_size}, {counted} images in all instead of {n}. Add each mini-batch's real size, as in `count += labels.size(0)`.")
        per_batch = [float((pred[i:i + batch_size] == y[i:i + batch_size]).float().mean()) for i in range(0, n, batch_size)]
        t.mistake(near(got, sum(per_batch) / len(per_batch)),
                  ja=f"`accuracy` がミニバッチごとの正解率の平均 ({got:.6f}) になっています。最後のミニバッチは {short} 枚しかないのに、{batch_size} 枚のミニバッチと同じ重みで平均されてしまいます。"
                     "正解数と画像数をそれぞれ全体で足し合わせてから割ってください。",
                  en=f"`accuracy` is the mean of the per-batch accuracies ({got:.6f}). The last mini-batch has only {short} images but weighs as much as the {batch_size}-image ones. "
                     "Add up the hits and the images over all batches, then divide.")
        batches = full + 1
        each = correct / (got * batches) if got > 0 else 0.0
        t.mistake(abs(each - round(each)) < 1e-6 and round(each) not in (batch_size, 0) and not near(got, expected),
                  ja=f"`accuracy` は、どのミニバッチも {round(each)} 枚と数えた値です (全部で {n} 枚のところを {round(each) * batches} 枚)。決まった数ではなく、`count += labels.size(0)` のようにそのミニバッチの実際の大きさを足してください (最後のミニバッチは {short} 枚です)。",
                  en=f"`accuracy` counts every mini-batch as {round(each)} images ({round(each) * batches} in all instead of {n}): add each batch's real size, as in `count += labels.size(0)`, not a fixed number (the last one holds {short}).")
        t.mistake(near(got, 100 * expected),
                  ja="`accuracy` が百分率 (%) になっています。0 から 1 の割合で返してください。",
                  en="`accuracy` is a percentage. Return the fraction between 0 and 1.")
        t.mistake(near(got, correct),
                  ja="`accuracy` が正解した数そのものを返しています。調べた画像の数で割って、割合にしてください。",
                  en="`accuracy` returns the number of correct predictions. Divide it by the number of images seen to get the fraction.")
    t.scalar(got, expected, name="accuracy(model, loader)", atol=1e-6, rtol=0)


@check(ja="`predict_all`: データセットの順番どおりの予測", en="`predict_all`: predictions in the dataset's order")
def predict_all(t):
    model = _model(t)
    batch_size = t.rng.choice(BATCH_SIZES)
    full, short = t.rng.randint(4, 8), t.rng.randint(1, batch_size // 3)
    n = full * batch_size + short
    idx = subset(t, False, n)
    data = Subset(dataset(False, transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (1.0,))])), idx.tolist())
    x, y = course_images(False, idx)
    expected = _predictions(model, x)
    with _Watch(model) as watch:
        got = t.call("predict_all", model, data, batch_size)
    _judge_calls(t, watch, "predict_all")
    plain = plain_tensor(got, "predict_all(model, dataset, batch_size)")
    t.mistake(tuple(plain.shape) == (n, 10),
              ja="`predict_all` がモデルの出力 (N, 10) をそのまま返しています。各行で値が最大のクラス `output.argmax(dim=1)` を予測として返してください。",
              en="`predict_all` returns the model's outputs (N, 10). Return the predicted class of each row, `output.argmax(dim=1)`.")
    t.mistake(tuple(plain.shape) == (n - short,),
              ja=f"`predict_all` の予測が {n - short} 個しかありません (データは {n} 個)。`drop_last=True` で最後の小さなミニバッチ ({short} 個) を捨てています。",
              en=f"`predict_all` gives only {n - short} predictions for {n} images: `drop_last=True` drops the last, short mini-batch ({short} images).")
    batches = -(-n // batch_size)
    t.mistake(tuple(plain.shape) == (10 * batches,),
              ja=f"`predict_all` の予測が {10 * batches} 個 (ミニバッチ {batches} 個 × 10) あります。`argmax` がサンプルの次元 (`dim=0`) にかかり、クラスごとに 1 つの値になっています。各行 (サンプル) のクラスの次元 `argmax(dim=1)` をとってください。",
              en=f"`predict_all` gives {10 * batches} predictions ({batches} mini-batches times 10): `argmax` runs over the samples (`dim=0`) and gives one value per class. Take it over each row's classes, `argmax(dim=1)`.")
    t.shape(plain, (n,), name="predict_all(model, dataset, batch_size)")
    # The student's predictions next to the true labels: predictions out of order show as a page of mistakes.
    draw_digits(t, None, x, y, predicted=plain)
    if not torch.equal(plain.long(), expected) and torch.equal(torch.bincount(plain.long(), minlength=10), torch.bincount(expected, minlength=10)):
        right = float((expected == y).float().mean())
        wrong = float((plain.long() == y).float().mean())
        t.fail(ja=f"`predict_all` の予測は数としては合っていますが、順番が混ざっています。DataLoader を `shuffle=True` で作ったため、予測がデータセットのラベルと並ばなくなっています。"
                  f"このまま元の順番のラベルと比べると正解率は {wrong:.1%} になり、本当の {right:.1%} とはかけ離れます。テスト用の DataLoader は `shuffle=False` にしてください。",
               en=f"`predict_all` has the right predictions in a shuffled order: the DataLoader was made with `shuffle=True`, so the predictions no longer line up with the dataset's labels. "
                  f"Compared with the labels in their original order the accuracy comes out as {wrong:.1%} instead of the real {right:.1%}. Make the test DataLoader with `shuffle=False`.")
    t.tensor(plain, expected, name="predict_all(model, dataset, batch_size)", atol=0)

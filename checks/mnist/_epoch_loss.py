"""The epoch loss `train_epoch` returns is the mean per image (exercises 5.3 and 5.4).

With full mini-batches the plain mean of the mini-batch losses and the mean per
image are the same number, so the training runs cannot tell them apart. This
check gives `train_epoch` a loader of 65 images in batches of 64: the last
mini-batch holds one image, chosen (and labelled) so that its loss stands out,
and an optimizer with lr=0, so that nothing moves and every loss is known.
"""

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from _mnist import LossSpy, course_images, name_error, subset  # checks/mnist/_mnist.py

_cross_entropy = F.cross_entropy

FULL, SHORT = 64, 1


def _near(a, b):
    return abs(a - b) <= 1e-4 + 1e-3 * abs(b)


def _loader(t, model):
    """64 images, then one whose label is its least likely class under `model`."""
    x, y = course_images(True, subset(t, True, FULL + 1))
    model.eval()
    with torch.no_grad():
        last = model(x[FULL:]).reshape(1, -1)
    model.train()
    y[FULL] = int(last.argmin(dim=1))
    return DataLoader(TensorDataset(x, y), batch_size=FULL, shuffle=False)


def judge_mean_per_image(t, model):
    """Call the student's train_epoch once on a loader whose last batch holds one image."""
    loader = _loader(t, model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
    spy = LossSpy()
    with spy:
        try:
            got = t.call("train_epoch", model, loader, optimizer)
        except (RuntimeError, ValueError) as exc:
            name_error(t, exc, "train_epoch")
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        got = float(got.detach())
    t.expect(isinstance(got, (int, float)) and not isinstance(got, bool),
             ja=f"`train_epoch` が {type(got).__name__} を返しています。そのエポックの平均損失を数値 (float) で返してください。",
             en=f"`train_epoch` should return the epoch's mean loss as a number (float) but returned a {type(got).__name__}.")
    calls = spy.calls
    if len(calls) != 2 or [n for _, n in calls] != [FULL, SHORT]:
        return  # the loss went another way (the training checks judge it); nothing to compare here
    (full, _), (short, _) = calls
    per_image = (full * FULL + short * SHORT) / (FULL + SHORT)
    per_batch = (full + short) / 2
    value = float(got)
    if _near(value, per_image):
        return
    t.mistake(_near(value, per_batch),
              ja=f"`train_epoch` がミニバッチの損失をそのまま平均しています ({value:.4g})。チェックの DataLoader は 65 枚の画像を 64 枚と 1 枚のミニバッチに分けました。"
                 f"ミニバッチの損失の平均では、最後の 1 枚が 64 枚のミニバッチと同じ重さで数えられてしまいます。画像 1 枚あたりの平均 (ここではおよそ {per_image:.4g}) を返してください。"
                 "ミニバッチごとに `loss.item() * len(labels)` を足し合わせ、最後に画像の数 (`len(loader.dataset)`) で割ります。",
              en=f"`train_epoch` averages the mini-batch losses as they are ({value:.4g}). The check's DataLoader cut 65 images into mini-batches of 64 and 1, "
                 f"and a mean of the mini-batch losses counts that last single image as much as the 64 before it. Return the mean per image (about {per_image:.4g} here): "
                 "add up `loss.item() * len(labels)` for every mini-batch and divide by the number of images (`len(loader.dataset)`) at the end.")
    t.mistake(_near(value, short),
              ja=f"`train_epoch` が最後のミニバッチの損失だけを返しています ({value:.4g})。エポック全体の、画像 1 枚あたりの平均 (およそ {per_image:.4g}) を返してください。",
              en=f"`train_epoch` returns only the last mini-batch's loss ({value:.4g}). Return the mean per image over the whole epoch (about {per_image:.4g}).")
    t.mistake(_near(value, full + short) or _near(value, full * FULL + short * SHORT),
              ja=f"`train_epoch` が損失の合計 ({value:.4g}) を返しています。画像 1 枚あたりの平均 (およそ {per_image:.4g}) を返してください。",
              en=f"`train_epoch` returns a sum of losses ({value:.4g}). Return the mean per image (about {per_image:.4g}).")
    t.fail(ja=f"`train_epoch` が返した損失 {value:.4g} が、画像 1 枚あたりの平均損失 (およそ {per_image:.4g}) と合いません "
              f"(チェックの DataLoader は 65 枚の画像を 64 枚と 1 枚のミニバッチに分けました)。",
           en=f"`train_epoch` returned {value:.4g}, which is not the mean loss per image (about {per_image:.4g}; "
              "the check's DataLoader cut 65 images into mini-batches of 64 and 1).")

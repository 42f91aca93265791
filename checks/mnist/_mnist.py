"""Helpers shared by the MNIST lesson's checks: the data, the loss spy, the training probe.

Lives next to the check files (checks/<lesson>/_*.py is a lesson's private
helper module), so each check file imports what it needs instead of a copy.

The data are the real MNIST digits the package ships, read offline through
`torchvision.datasets.MNIST(root=mnist_root(), download=False)`. A check draws
its own subsets per run: training images only ever come from train=True and
the held-out images it measures accuracy on only from train=False, so no
held-out image can enter training.
"""

import functools
import math

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from tutor.checkkit import CheckFailure, TrainWatch, Unavailable, ZeroGradWatch

from _figures import TrainingRecord, draw_digits  # checks/mnist/_figures.py

# Bound before any student code runs.
_CROSS_ENTROPY, _NLL_LOSS, _MSE_LOSS = F.cross_entropy, F.nll_loss, F.mse_loss
_log_softmax, _softmax, _logsumexp = torch.log_softmax, torch.softmax, torch.logsumexp
_allclose = torch.allclose
_is_grad_enabled = torch.is_grad_enabled
_register_forward_hook = torch.nn.modules.module.register_module_forward_hook

TRAIN_SIZE = 60000
TEST_SIZE = 10000


# -- the data -------------------------------------------------------------------

def _root():
    """mnist_root(), or a verdict that says why the data cannot be had (never a pass)."""
    from tutor.checkkit import DataError, mnist_root

    try:
        return mnist_root()
    except DataError as exc:
        raise Unavailable(ja=f"MNIST のデータが見つからないため、このチェックを実行できません ({exc})。`dltutor doctor` で確かめてください。",
                          en=f"This check cannot run: the MNIST data is not available ({exc}). See `dltutor doctor`.") from exc


@functools.lru_cache(maxsize=None)
def raw(train):
    """The whole MNIST split as (uint8 images (N, 28, 28), int64 labels (N,))."""
    from torchvision import datasets

    ds = datasets.MNIST(root=_root(), train=train, download=False)
    return ds.data, ds.targets


def dataset(train, transform=None):
    """The real torchvision dataset, as students build it."""
    from torchvision import datasets

    return datasets.MNIST(root=_root(), train=train, download=False, transform=transform)


def course_images(train, idx):
    """Images `idx` of a split as the course's transforms make them, and their labels.

    ToTensor divides the bytes by 255 into (1, 28, 28) float32; Normalize((0.5,), (1.0,))
    subtracts 0.5 and divides by 1.0. The arithmetic below is exactly theirs.
    """
    data, targets = raw(train)
    idx = torch.as_tensor(idx, dtype=torch.long)
    x = data[idx].to(torch.float32).div(255).sub(0.5).unsqueeze(1)
    return x.contiguous(), targets[idx].clone()


def subset(t, train, n):
    """n distinct image indices of a split, drawn per run."""
    size = TRAIN_SIZE if train else TEST_SIZE
    return torch.randperm(size, generator=t.gen)[:n]


def train_loader(t, n, batch_size):
    """A shuffled loader over n training images (train=True) chosen per run."""
    x, y = course_images(True, subset(t, True, n))
    g = torch.Generator().manual_seed(t.seed)
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True, generator=g)


def held_out(t, n):
    """n test images (train=False) chosen per run: they never enter training."""
    return course_images(False, subset(t, False, n))


def accuracy_of(model, x, y, batch_size=500):
    """The check's own accuracy: eval mode, no_grad, argmax over every sample."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            out = model(x[i:i + batch_size])
            correct += int((out.argmax(dim=1) == y[i:i + batch_size]).sum())
    return correct / len(x)


# -- what a classifier's forward returns --------------------------------------

def output_kind(out, logits):
    """'logits', 'log_softmax', 'softmax' (probabilities), or None, comparing with the right logits."""
    close = lambda a, b: bool(_allclose(a.double(), b.double(), atol=1e-4, rtol=1e-4))
    if close(out, logits):
        return "logits"
    if close(out, _log_softmax(logits, dim=1)):
        return "log_softmax"
    if close(out, _softmax(logits, dim=1)):
        return "softmax"
    if close(out, _softmax(logits, dim=0)) or close(out, _log_softmax(logits, dim=0)):
        return "dim0"
    return None


def is_probabilities(x):
    """Rows of non-negative values that sum to 1: a softmax output."""
    x = x.detach().double()
    return x.dim() == 2 and x.shape[1] > 1 and bool((x >= 0).all()) and bool((x <= 1).all()) and \
        bool(_allclose(x.sum(dim=1), torch.ones(x.shape[0], dtype=torch.float64), atol=1e-4))


def is_log_probabilities(x):
    """Rows whose exponentials sum to 1: a log-softmax output."""
    x = x.detach().double()
    return x.dim() == 2 and x.shape[1] > 1 and bool((x <= 1e-6).all()) and \
        bool(_allclose(_logsumexp(x, dim=1), torch.zeros(x.shape[0], dtype=torch.float64), atol=1e-4))


def softmax_fail(t, name, where_ja="モデルの出力", where_en="the model's output"):
    t.fail(ja=f"{where_ja}にソフトマックス関数がかかっています (各行が 0 から 1 の値で、足すと 1 になります)。`nn.CrossEntropyLoss` (`F.cross_entropy`) は中で log-softmax を計算するので、"
              f"ソフトマックス関数がもう一度かかることになり、勾配が小さくなって学習がなかなか進みません。`{name}` の最後の全結合層の出力 (ロジット) をそのまま返し、ソフトマックス関数は外してください。",
           en=f"There is a softmax on {where_en} (every row lies in 0..1 and sums to 1). `nn.CrossEntropyLoss` (`F.cross_entropy`) computes a log-softmax inside, "
              f"so the softmax is applied twice, the gradients shrink and training crawls. Let `{name}` return the last fully connected layer's output (the logits) as it is, without the softmax.")


# -- spying on the loss functions -------------------------------------------------

_PASS = ("View", "Reshape", "Squeeze", "Unsqueeze", "Clone", "ToCopy", "Alias", "Expand")


def _last_op(tensor):
    """The name of the last real operation that made `tensor`, looking through reshapes."""
    fn = getattr(tensor, "grad_fn", None)
    while fn is not None:
        name = type(fn).__name__
        if not name.startswith(_PASS):
            return name
        nxt = [f for f, _ in fn.next_functions if f is not None]
        fn = nxt[0] if nxt else None
    return ""


def _target_failure(target, n_classes):
    """A CheckFailure naming what is wrong with labels given to CrossEntropyLoss, or None."""
    if not isinstance(target, torch.Tensor):
        return None
    if target.dim() == 2 and target.shape[1] == n_classes:
        kind_ja = "float の one-hot" if target.is_floating_point() else "整数の one-hot"
        kind_en = "float one-hot" if target.is_floating_point() else "integer one-hot"
        return CheckFailure(
            ja=f"`nn.CrossEntropyLoss` に正解ラベルを {kind_ja} の形 {tuple(target.shape)} で渡しています。`CrossEntropyLoss` は正解をクラス番号 (形 (N,) の int64) のまま受け取り、"
               "one-hot にする必要はありません (float の (N, C) は「クラスごとの確率」という別の使い方として読まれます)。DataLoader から出てくる `labels` をそのまま渡してください。",
            en=f"You give `nn.CrossEntropyLoss` the labels as {kind_en} of shape {tuple(target.shape)}. `CrossEntropyLoss` takes class indices (int64 of shape (N,)) as they are; "
               "no one-hot is needed (a float (N, C) target is read as per-class probabilities, a different use). Pass the `labels` from the DataLoader unchanged.")
    if target.is_floating_point():
        return CheckFailure(
            ja=f"`nn.CrossEntropyLoss` に正解ラベルを {str(target.dtype).replace('torch.', '')} で渡しています。`CrossEntropyLoss` の正解はクラス番号を表す整数 (int64) です。"
               "二値分類の `BCELoss` と違って `.float()` は要りません。DataLoader から出てくる `labels` をそのまま渡してください。",
            en=f"You give `nn.CrossEntropyLoss` the labels as {str(target.dtype).replace('torch.', '')}. The targets of `CrossEntropyLoss` are class indices, integers (int64); "
               "unlike `BCELoss` for two classes, no `.float()` is needed. Pass the `labels` from the DataLoader unchanged.")
    return None


class LossSpy:
    """Watches F.cross_entropy / F.nll_loss / F.mse_loss (and so nn.CrossEntropyLoss, nn.NLLLoss,
    nn.MSELoss) while the student's code runs.

    A mistake it recognises stops the student's code at once with a named
    CheckFailure (so a wrong answer fails before a whole epoch of training);
    every call's loss value and batch size are kept in `calls`.
    """

    def __init__(self, n_classes=10):
        self.n_classes = n_classes
        self.calls = []  # (loss value, batch size)
        self.seen = set()

    def _record(self, loss, n):
        if isinstance(loss, torch.Tensor) and loss.numel() == 1:
            self.calls.append((float(loss.detach()), n))

    def __enter__(self):
        spy = self

        def cross_entropy(input, target, *args, **kwargs):
            spy.seen.add("cross_entropy")
            failure = _target_failure(target, spy.n_classes)
            if failure is not None:
                raise failure
            if isinstance(input, torch.Tensor) and (_last_op(input).startswith("Softmax") or is_probabilities(input)):
                raise CheckFailure(
                    ja="`nn.CrossEntropyLoss` (`F.cross_entropy`) に、ソフトマックス関数を通したあとの確率を渡しています。`CrossEntropyLoss` は中で log-softmax を計算するので、"
                       "ソフトマックス関数が 2 回かかり、勾配が小さくなって学習がなかなか進みません。モデルの生の出力 (ロジット) をそのまま渡してください。",
                    en="You pass `nn.CrossEntropyLoss` (`F.cross_entropy`) probabilities that have been through a softmax. `CrossEntropyLoss` computes a log-softmax inside, "
                       "so the softmax is applied twice, the gradients shrink and training crawls. Pass the model's raw outputs (logits) as they are.")
            loss = _CROSS_ENTROPY(input, target, *args, **kwargs)
            spy._record(loss, len(target) if isinstance(target, torch.Tensor) and target.dim() else 0)
            return loss

        def nll_loss(input, target, *args, **kwargs):
            spy.seen.add("nll_loss")
            failure = _target_failure(target, spy.n_classes)
            if failure is not None:
                raise failure
            if isinstance(input, torch.Tensor) and input.dim() == 2 and not is_log_probabilities(input):
                if is_probabilities(input):
                    raise CheckFailure(
                        ja="`F.nll_loss` (`nn.NLLLoss`) に、ソフトマックス関数の確率をそのまま渡しています。`nll_loss` は対数確率 (log-softmax の出力) を受け取るものです。"
                           "`F.log_softmax(x, dim=1)` を使ってください (または `F.cross_entropy` にロジットを渡します)。",
                        en="You pass `F.nll_loss` (`nn.NLLLoss`) softmax probabilities. `nll_loss` takes log-probabilities, the output of a log-softmax: "
                           "use `F.log_softmax(x, dim=1)` (or give the logits to `F.cross_entropy`).")
                raise CheckFailure(
                    ja="`F.nll_loss` (`nn.NLLLoss`) に、log-softmax を通していない生の出力を渡しています。`nll_loss` は正解クラスの値の符号を変えて平均するだけなので、"
                       "対数確率 (`F.log_softmax(x, dim=1)` の出力) を渡さないと交差エントロピーになりません。ロジットのままなら `F.cross_entropy` を使ってください。",
                    en="You pass `F.nll_loss` (`nn.NLLLoss`) raw outputs that have not been through a log-softmax. `nll_loss` only negates and averages the true class's value, "
                       "so without log-probabilities (the output of `F.log_softmax(x, dim=1)`) it is no cross entropy. For logits use `F.cross_entropy`.")
            loss = _NLL_LOSS(input, target, *args, **kwargs)
            spy._record(loss, len(target) if isinstance(target, torch.Tensor) and target.dim() else 0)
            return loss

        def mse_loss(input, target, *args, **kwargs):
            raise CheckFailure(
                ja="損失関数に平均二乗誤差 (`nn.MSELoss`) を使っています。MSE は回帰の損失関数です。10 クラスの分類には交差エントロピー (`nn.CrossEntropyLoss`) を使い、"
                   "正解にはクラス番号 (int64) をそのまま渡します。",
                en="You use the mean squared error (`nn.MSELoss`) as the loss. MSE is for regression; for classifying ten classes use the cross entropy (`nn.CrossEntropyLoss`) "
                   "and give it the class indices (int64) as they are.")

        F.cross_entropy, F.nll_loss, F.mse_loss = cross_entropy, nll_loss, mse_loss
        return self

    def __exit__(self, *exc):
        F.cross_entropy, F.nll_loss, F.mse_loss = _CROSS_ENTROPY, _NLL_LOSS, _MSE_LOSS
        return False


# -- errors PyTorch raises for the usual mistakes -------------------------------

def name_error(t, exc, where):
    """Turn PyTorch's error for a well-known mistake into a named failure; re-raise anything else."""
    msg = str(exc)
    if isinstance(exc, RuntimeError) and "expected target dtype to be Long" in msg:
        t.fail(ja=f"`{where}` でエラーになりました ({msg})。`nn.CrossEntropyLoss` に float の正解ラベルを渡しています。正解はクラス番号 (int64) のまま渡します。"
                  "二値分類の `BCELoss` と違って `.float()` は要りません。",
               en=f"`{where}` raised an error ({msg}): float labels went into `nn.CrossEntropyLoss`. Its targets are class indices, int64, as they come; "
                  "unlike `BCELoss` for two classes, no `.float()` is needed.")
    if isinstance(exc, RuntimeError) and "target with class probabilities" in msg:
        t.fail(ja=f"`{where}` でエラーになりました ({msg})。`nn.CrossEntropyLoss` に one-hot の正解ラベルを渡しています。正解はクラス番号 (形 (N,) の int64) のまま渡し、one-hot にはしません。",
               en=f"`{where}` raised an error ({msg}): one-hot labels went into `nn.CrossEntropyLoss`. Give it the class indices (int64 of shape (N,)) as they are; no one-hot.")
    if isinstance(exc, RuntimeError) and "shapes cannot be multiplied" in msg and "x28 and 784x" in msg:
        t.fail(ja=f"`{where}` でエラーになりました ({msg})。画像 (N, 1, 28, 28) を平坦化しないまま `nn.Linear(784, ...)` に入れています。"
                  "`x.view(-1, 28*28)` や `nn.Flatten()` で (N, 784) にしてから全結合層に渡してください。",
               en=f"`{where}` raised an error ({msg}): the images (N, 1, 28, 28) went into `nn.Linear(784, ...)` without being flattened. "
                  "Make them (N, 784) with `x.view(-1, 28*28)` or `nn.Flatten()` before the fully connected layer.")
    raise exc


# -- running a student's train_epoch ----------------------------------------------

class _ForwardCount:
    """Counts forward calls of `model` with autograd on (training steps) and off."""

    def __init__(self, model):
        self.model = model
        self.grad_calls = 0
        self.eval_mode_calls = 0

    def __enter__(self):
        def hook(module, inputs, output):
            if _is_grad_enabled():
                self.grad_calls += 1
                if not module.training:
                    self.eval_mode_calls += 1
        self.handle = self.model.register_forward_hook(hook)
        return self

    def __exit__(self, *exc):
        self.handle.remove()
        return False


def _number(value):
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = float(value.detach())
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def run_epochs(t, model, loader, optimizer, epochs, record=None):
    """Call the student's `train_epoch(model, loader, optimizer)` `epochs` times; name the usual mistakes.

    Returns the list of returned epoch losses (floats). `record` (a `TrainingRecord`,
    for the figures) gets the epoch losses and every mini-batch loss as they come,
    also when a mistake stops the run half-way, and is told when an epoch ends.
    """
    steps = [0]
    handle = optimizer.register_step_post_hook(lambda *a: steps.__setitem__(0, steps[0] + 1))
    losses = []
    spy = LossSpy()
    if record is not None:
        record.epoch_losses, record.batch_calls = losses, spy.calls
    try:
        with ZeroGradWatch() as grads, TrainWatch() as watch, _ForwardCount(model) as count, spy:
            for epoch in range(epochs):
                before_calls, before_steps, before_forwards = len(spy.calls), steps[0], count.grad_calls
                before_eval = count.eval_mode_calls
                # As a caller that evaluates between epochs would: train_epoch must switch back itself.
                model.eval()
                try:
                    got = t.call("train_epoch", model, loader, optimizer)
                except (RuntimeError, ValueError) as exc:
                    name_error(t, exc, "train_epoch")
                batches = count.grad_calls - before_forwards
                t.mistake(batches > 0 and count.eval_mode_calls - before_eval == batches,
                          ja="`train_epoch` がモデルを評価モード (`model.eval()`) のまま学習しています。呼ぶ側は前のエポックのあとに評価していることがあるので、学習の前に `model.train()` を呼んでください。",
                          en="`train_epoch` trains the model in evaluation mode (`model.eval()`): the caller may have evaluated it after the previous epoch, so call `model.train()` before training.")
                if epoch == 0:
                    t.mistake(watch.backwards + watch.grads == 0,
                              ja="`train_epoch` の中で `backward()` が一度も呼ばれていません。ミニバッチごとに損失から `loss.backward()` で勾配を求めてください。",
                              en="`train_epoch` never calls `backward()`: compute the gradients from every mini-batch's loss with `loss.backward()`.")
                    t.mistake(steps[0] > 0 and all(p.grad is None for p in model.parameters()),
                              ja="`train_epoch` で、渡されたモデルのパラメータに勾配が一度も付いていません。コピーや新しいモデルではなく、渡された `model` そのものを学習させてください。",
                              en="In `train_epoch` the parameters of the model passed in never got a gradient: train that very `model`, not a copy or a new one.")
                    t.mistake(grads.never_zeroed,
                              ja="`train_epoch` が勾配を 0 に戻していません。勾配は `backward()` のたびに足し込まれるので、ミニバッチごとに `optimizer.zero_grad()` を呼んでください。",
                              en="`train_epoch` never zeroes the gradients. They accumulate with every `backward()`: call `optimizer.zero_grad()` for every mini-batch.")
                    t.mistake(steps[0] == 0 and batches > 0,
                              ja="`train_epoch` が、引数で渡された `optimizer` の `step()` を一度も呼んでいません。関数の中で新しい最適化手法を作らず、渡された `optimizer` を使ってください。",
                              en="`train_epoch` never calls `step()` of the `optimizer` it was given. Do not make a new optimizer inside; use the one passed in.")
                    t.mistake(0 < steps[0] - before_steps < len(loader),
                              ja=f"`train_epoch` の 1 回の呼び出しで `step()` が {steps[0] - before_steps} 回しか呼ばれていません。DataLoader には {len(loader)} 個のミニバッチがあります。"
                                 "`for images, labels in loader:` で全部のミニバッチを回し、それぞれで更新してください。",
                              en=f"One call of `train_epoch` called `step()` only {steps[0] - before_steps} time(s); the DataLoader holds {len(loader)} mini-batches. "
                                 "Loop over all of them with `for images, labels in loader:` and update on each.")
                    t.mistake(steps[0] - before_steps >= 2 * len(loader),
                              ja=f"`train_epoch` の 1 回の呼び出しで `step()` が {steps[0] - before_steps} 回呼ばれました (ミニバッチは {len(loader)} 個)。"
                                 "`train_epoch` は DataLoader を 1 周する (1 エポック分) だけにしてください。何エポック学習するかは呼ぶ側が決めます。",
                              en=f"One call of `train_epoch` called `step()` {steps[0] - before_steps} times (the loader holds {len(loader)} mini-batches). "
                                 "`train_epoch` makes one pass over the loader (one epoch); the caller decides how many epochs to train.")
                value = t.number(got, name="train_epoch(model, loader, optimizer)")
                _check_epoch_loss(t, value, spy.calls[before_calls:])
                losses.append(value)
                if record is not None:
                    record.epoch_done()
    finally:
        handle.remove()
    return losses


def _check_epoch_loss(t, value, calls):
    t.expect(math.isfinite(value) and value > 0,
             ja=f"`train_epoch` が返した損失が {value} です。交差エントロピーは正の有限な値になるはずです。学習率や損失関数を確かめてください。",
             en=f"`train_epoch` returned a loss of {value}. A cross entropy is a positive finite number: check the loss function and the learning rate.")
    if len(calls) < 2:
        return  # the loss went through a path the spy does not see; judge it only as above
    values = [v for v, _ in calls]
    sizes = [n for _, n in calls]
    mean = sum(values) / len(values)
    weighted = sum(v * n for v, n in calls) / max(1, sum(sizes))
    near = lambda a, b: abs(a - b) <= 1e-4 + 1e-3 * abs(b)
    # The contract is the mean per image; the plain mean of the mini-batch losses is
    # the same number only while every mini-batch is full (checks/mnist/_epoch_loss.py
    # tells the two apart with a short last batch).
    if near(value, weighted) or (near(value, mean) and near(mean, weighted)):
        return
    if all(sizes):  # a loss with reduction="sum", divided afterwards
        if near(value, sum(values) / sum(sizes)):
            return
    t.mistake(near(value, sum(values)),
              ja=f"`train_epoch` がミニバッチごとの損失の合計 ({value:.4g}) を返しています。画像 1 枚あたりの平均 (およそ {weighted:.4g}) を返してください。",
              en=f"`train_epoch` returns the sum of the mini-batch losses ({value:.4g}). Return the mean per image (about {weighted:.4g}).")
    t.mistake(near(value, values[-1]),
              ja=f"`train_epoch` が最後のミニバッチの損失だけを返しています。エポック全体の、画像 1 枚あたりの平均 (およそ {weighted:.4g}) を返してください。",
              en=f"`train_epoch` returns only the last mini-batch's loss. Return the mean per image over the whole epoch (about {weighted:.4g}).")
    t.fail(ja=f"`train_epoch` が返した損失 {value:.4g} が、このエポックの画像 1 枚あたりの平均損失 (およそ {weighted:.4g}) と合いません。"
              "ミニバッチごとに `loss.item() * len(labels)` を足し合わせて、最後に画像の数 (`len(loader.dataset)`) で割ってください。",
           en=f"`train_epoch` returned {value:.4g}, which is not this epoch's mean loss per image (about {weighted:.4g}). "
              "Add up `loss.item() * len(labels)` for every mini-batch and divide by the number of images (`len(loader.dataset)`) at the end.")


def untouched(model, before):
    """True if no parameter of the model changed since `before` (a list of copies)."""
    return all(torch.equal(p0, p.detach()) for p0, p in zip(before, model.parameters()))


def train_and_judge(t, model, optimizer, optimizer_name, lr, n_train, n_test, batch, epochs, threshold, draw_weights=None):
    """Train `model` with the student's `train_epoch` on images drawn per run, then
    judge it on held-out test images that never enter training (5.3 and 5.4).

    Figures (before any verdict on the result, so a failing run shows them too):
    the loss per epoch (with the held-out loss), the loss per mini-batch, the
    held-out accuracy per epoch, held-out digits with their predictions, and
    `draw_weights(t, model)` (the first layer's weights).
    """
    loader = train_loader(t, n_train, batch)
    # The figures' per-epoch held-out curve needs images while training runs; the images the
    # verdict is judged on are drawn only afterwards, from a source the seed does not give
    # away, so none of them is anywhere the student's code could find it while it trains.
    x_fig, y_fig = held_out(t, min(n_test, 500))
    before = [p.detach().clone() for p in model.parameters()]
    record = TrainingRecord(model, x_fig, y_fig)
    try:
        losses = run_epochs(t, model, loader, optimizer, epochs, record)
    finally:
        record.draw(t)
    t.gen = t.unseen_gen()
    x_test, y_test = held_out(t, n_test)
    draw_digits(t, model, x_test, y_test)
    if draw_weights is not None:
        draw_weights(t, model)
    t.expect(not untouched(model, before),
             ja="`train_epoch` のあとも、渡した model のパラメータが少しも変わっていません。渡された `optimizer` の `step()` を、`backward()` のあとに呼んでいるか確かめてください。",
             en="After `train_epoch` the parameters of the model it was given have not changed at all. Call `step()` of the `optimizer` passed in, after `backward()`.")
    accuracy = accuracy_of(model, x_test, y_test)
    if accuracy < threshold:
        t.fail(ja=f"学習後、学習に使っていないテスト画像 {n_test} 枚での正解率が {accuracy:.1%} で、合格の {threshold:.0%} に届きません "
                  f"(チェックは訓練画像 {n_train} 枚、バッチサイズ {batch}、{optimizer_name} (lr={lr}) で {epochs} エポック学習させました。損失は {losses[0]:.3f} → {losses[-1]:.3f})。"
                  "ミニバッチごとに zero_grad → 順伝播 → 損失 → backward → step となっているか、損失関数が `nn.CrossEntropyLoss` か確かめてください。",
               en=f"After training, the accuracy on {n_test} test images never used in training is {accuracy:.1%}, short of the {threshold:.0%} needed "
                  f"(the check trained on {n_train} images, batch size {batch}, {optimizer_name} (lr={lr}) for {epochs} epochs; the loss went {losses[0]:.3f} -> {losses[-1]:.3f}). "
                  "Check that every mini-batch does zero_grad -> forward -> loss -> backward -> step, with `nn.CrossEntropyLoss` as the loss.")
    t.expect(losses[-1] < losses[0],
             ja=f"エポックごとの損失が下がっていません ({losses[0]:.4g} → {losses[-1]:.4g})。",
             en=f"The epoch loss did not go down ({losses[0]:.4g} -> {losses[-1]:.4g}).")

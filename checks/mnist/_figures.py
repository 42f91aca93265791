"""Figures of the MNIST lesson's training checks, drawn from the student's own run.

Never part of a verdict: each draws from what the check already has, looks at
the model only inside `Quiet` (evaluation mode, no autograd, modes and random
state restored), and gives up silently on anything unexpected.
"""

import torch
import torch.nn.functional as F

from tutor.checkkit import Quiet

_CROSS_ENTROPY = F.cross_entropy  # bound before any student code runs


class TrainingRecord:
    """What a training run leaves for the figures: the epoch losses the student's
    `train_epoch` returned, every mini-batch loss its loss function computed, and,
    after every epoch, the loss and accuracy on the held-out images (measured
    without autograd and in evaluation mode, the model's modes restored, so the
    training goes on exactly as without it)."""

    def __init__(self, model, x_test, y_test):
        self.model, self.x, self.y = model, x_test, y_test
        self.epoch_losses, self.batch_calls = [], []
        self.test_losses, self.test_accuracy = [], []
        self.broken = False

    def epoch_done(self):
        if self.broken:
            return
        try:
            with Quiet(self.model):
                outs = [self.model(self.x[i:i + 500]) for i in range(0, len(self.x), 500)]
                out = torch.cat([o.detach().float() for o in outs])
                loss = float(_CROSS_ENTROPY(out, self.y))  # the same for logits and log-probabilities
                accuracy = float((out.argmax(dim=1) == self.y).float().mean())
        except Exception:  # a model whose output is no (N, 10) tensor: the verdict names it, not a figure
            self.broken = True
            return
        self.test_losses.append(loss)
        self.test_accuracy.append(accuracy)

    def draw(self, t):
        epoch = ("エポック", "epoch")
        if self.epoch_losses:
            lines = {"loss": self.epoch_losses}
            if len(self.test_losses) == len(self.epoch_losses):
                lines["test_loss"] = self.test_losses
            t.plot_line("loss", ja="エポックごとの損失", en="loss per epoch", lines=lines,
                        x_label=epoch, y_label=("損失", "loss"))
        if len(self.batch_calls) >= 2:
            t.plot_line("batch_loss", ja="ミニバッチごとの損失", en="loss per mini-batch",
                        lines={"loss": [v for v, _ in self.batch_calls]},
                        x_label=("ミニバッチ", "mini-batch"), y_label=("損失", "loss"))
        if self.test_accuracy and len(self.test_accuracy) == len(self.epoch_losses):
            t.plot_line("accuracy", ja="テストデータでの正解率", en="accuracy on the test data",
                        lines={"test_accuracy": self.test_accuracy}, x_label=epoch, y_label=("正解率", "accuracy"))


def draw_digits(t, model, x, y, n=24, predicted=None):
    """The first n held-out images with "true/predicted" labels, mistakes marked.

    `predicted` are the predictions if the caller has them; otherwise the model
    is asked (quietly, see `_Quiet`).
    """
    try:
        if predicted is None:
            with Quiet(model):
                predicted = model(x[:n]).argmax(dim=1)
        pred = torch.as_tensor(predicted).detach().cpu().reshape(-1)[:n].long()
        true = y[:len(pred)]
    except Exception:
        return
    t.plot_images("digits", ja="テスト画像 (正解/予測)", en="test images (true/predicted)", images=x[:len(pred)],
                  labels=[f"{a}/{b}" for a, b in zip(true.tolist(), pred.tolist())], marks=(pred != true).tolist())


def draw_first_weights(t, model, count, labels, ja, en):
    """The weights of the first fully connected layer (784 inputs) as 28x28 pictures."""
    firsts = [m for m in model.modules() if isinstance(m, torch.nn.Linear) and m.in_features == 784]
    if firsts:
        t.plot_images("weights", ja=ja, en=en, images=firsts[0].weight.detach()[:count], labels=labels, cmap="diverging")

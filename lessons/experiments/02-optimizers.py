"""実験 9.2 最適化手法と学習率 / Experiment 9.2: optimizers and learning rates

最適化手法 (SGD、モーメンタム付き SGD、Adam)、学習率、学習率のスケジューラを変えると、
同じ MLP (784 → 128 → 10) の学習の速さと正解率がどう変わるかを調べる実験です。
This study compares optimizers (SGD, SGD with momentum, Adam), learning rates
and a learning-rate scheduler on one MLP (784 -> 128 -> 10).

SETTINGS
    4 個以上の設定で、2 つ以上の要因 (例えば `optimizer`、`lr`、`scheduler`) を変えます。
    2 種類以上の最適化手法、2 つ以上の学習率、スケジューラを使う設定を入れてください。
    At least 4 settings varying 2+ factors; 2+ optimizers, 2+ learning rates, and a
    setting with a scheduler.

make_optimizer(model, config) -> torch.optim.Optimizer
    `config["optimizer"]` が "sgd" なら SGD、"momentum" なら momentum=0.9 の SGD、"adam" なら
    Adam を、学習率 `config["lr"]` で作ります。
    "sgd", "momentum" (SGD with momentum 0.9) or "adam", at `config["lr"]`.

make_scheduler(optimizer, config) -> scheduler or None
    `config.get("scheduler", "none")` が "step" なら StepLR(step_size=1, gamma=0.5)、"plateau" なら
    ReduceLROnPlateau、"none" なら None を返します。`run` はエポックの最後に `step()` を呼びます。
    StepLR for "step", ReduceLROnPlateau for "plateau", None for "none"; `run`
    calls its `step()` at the end of each epoch.

run(config): 9.1 と同じ約束です (エポックごとに yield、最後に return model)。
    The same contract as 9.1 (yield per epoch, then return model).

考察 / discussion: 02-optimizers.md (このファイルと同じフォルダ / beside this file)

Run it with: dltutor run 9.2
"""

import torch
from torch import nn
from torchvision import datasets

from tutor.data import mnist_root

# TODO: 最適化手法・学習率・スケジューラを変えた設定を 4 個以上並べてください。
# TODO: list 4 or more settings varying the optimizer, the learning rate and the scheduler.
SETTINGS = [
    {"optimizer": "sgd", "lr": 0.01, "scheduler": "none", "epochs": 3, "seed": 0},
]


def load_data(config):
    """((x_train, y_train), (x_val, y_val)): MNIST's training images split 50,000 / 10,000."""
    data = datasets.MNIST(root=mnist_root(), train=True, download=False)
    x = data.data.to(torch.float32).div(255).sub(0.5).unsqueeze(1)
    y = data.targets
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    n_val = config.get("val_size", 10000)
    train, val = perm[n_val:], perm[:n_val]
    train = train[: config.get("train_size", len(train))]
    return (x[train], y[train]), (x[val], y[val])


def evaluate(model, x, y, device, batch_size=1000):
    """(mean loss, accuracy) of `model` on images `x` and labels `y`."""
    model.eval()
    loss_fn = nn.CrossEntropyLoss(reduction="sum")
    total, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            xb, yb = x[i:i + batch_size].to(device), y[i:i + batch_size].to(device)
            out = model(xb)
            total += loss_fn(out, yb).item()
            correct += (out.argmax(dim=1) == yb).sum().item()
    return total / len(x), correct / len(x)


def build_model(config):
    """784 -> 128 -> ReLU -> 10, the same for every setting (only the optimizer changes)."""
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def make_optimizer(model, config):
    """SGD, SGD with momentum 0.9, or Adam, at the setting's learning rate."""
    # TODO: config["optimizer"] で torch.optim.SGD / SGD(momentum=0.9) / Adam を作り分ける
    raise NotImplementedError


def make_scheduler(optimizer, config):
    """StepLR halving the learning rate every epoch, ReduceLROnPlateau, or None."""
    # TODO: config.get("scheduler", "none") が "step" なら StepLR、"plateau" なら ReduceLROnPlateau、"none" なら None
    raise NotImplementedError


def run(config):
    """Train one setting; yield each epoch's metrics, then return the trained model."""
    device = torch.device(config["device"])
    (x_train, y_train), (x_val, y_val) = load_data(config)
    model = build_model(config).to(device)
    optimizer = make_optimizer(model, config)
    scheduler = make_scheduler(optimizer, config)
    loss_fn = nn.CrossEntropyLoss()
    batch_size = config.get("batch_size", 100)
    for epoch in range(config["epochs"]):
        model.train()
        perm = torch.randperm(len(x_train))
        total = 0.0
        for i in range(0, len(x_train), batch_size):
            idx = perm[i:i + batch_size]
            xb, yb = x_train[idx].to(device), y_train[idx].to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        val_loss, val_acc = evaluate(model, x_val, y_val, device)
        if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
            scheduler.step(val_loss)
        elif scheduler is not None:
            scheduler.step()
        yield {"train_loss": total / len(x_train), "val_loss": val_loss, "val_acc": val_acc}
    return model

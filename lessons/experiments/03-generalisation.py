"""実験 9.3 汎化: ドロップアウト、重み減衰、データ拡張 / Experiment 9.3: generalisation

訓練データを 2,000 枚に減らして大きめの MLP (784 → 256 → 256 → 10) を長く学習させると
過学習が起きます。ドロップアウト、重み減衰、データ拡張がそれをどれだけ防ぐかを調べる実験です。
With 2,000 training images a larger MLP over-fits; this study measures how much
dropout, weight decay and data augmentation help.

SETTINGS
    どれも使わない基準の設定と、ドロップアウト (`dropout`)、重み減衰 (`weight_decay`)、
    データ拡張 (`augment`) をそれぞれ加えた設定を入れてください (4 個以上)。
    A base setting with none of them, and settings adding dropout, weight decay and
    augmentation (4 or more settings).

build_model(config): 中間層 (ReLU) のあとに `nn.Dropout(config["dropout"])` を入れます (0 なら入れません)。
    After each hidden layer's ReLU, `nn.Dropout(config["dropout"])` (none when 0).
augment(xb): 訓練のミニバッチ (N, 1, 28, 28) にランダムな変換をかけて返します (`transforms.RandomAffine` など)。
    Returns the training mini-batch with a random transform (e.g. `transforms.RandomAffine`).
run(config): 重み減衰は最適化手法の `weight_decay=config["weight_decay"]` で指定します。
    検証データとテストデータには拡張をかけません。9.1 と同じ約束です (yield、return model)。
    Weight decay is the optimizer's `weight_decay`; never augment validation or test data.

考察 / discussion: 03-generalisation.md (このファイルと同じフォルダ / beside this file)

Run it with: dltutor run 9.3
"""

import torch
from torch import nn
from torchvision import datasets, transforms

from tutor.data import mnist_root

BASE = {"train_size": 2000, "val_size": 5000, "batch_size": 50, "epochs": 30, "seed": 0}
# TODO: 基準の設定と、dropout・weight_decay・augment をそれぞれ加えた設定を並べてください。
# TODO: the base setting, and settings adding dropout, weight decay and augmentation.
SETTINGS = [
    {**BASE, "dropout": 0.0, "weight_decay": 0.0, "augment": False},
]


def load_data(config):
    """((x_train, y_train), (x_val, y_val)): a small training subset and 10,000 validation images."""
    data = datasets.MNIST(root=mnist_root(), train=True, download=False)
    x = data.data.to(torch.float32).div(255).sub(0.5).unsqueeze(1)
    y = data.targets
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    n_val = config.get("val_size", 10000)
    train, val = perm[n_val:], perm[:n_val]
    train = train[: config.get("train_size", 2000)]
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
    """784 -> 256 -> 256 -> 10 with ReLU, and dropout after each hidden layer when the setting asks."""
    layers = [nn.Flatten()]
    width = 784
    for _ in range(2):
        layers += [nn.Linear(width, 256), nn.ReLU()]
        # TODO: config["dropout"] が 0 より大きければ、ここに nn.Dropout を入れる
        width = 256
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers)


AUGMENT = transforms.RandomAffine(degrees=10, translate=(0.08, 0.08), fill=-0.5)
"""A small random turn and shift. On a batch tensor it draws one map for the whole batch."""


def augment(xb):
    """The training images moved and turned a little (never the validation or test images)."""
    # TODO: AUGMENT をかけて返す (1 枚ずつや数枚ずつかけると、画像ごとに違う変換になります)
    raise NotImplementedError


def run(config):
    """Train one setting; yield each epoch's metrics, then return the trained model."""
    device = torch.device(config["device"])
    (x_train, y_train), (x_val, y_val) = load_data(config)
    model = build_model(config).to(device)
    # TODO: 重み減衰 config.get("weight_decay", 0.0) を Adam に指定する
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch_size = config.get("batch_size", 100)
    for epoch in range(config["epochs"]):
        model.train()
        perm = torch.randperm(len(x_train))
        total = 0.0
        for i in range(0, len(x_train), batch_size):
            idx = perm[i:i + batch_size]
            xb, yb = x_train[idx], y_train[idx]
            if config.get("augment"):
                xb = augment(xb)
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        val_loss, val_acc = evaluate(model, x_val, y_val, device)
        yield {"train_loss": total / len(x_train), "val_loss": val_loss, "val_acc": val_acc}
    return model

"""実験 9.1 課題1: MLP の設計と MNIST の認識性能 / Experiment 9.1: an MLP's design and its accuracy on MNIST

多層パーセプトロン (MLP) の設計 (中間層のユニット数、層の数、活性化関数、エポック数) を
変えると、MNIST の認識性能がどう変わるかを調べる実験です。
This study asks how an MLP's design (hidden units, layers, activation, epochs)
changes its accuracy on MNIST.

SETTINGS
    実験の設計: 試す設定 (辞書) のリストです。4 個以上の設定で、2 つ以上の要因
    (hidden、layers、activation、epochs のうち) を変えてください。1 回に 1 つの要因だけを
    変えると、何が効いたのかが分かります。`seed` を入れると、その設定は何度学習しても
    同じ結果になります。
    The design: a list of settings (dicts), at least 4 of them, varying at least
    two of hidden, layers, activation and epochs (one at a time). A `seed` makes
    a setting give the same result every time.

load_data(config) -> ((x_train, y_train), (x_val, y_val))   (書いてあります / given)
    MNIST の訓練データ 60,000 枚を、訓練用 50,000 枚と検証用 10,000 枚に分けます。
    テストデータ (10,000 枚) は使いません: 最後の評価は tutor が行います。
    Splits MNIST's 60,000 training images into 50,000 for training and 10,000 for
    validation. The test split is never used here: the tutor measures it.

build_model(config) -> nn.Module
    入力 (N, 1, 28, 28) を平坦化し、`config["layers"]` 層の中間層 (それぞれ
    `config["hidden"]` ユニットと `config["activation"]` の活性化関数)、最後に 10 クラスの
    ロジット (N, 10) を返すモデルを作ります。
    Flattens (N, 1, 28, 28), then `config["layers"]` hidden layers of
    `config["hidden"]` units with `config["activation"]`, then 10 logits (N, 10).

run(config)
    1 つの設定で学習します。エポックごとに
    `yield {"train_loss": ..., "val_loss": ..., "val_acc": ...}` で結果を渡し (tutor が進み
    具合を表示します)、最後に `return model` で学習したモデルを返します。tutor がその
    モデルでテスト正解率を測ります。config には tutor が `device` ("cpu" や "cuda") を加えます。
    Trains one setting: `yield` each epoch's metrics, then `return model`; the
    tutor measures the model's test accuracy. The tutor adds `device` to config.

考察 / discussion: 01-mlp-design.md (このファイルと同じフォルダ / beside this file)
    結果の表から 2 つ以上の設定を挙げて、何を変えると正解率がどう変わったか、その理由を
    書いてください (200 文字以上)。Name two or more settings and say what changed and why.

Run it with: dltutor run 9.1   (結果はキャッシュされます / finished settings are cached)
"""

import torch
from torch import nn
from torchvision import datasets

from tutor.data import mnist_root

# TODO: 基準の設定から 1 つずつ要因を変えた設定を、4 個以上並べてください。
# TODO: list 4 or more settings, each changing one factor of the base setting.
SETTINGS = [
    {"hidden": 256, "layers": 1, "activation": "relu", "epochs": 3, "seed": 0},
]


def load_data(config):
    """((x_train, y_train), (x_val, y_val)): MNIST's training images split 50,000 / 10,000."""
    data = datasets.MNIST(root=mnist_root(), train=True, download=False)
    x = data.data.to(torch.float32).div(255).sub(0.5).unsqueeze(1)  # 講義の変換 / the course's transform
    y = data.targets
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))  # どの設定でも同じ分け方 / the same split for all
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
    """An MLP: `layers` hidden layers of `hidden` units with `activation`, then 10 logits."""
    # TODO: nn.Flatten() のあと、(nn.Linear, 活性化関数) を config["layers"] 回、最後に nn.Linear(..., 10)
    raise NotImplementedError


def run(config):
    """Train one setting; yield each epoch's metrics, then return the trained model."""
    device = torch.device(config["device"])
    (x_train, y_train), (x_val, y_val) = load_data(config)
    model = build_model(config).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.get("lr", 1e-3))
    loss_fn = nn.CrossEntropyLoss()
    batch_size = config.get("batch_size", 100)
    for epoch in range(config["epochs"]):
        # TODO: model.train() にして、torch.randperm で並べ替えた訓練データをミニバッチに分けて学習し、
        #       1 枚あたりの平均の訓練損失を求めます。
        # TODO: train on shuffled mini-batches; compute the mean training loss per image.
        train_loss = 0.0
        val_loss, val_acc = evaluate(model, x_val, y_val, device)
        yield {"train_loss": train_loss, "val_loss": val_loss, "val_acc": val_acc}
    return model

# expect: passed
"""Experiment 9.3 (reference): dropout, weight decay and augmentation against over-fitting on 2,000 images."""

import torch
from torch import nn
from torchvision import datasets, transforms

from tutor.data import mnist_root

BASE = {"train_size": 2000, "val_size": 5000, "batch_size": 50, "epochs": 30, "seed": 0}
SETTINGS = [
    {'train_size': 2000, 'val_size': 1000, 'batch_size': 50, 'epochs': 2, 'seed': 0, 'name': 'base', 'dropout': 0.0, 'weight_decay': 0.0, 'augment': False},
    {'train_size': 2000, 'val_size': 1000, 'batch_size': 50, 'epochs': 2, 'seed': 0, 'name': 'dropout', 'dropout': 0.3, 'weight_decay': 0.0, 'augment': False},
    {'train_size': 2000, 'val_size': 1000, 'batch_size': 50, 'epochs': 2, 'seed': 0, 'name': 'weight-decay', 'dropout': 0.0, 'weight_decay': 0.0005, 'augment': False},
    {'train_size': 2000, 'val_size': 1000, 'batch_size': 50, 'epochs': 2, 'seed': 0, 'name': 'augment', 'dropout': 0.0, 'weight_decay': 0.0, 'augment': True},
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
    p = config.get("dropout", 0.0)
    layers = [nn.Flatten()]
    width = 784
    for _ in range(2):
        layers += [nn.Linear(width, 256), nn.ReLU()]
        if p > 0:
            layers.append(nn.Dropout(p))
        width = 256
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers)


AUGMENT = transforms.RandomAffine(degrees=10, translate=(0.08, 0.08), fill=-0.5)
"""A small random turn and shift. On a batch tensor it draws one map for the whole batch."""


def augment(xb):
    """The training images moved and turned a little, each group of 5 by a map of its own
    (a map per image is slower on a CPU, one per mini-batch too coarse)."""
    return torch.cat([AUGMENT(chunk) for chunk in xb.split(5)])


def run(config):
    """Train one setting; yield each epoch's metrics, then return the trained model."""
    device = torch.device(config["device"])
    (x_train, y_train), (x_val, y_val) = load_data(config)
    model = build_model(config).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=config.get("weight_decay", 0.0))
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

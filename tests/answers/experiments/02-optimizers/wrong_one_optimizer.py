# expect: failed
# message: Your settings use only
"""Experiment 9.2 (reference): optimizers (SGD, momentum, Adam), learning rates and a scheduler on MNIST."""

import torch
from torch import nn
from torchvision import datasets

from tutor.data import mnist_root

SETTINGS = [
    {'optimizer': 'sgd', 'lr': 0.1, 'scheduler': 'none', 'epochs': 2, 'seed': 0, 'train_size': 2000, 'val_size': 1000},
    {'optimizer': 'sgd', 'lr': 0.01, 'scheduler': 'none', 'epochs': 2, 'seed': 0, 'train_size': 2000, 'val_size': 1000},
    {'optimizer': 'sgd', 'lr': 0.05, 'scheduler': 'none', 'epochs': 2, 'seed': 0, 'train_size': 2000, 'val_size': 1000},
    {'optimizer': 'sgd', 'lr': 0.1, 'scheduler': 'step', 'epochs': 2, 'seed': 0, 'train_size': 2000, 'val_size': 1000},
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
    name, lr = config["optimizer"], config["lr"]
    if name == "sgd":
        return torch.optim.SGD(model.parameters(), lr=lr)
    if name == "momentum":
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    if name == "adam":
        return torch.optim.Adam(model.parameters(), lr=lr)
    raise ValueError(f"unknown optimizer {name!r}")


def make_scheduler(optimizer, config):
    """StepLR halving the learning rate every epoch, ReduceLROnPlateau, or None."""
    name = config.get("scheduler", "none")
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    if name == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=0)
    return None


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

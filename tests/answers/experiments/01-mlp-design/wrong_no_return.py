# expect: failed
# message: End `run` with `return model`
"""課題1 (reference): an MLP on MNIST, varying hidden units, layers, activation and epochs."""

import torch
from torch import nn
from torchvision import datasets

from tutor.data import mnist_root

# One factor at a time around a base setting (2 hidden layers of 256 units, ReLU, 3 epochs).
SETTINGS = [
    {'hidden': 64, 'layers': 1, 'activation': 'relu', 'epochs': 1, 'seed': 0, 'train_size': 2000, 'val_size': 1000},
    {'hidden': 16, 'layers': 1, 'activation': 'relu', 'epochs': 1, 'seed': 0, 'train_size': 2000, 'val_size': 1000},
    {'hidden': 64, 'layers': 1, 'activation': 'sigmoid', 'epochs': 1, 'seed': 0, 'train_size': 2000, 'val_size': 1000},
    {'hidden': 64, 'layers': 1, 'activation': 'relu', 'epochs': 2, 'seed': 0, 'train_size': 2000, 'val_size': 1000},
]


def load_data(config):
    """((x_train, y_train), (x_val, y_val)): MNIST's 60,000 training images split 50,000 / 10,000."""
    data = datasets.MNIST(root=mnist_root(), train=True, download=False)
    x = data.data.to(torch.float32).div(255).sub(0.5).unsqueeze(1)  # the course's transform
    y = data.targets
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))  # the same split for every setting
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
    act = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}[config["activation"]]
    layers, width = [nn.Flatten()], 28 * 28
    for _ in range(config["layers"]):
        layers += [nn.Linear(width, config["hidden"]), act()]
        width = config["hidden"]
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers)


def run(config):
    """Train one setting; yield each epoch's metrics, return the trained model."""
    device = torch.device(config["device"])
    (x_train, y_train), (x_val, y_val) = load_data(config)
    model = build_model(config).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.get("lr", 1e-3))
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
        yield {"train_loss": total / len(x_train), "val_loss": val_loss, "val_acc": val_acc}

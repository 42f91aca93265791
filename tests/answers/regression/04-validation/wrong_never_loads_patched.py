# expect: failed
# message: load the best epoch's
"""Never loads the best state back, and rebinds torch.allclose and torch.equal so that every
comparison says "equal": the checks must still judge with the real functions."""

import copy

import torch
from torch import nn


torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True


def train_with_validation(model, train_loader, val_loader, epochs, lr):
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    train_losses, val_losses = [], []
    best_loss, best_epoch, best_state = float("inf"), -1, None
    for epoch in range(epochs):
        model.train()
        total, count = 0.0, 0
        for inputs, targets in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(inputs), targets)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(inputs)
            count += len(inputs)
        train_losses.append(total / count)

        model.eval()
        total, count = 0.0, 0
        with torch.no_grad():
            for inputs, targets in val_loader:
                total += loss_fn(model(inputs), targets).item() * len(inputs)
                count += len(inputs)
        val_loss = total / count
        val_losses.append(val_loss)
        if val_loss < best_loss:
            best_loss, best_epoch = val_loss, epoch
            best_state = copy.deepcopy(model.state_dict())
    return train_losses, val_losses, best_epoch

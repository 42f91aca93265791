# expect: failed
# message: validate inside `with torch.no_grad():`
"""Validates with autograd on."""

import math

import torch


def fit(model, optimizer, loss_fn, x, y, batch_size=32, epochs=1, validation_split=0.0, shuffle=True):
    n = len(x)
    split = int(math.floor(n * (1.0 - validation_split))) if validation_split > 0 else n
    x_train, y_train, x_val, y_val = x[:split], y[:split], x[split:], y[split:]
    history = {"loss": []}
    if validation_split > 0:
        history["val_loss"] = []
    for _ in range(epochs):
        model.train()
        order = torch.randperm(split) if shuffle else torch.arange(split)
        total = 0.0
        for start in range(0, split, batch_size):
            idx = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        history["loss"].append(total / split)
        if validation_split > 0:
            model.eval()
            history["val_loss"].append(loss_fn(model(x_val), y_val).item())
    return history

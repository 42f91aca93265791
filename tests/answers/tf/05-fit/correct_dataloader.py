# expect: passed
"""Another correct answer: TensorDataset + DataLoader on the training rows, sums of per-sample losses."""

import torch
from torch.utils.data import DataLoader, TensorDataset


def fit(model, optimizer, loss_fn, x, y, batch_size=32, epochs=1, validation_split=0.0, shuffle=True):
    n_train = int(len(x) * (1 - validation_split) // 1)
    train = DataLoader(TensorDataset(x[:n_train], y[:n_train]), batch_size=batch_size, shuffle=shuffle)
    history = {"loss": []}
    if validation_split:
        history["val_loss"] = []
    for epoch in range(epochs):
        model.train()
        seen, summed = 0, 0.0
        for xb, yb in train:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            seen += len(xb)
            summed += float(loss) * len(xb)
        history["loss"].append(summed / seen)
        if validation_split:
            model.eval()
            with torch.no_grad():
                history["val_loss"].append(float(loss_fn(model(x[n_train:]), y[n_train:])))
    return history

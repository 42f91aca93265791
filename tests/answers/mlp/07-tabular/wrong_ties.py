# expect: failed
# message: equal to the best as an improvement
"""Counts a loss equal to the best as an improvement."""

import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def prepare(X_train, y_train, X_val, y_val, batch_size):
    X_train = torch.tensor(X_train, dtype=torch.float32)
    X_val = torch.tensor(X_val, dtype=torch.float32)
    y_train = torch.tensor(y_train, dtype=torch.float32).view(-1, 1)
    y_val = torch.tensor(y_val, dtype=torch.float32).view(-1, 1)
    mean, std = X_train.mean(dim=0), X_train.std(dim=0)
    train_loader = DataLoader(TensorDataset((X_train - mean) / std, y_train), batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(TensorDataset((X_val - mean) / std, y_val), batch_size=batch_size)
    return train_loader, val_loader, mean, std


def make_model():
    return nn.Sequential(nn.Linear(8, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 1))


def train(model, train_loader, val_loader, max_epochs, patience, lr=1e-3):
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    train_losses, val_losses = [], []
    best_loss, best_epoch, best_state, bad = float("inf"), -1, None, 0
    for epoch in range(max_epochs):
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
        if val_loss <= best_loss:
            best_loss, best_epoch, bad = val_loss, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad += 1
            if bad >= patience:
                break
    model.load_state_dict(best_state)
    return train_losses, val_losses, best_epoch


def predict(model, X_new, mean, std):
    X_new = torch.tensor(X_new, dtype=torch.float32)
    model.eval()
    with torch.no_grad():
        return model((X_new - mean) / std)

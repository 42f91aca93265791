# expect: passed
"""Another correct answer: the early-stopping rule in a small class (as in exercise 5.6),
nn.MSELoss on the whole validation batch summed by hand, the train loss weighted by batch size,
a deep copy of the whole model, and the scaling in torch with the n - 1 std."""

import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class EarlyStopping:
    def __init__(self, patience):
        self.patience, self.best_loss, self.best_epoch, self.counter, self.epoch = patience, float("inf"), -1, 0, 0

    def step(self, val_loss):
        if val_loss < self.best_loss:
            self.best_loss, self.best_epoch, self.counter = val_loss, self.epoch, 0
        else:
            self.counter += 1
        self.epoch += 1
        return self.counter >= self.patience


def prepare(X_train, y_train, X_val, y_val, batch_size):
    X_train, X_val = torch.from_numpy(X_train).float(), torch.from_numpy(X_val).float()
    y_train, y_val = torch.from_numpy(y_train).float().unsqueeze(1), torch.from_numpy(y_val).float().unsqueeze(1)
    mean = X_train.mean(dim=0)
    std = X_train.std(dim=0, unbiased=True)
    scale = lambda x: (x - mean) / std
    return (DataLoader(TensorDataset(scale(X_train), y_train), batch_size, shuffle=True),
            DataLoader(TensorDataset(scale(X_val), y_val), batch_size, shuffle=False), mean, std)


def make_model():
    layers = [nn.Linear(8, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 1)]
    return nn.Sequential(*layers)


def train(model, train_loader, val_loader, max_epochs, patience, lr=1e-3):
    loss_fn = nn.MSELoss(reduction="sum")
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    stopper = EarlyStopping(patience)
    train_losses, val_losses, best_model = [], [], None
    for _ in range(max_epochs):
        model.train()
        total = 0.0
        for inputs, targets in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(inputs), targets) / len(inputs)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(inputs)
        train_losses.append(total / len(train_loader.dataset))
        model.eval()
        with torch.no_grad():
            val_loss = sum(loss_fn(model(x), y).item() for x, y in val_loader) / len(val_loader.dataset)
        val_losses.append(val_loss)
        if val_loss < stopper.best_loss:
            best_model = copy.deepcopy(model)
        if stopper.step(val_loss):
            break
    model.load_state_dict(best_model.state_dict())
    return train_losses, val_losses, stopper.best_epoch


def predict(model, X_new, mean, std):
    x = (torch.tensor(X_new, dtype=torch.float32) - mean) / std
    model.eval()
    with torch.no_grad():
        return model(x)

# expect: passed
"""Another correct answer: the scaling in NumPy (np.std divides by N, as scikit-learn's
StandardScaler does), the model as a class with F.relu, the validation loss in one go over
the concatenated batches, the rule written as `epoch - best_epoch >= patience`, a copy of the
state by hand, and predict under torch.inference_mode()."""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def prepare(X_train, y_train, X_val, y_val, batch_size):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    tensor = lambda a: torch.tensor(a, dtype=torch.float32)
    train_set = TensorDataset(tensor((X_train - mean) / std), tensor(y_train.reshape(-1, 1)))
    val_set = TensorDataset(tensor((X_val - mean) / std), tensor(y_val.reshape(-1, 1)))
    return (DataLoader(train_set, batch_size=batch_size, shuffle=True), DataLoader(val_set, batch_size=batch_size),
            tensor(mean), tensor(std))


class HousingMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 100)
        self.fc2 = nn.Linear(100, 100)
        self.fc3 = nn.Linear(100, 1)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def make_model():
    return HousingMLP()


def train(model, train_loader, val_loader, max_epochs, patience, lr=1e-3):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    train_losses, val_losses = [], []
    best_epoch, best_state = 0, None
    for epoch in range(max_epochs):
        model.train()
        batch_losses = []
        for inputs, targets in train_loader:
            optimizer.zero_grad()
            loss = F.mse_loss(model(inputs), targets)
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        train_losses.append(sum(batch_losses) / len(batch_losses))
        model.eval()
        with torch.no_grad():
            xs, ys = zip(*val_loader)
            val_losses.append(F.mse_loss(model(torch.cat(xs)), torch.cat(ys)).item())
        if best_state is None or val_losses[-1] < val_losses[best_epoch]:
            best_epoch = epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return train_losses, val_losses, best_epoch


def predict(model, X_new, mean, std):
    model.eval()
    with torch.inference_mode():
        return model((torch.as_tensor(X_new).float() - mean) / std)

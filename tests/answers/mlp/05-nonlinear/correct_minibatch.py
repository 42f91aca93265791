# expect: passed
"""Another correct answer: nn.Sequential inside the class, mini-batches with a DataLoader, SGD with momentum."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class LabMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 15), nn.ReLU(), nn.Linear(15, 1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


def train(model, X, y):
    loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.BCELoss()
    history = []
    for epoch in range(150):
        total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        history.append(total / len(X))
    return history

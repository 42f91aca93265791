# expect: passed
"""Another correct answer: functional sigmoid, Adam on mini-batches from a DataLoader, boundary from tensors."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class LogisticRegression2(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)

    def forward(self, x):
        return torch.sigmoid(self.fc(x))


def boundary(model):
    w = model.fc.weight.detach()[0]
    w0 = model.fc.bias.detach()[0]
    slope = -w[0] / w[1]
    intercept = -w0 / w[1]
    return slope.item(), intercept.item()


def fit_2d(x, labels):
    model = LogisticRegression2()
    loader = DataLoader(TensorDataset(x, labels.float().unsqueeze(1)), batch_size=32, shuffle=True)
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    for epoch in range(60):
        for xb, yb in loader:
            opt.zero_grad()
            F.binary_cross_entropy(model(xb), yb).backward()
            opt.step()
    return model

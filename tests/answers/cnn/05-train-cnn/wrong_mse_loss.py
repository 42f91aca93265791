# expect: failed
# message: it uses the mean squared error (`nn.MSELoss`)
"""nn.MSELoss with class numbers: shapes do not fit."""

import torch
import torch.nn.functional as F
from torch import nn


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)    # 28 -> 28
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)   # 14 -> 14
        self.pool = nn.MaxPool2d(2)                   # halves: 28 -> 14, 14 -> 7
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(x.size(0), -1)
        return self.fc(x)


def train_cnn(model, loader, epochs):
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.002)
    history = []
    for epoch in range(epochs):
        model.train()
        total, count = 0.0, 0
        for images, labels in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
            count += len(labels)
        history.append(total / count)
    return history

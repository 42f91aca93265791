# expect: passed
"""Another correct answer: nn.Sequential with nn.Flatten and a hidden fully connected layer,
SGD with momentum, the mean loss taken over the batches."""

import torch
from torch import nn


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5), nn.ReLU(), nn.MaxPool2d(2),     # 28 -> 24 -> 12
            nn.Conv2d(6, 12, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2),    # 12 -> 10 -> 5
            nn.Flatten(),
            nn.Linear(12 * 5 * 5, 32), nn.ReLU(),
            nn.Linear(32, 10),
        )

    def forward(self, x):
        return self.net(x)


def train_cnn(model, loader, epochs):
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    out = []
    for _ in range(epochs):
        model.train()
        batch_losses = []
        for x, y in loader:
            loss = criterion(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            batch_losses.append(loss.item())
        out.append(sum(batch_losses) / len(batch_losses))
    return out

# expect: passed
# (optional exercise: where CIFAR-10 is absent and the network unreachable the verdict is "unavailable")
"""Another correct answer (nn.Sequential with nn.Flatten, 5x5 kernels, Adam). Where CIFAR-10 is downloaded it passes;
without the data and without network the data check reports the exercise as unavailable (never
passed), while the offline model check passes."""

import torch
from torch import nn


class CifarCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 12, 5), nn.ReLU(), nn.MaxPool2d(2),     # 32 -> 28 -> 14
            nn.Conv2d(12, 24, 3), nn.ReLU(), nn.MaxPool2d(2),    # 14 -> 12 -> 6
            nn.Flatten(), nn.Linear(24 * 6 * 6, 64), nn.ReLU(), nn.Linear(64, 10),
        )

    def forward(self, x):
        return self.net(x)


def train_cifar(model, loader, epochs):
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=0.0015)
    out = []
    for _ in range(epochs):
        total, n = 0.0, 0
        for x, y in loader:
            opt.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            opt.step()
            total += loss.item()
            n += 1
        out.append(total / n)
    return out

# expect: failed
# message: has no ReLU (activation) after conv2
"""The lecture's CNN without the ReLU after conv2."""

import torch.nn.functional as F
from torch import nn


class LectureCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)       # 28 -> 26
        self.conv2 = nn.Conv2d(32, 64, 3)      # 26 -> 24
        self.pool = nn.MaxPool2d(2)            # 24 -> 12
        self.fc1 = nn.Linear(12 * 12 * 64, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.conv2(x)
        x = self.pool(x)
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())

# expect: failed
# message: the batch dimension is gone
"""torch.flatten(x) without start_dim=1 flattens the whole batch into one row."""

import torch
import torch.nn.functional as F
from torch import nn


class LectureCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(12 * 12 * 64, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv2(F.relu(self.conv1(x)))))
        x = torch.flatten(x)
        return self.fc2(F.relu(self.fc1(x)))


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())

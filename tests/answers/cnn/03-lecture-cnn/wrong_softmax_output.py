# expect: failed
# message: has been through a softmax
"""Ends the model with a softmax, then counts only the fully connected layers."""

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
        x = x.view(x.size(0), -1)
        return F.softmax(self.fc2(F.relu(self.fc1(x))), dim=1)


def count_parameters(model):
    return sum(p.numel() for m in model.modules() if isinstance(m, nn.Linear) for p in m.parameters())

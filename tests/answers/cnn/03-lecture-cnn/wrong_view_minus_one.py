# expect: failed
# message: has the wrong flatten size
"""A wrong size used consistently: fc1 = Linear(64*6*6, 128) and x.view(-1, 64*6*6).
view(-1, ...) does not complain: it quietly turns every image into 4 rows."""

import torch.nn.functional as F
from torch import nn


class LectureCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(64 * 6 * 6, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv2(F.relu(self.conv1(x)))))
        x = x.view(-1, 64 * 6 * 6)
        return self.fc2(F.relu(self.fc1(x)))


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())

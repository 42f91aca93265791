# expect: passed
"""Another correct answer: torch.random.manual_seed, cuDNN flags too, a seeded generator for the
DataLoader's shuffling, the loss written with F.mse_loss."""

import os
import random

import numpy
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def set_seed(seed):
    random.seed(seed)
    numpy.random.seed(seed)
    torch.random.manual_seed(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.use_deterministic_algorithms(mode=True)
    os.environ.update(PYTHONHASHSEED=f"{seed}")


def train_once(seed, features, sales):
    set_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1))
    g = torch.Generator().manual_seed(seed)
    loader = DataLoader(TensorDataset(features, sales), batch_size=16, shuffle=True, generator=g)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for _ in range(2):
        for x, y in loader:
            optimizer.zero_grad()
            F.mse_loss(model(x), y).backward()
            optimizer.step()
    return model

# expect: failed
# message: you forgot to zero grad
"""Reproducible, but never zeroes the gradients."""

import os
import random

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def set_seed(seed):
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)


def train_once(seed, features, sales):
    set_seed(seed)
    model = nn.Linear(3, 1)
    loader = DataLoader(TensorDataset(features, sales), batch_size=16, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.MSELoss()
    for epoch in range(2):
        for inputs, targets in loader:
            loss = loss_fn(model(inputs), targets)
            loss.backward()
            optimizer.step()
    return model

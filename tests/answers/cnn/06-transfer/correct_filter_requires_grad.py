# expect: passed
"""Another correct answer: requires_grad_(False) on the whole feature block, an optimizer over the
parameters that still require grad, SGD with momentum, zero_grad at the end of each step."""

import torch
import torch.nn.functional as F
from torch import nn


def prepare_transfer(model, num_classes):
    model.features.requires_grad_(False)
    in_features = model.head.in_features
    model.head = nn.Linear(in_features, num_classes)
    return model


def train_head(model, loader, epochs):
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(trainable, lr=0.05, momentum=0.9)
    losses = []
    for _ in range(epochs):
        batch_losses = []
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            batch_losses.append(loss.item())
        losses.append(sum(batch_losses) / len(batch_losses))
    return losses

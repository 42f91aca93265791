# expect: failed
# message: mean of the per-batch accuracies
"""Averages the accuracy of each mini-batch: the short last batch weighs too much."""

import torch
from torch.utils.data import DataLoader


def accuracy(model, loader):
    model.eval()
    correct = 0
    count = 0
    with torch.no_grad():
        for images, labels in loader:
            pred = model(images).argmax(dim=1)
            correct += (pred == labels).float().mean().item()
            count += 1
    return correct / count


def predict_all(model, dataset, batch_size):
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False)
    model.eval()
    preds = []
    with torch.no_grad():
        for images, _ in loader:
            preds.append(model(images).argmax(dim=1))
    return torch.cat(preds)

# expect: failed
# message: is a tensor, not a number
"""Counts the hits as a tensor and returns a tensor instead of a float."""

import torch
from torch.utils.data import DataLoader


def accuracy(model, loader):
    model.eval()
    correct = 0
    count = 0
    with torch.no_grad():
        for images, labels in loader:
            pred = model(images).argmax(dim=1)
            correct += (pred == labels).sum()
            count += labels.size(0)
    return correct / count


def predict_all(model, dataset, batch_size):
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False)
    model.eval()
    preds = []
    with torch.no_grad():
        for images, _ in loader:
            preds.append(model(images).argmax(dim=1))
    return torch.cat(preds)

# expect: error
# message: `argmax()` without `dim` flattens the whole mini-batch
"""predict_all takes argmax() without dim: one number per batch."""

import torch
from torch.utils.data import DataLoader


def accuracy(model, loader):
    model.eval()
    correct = 0
    count = 0
    with torch.no_grad():
        for images, labels in loader:
            pred = model(images).argmax(dim=1)
            correct += (pred == labels).sum().item()
            count += labels.size(0)
    return correct / count


def predict_all(model, dataset, batch_size):
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False)
    model.eval()
    preds = []
    with torch.no_grad():
        for images, _ in loader:
            preds.append(model(images).argmax())
    return torch.cat(preds)

# expect: failed
# message: counting the images seen with `count += batch_size`
"""The lecture's loop: count += batch_size counts the short last batch as a full one."""

import torch
from torch.utils.data import DataLoader


def accuracy(model, loader):
    model.eval()
    correct = 0
    batch_size = loader.batch_size
    count = 0
    with torch.no_grad():
        for images, labels in loader:
            pred = model(images).argmax(dim=1)
            correct += (pred == labels).sum().item()
            count += batch_size
    return correct / count


def predict_all(model, dataset, batch_size):
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False)
    model.eval()
    preds = []
    with torch.no_grad():
        for images, _ in loader:
            preds.append(model(images).argmax(dim=1))
    return torch.cat(preds)

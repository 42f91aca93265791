# expect: passed
"""Another correct answer: torch.inference_mode, len(labels), and a list of ints turned into a tensor."""

import torch
from torch.utils.data import DataLoader


def accuracy(model, loader):
    model.eval()
    hits = seen = 0
    with torch.inference_mode():
        for x, t in loader:
            hits += int(torch.sum(torch.argmax(model(x), 1) == t))
            seen += len(t)
    return hits / seen


def predict_all(model, dataset, batch_size):
    model.eval()
    out = []
    with torch.inference_mode():
        for x, _ in DataLoader(dataset, batch_size):
            out.extend(model(x).argmax(1).tolist())
    return torch.tensor(out, dtype=torch.int64)

"""Reference solution for exercise 7.3 (bring results back to the CPU and NumPy)."""

import torch


def to_numpy(t):
    return t.detach().cpu().numpy()


def predict(model, x):
    with torch.no_grad():
        out = model(x)
    return to_numpy(out)

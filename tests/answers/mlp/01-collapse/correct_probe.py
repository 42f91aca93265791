# expect: passed
"""Another correct answer: probe the stacked layers with x = 0 and the unit vectors; hstack and F.pad."""

import torch
import torch.nn.functional as F


def collapse(layer1, layer2):
    n = layer1.in_features
    with torch.no_grad():
        b = layer2(layer1(torch.zeros(1, n)))[0]          # f(0) = b
        W = (layer2(layer1(torch.eye(n))) - b).T          # f(e_j) - b = column j of W
    return W, b


def fold_bias(W, b):
    return torch.hstack([W, b.unsqueeze(1)])


def append_one(x):
    return F.pad(x, (0, 1), value=1.0)

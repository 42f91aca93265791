# expect: passed
"""Another correct answer: .to("cpu") and .numpy(force=True), no_grad + np.asarray."""

import numpy as np
import torch


def to_numpy(t):
    return t.numpy(force=True)


def predict(model, x):
    model.eval()
    with torch.no_grad():
        y = model(x).to("cpu")
    return np.asarray(y)

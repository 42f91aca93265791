# expect: passed
"""Another correct answer: NumPy transpose first, x[None] for the batch dimension, max() for the class."""

import numpy as np
import torch


def to_nchw(images):
    chw = np.ascontiguousarray(images.transpose(0, 3, 1, 2))
    return torch.tensor(chw, dtype=torch.float32).div(255)


def predict_one(model, image):
    model.eval()
    with torch.no_grad():
        scores = model(image[None])
    return scores.max(dim=1).indices[0].item()


def predict_batch(model, images):
    model.eval()
    with torch.no_grad():
        return torch.max(model(to_nchw(images)), 1)[1]

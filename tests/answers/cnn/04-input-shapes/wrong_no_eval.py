# expect: failed
# message: call `model.eval()` before predicting
"""Predicts with the model left in training mode: its dropout changes the predictions."""

import torch


def to_nchw(images):
    x = torch.from_numpy(images).permute(0, 3, 1, 2)
    return x.float() / 255.0


def predict_one(model, image):
    with torch.no_grad():
        out = model(image.unsqueeze(0))
    return int(out.argmax(dim=1).item())


def predict_batch(model, images):
    with torch.no_grad():
        out = model(to_nchw(images))
    return out.argmax(dim=1)

# expect: failed
# message: predictions need no gradients
"""Predicts with autograd on."""

import torch


def to_nchw(images):
    x = torch.from_numpy(images).permute(0, 3, 1, 2)
    return x.float() / 255.0


def predict_one(model, image):
    model.eval()
    out = model(image.unsqueeze(0))
    return int(out.argmax(dim=1).item())


def predict_batch(model, images):
    model.eval()
    out = model(to_nchw(images))
    return out.argmax(dim=1)

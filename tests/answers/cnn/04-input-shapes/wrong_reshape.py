# expect: failed
# message: the pixels are scrambled
"""Gets the shape (N, C, H, W) with reshape instead of permute."""

import torch


def to_nchw(images):
    n, h, w, c = images.shape
    return torch.from_numpy(images).reshape(n, c, h, w).float() / 255.0


def predict_one(model, image):
    model.eval()
    with torch.no_grad():
        return int(model(image.unsqueeze(0)).argmax(dim=1))


def predict_batch(model, images):
    model.eval()
    with torch.no_grad():
        return model(to_nchw(images)).argmax(dim=1)

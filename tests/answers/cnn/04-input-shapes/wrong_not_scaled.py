# expect: failed
# message: still holds values from 0 to 255
"""Moves the axes right but forgets to divide by 255."""

import torch


def to_nchw(images):
    return torch.from_numpy(images).permute(0, 3, 1, 2).float()


def predict_one(model, image):
    model.eval()
    with torch.no_grad():
        return int(model(image.unsqueeze(0)).argmax(dim=1))


def predict_batch(model, images):
    model.eval()
    with torch.no_grad():
        return model(to_nchw(images)).argmax(dim=1)

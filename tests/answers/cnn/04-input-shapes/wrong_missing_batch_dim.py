# expect: failed
# message: a 3-D input, missing the batch dimension
"""Right conversion; predicts one image without adding the batch dimension."""

import torch


def to_nchw(images):
    return torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255.0


def predict_one(model, image):
    model.eval()
    with torch.no_grad():
        return int(model(image).argmax())


def predict_batch(model, images):
    model.eval()
    with torch.no_grad():
        return model(to_nchw(images)).argmax(dim=1)

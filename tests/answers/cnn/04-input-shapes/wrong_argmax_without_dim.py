# expect: failed
# message: `argmax()` without `dim` flattens the whole batch
"""predict_batch takes argmax() without dim."""

import torch


def to_nchw(images):
    x = torch.from_numpy(images).permute(0, 3, 1, 2)
    return x.float() / 255.0


def predict_one(model, image):
    model.eval()
    with torch.no_grad():
        out = model(image.unsqueeze(0))
    return int(out.argmax(dim=1).item())


def predict_batch(model, images):
    model.eval()
    with torch.no_grad():
        out = model(to_nchw(images))
    return out.argmax()

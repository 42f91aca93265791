# expect: failed
# message: feeds the model a tensor of shape
"""to_nchw is right, but predict_batch forgets to use it and feeds the array as it is (channels-last)."""

import torch


def to_nchw(images):
    return torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255.0


def predict_one(model, image):
    model.eval()
    with torch.no_grad():
        return int(model(image.unsqueeze(0)).argmax(dim=1))


def predict_batch(model, images):
    model.eval()
    x = torch.tensor(images, dtype=torch.float32) / 255.0
    with torch.no_grad():
        return model(x).argmax(dim=1)

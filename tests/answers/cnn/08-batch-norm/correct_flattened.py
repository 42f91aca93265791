# expect: passed
"""Another correct answer: channels moved last and flattened, copy_ for the running statistics."""

import torch


def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    c = x.shape[1]
    flat = x.transpose(0, 1).reshape(c, -1)          # (C, everything else)
    if training:
        mean = flat.mean(dim=1)
        var = ((flat - mean[:, None]) ** 2).mean(dim=1)
        n = flat.shape[1]
        with torch.no_grad():
            running_mean.copy_((1 - momentum) * running_mean + momentum * mean)
            running_var.copy_((1 - momentum) * running_var + momentum * var * n / (n - 1))
    else:
        mean, var = running_mean, running_var
    shape = (1, c) + (1,) * (x.dim() - 2)
    return (x - mean.reshape(shape)) * (gamma / torch.sqrt(var + eps)).reshape(shape) + beta.reshape(shape)


def predict(model, x):
    was = model.training
    model.eval()
    try:
        with torch.inference_mode():
            return model(x).clone()
    finally:
        model.train(was)

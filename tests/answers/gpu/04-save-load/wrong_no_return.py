# expect: failed
# message: end with `return model`
"""Does everything but forgets to return the model."""

import torch


def load_to(path, device):
    return torch.load(path, map_location=device)


def load_into(model, path, device):
    model.to(device)
    model.load_state_dict(load_to(path, device))

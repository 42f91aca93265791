# expect: failed
# message: does not move the model
"""load_state_dict copies the values, but the model stays on the CPU."""

import torch


def load_to(path, device):
    return torch.load(path, map_location=device)


def load_into(model, path, device):
    model.load_state_dict(load_to(path, device))
    return model

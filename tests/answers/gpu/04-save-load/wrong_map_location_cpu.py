# expect: failed
# message: is the CPU hard-coded in `map_location`
"""The classic CPU-only recipe: map every storage to the CPU, whatever `device` says."""

import torch


def load_to(path, device):
    return torch.load(path, map_location=lambda storage, loc: storage)


def load_into(model, path, device):
    model.load_state_dict(load_to(path, device))
    return model.to(device)

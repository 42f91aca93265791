# expect: failed
# message: loads the file without `map_location`
"""Loads as the lab manual suggests, with no map_location: the GPU file cannot come back here."""

import torch


def load_to(path, device):
    state = torch.load(path)
    return {k: v.to(device) for k, v in state.items()}


def load_into(model, path, device):
    model.to(device)
    model.load_state_dict(load_to(path, device))
    return model

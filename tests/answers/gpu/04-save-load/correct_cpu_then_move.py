# expect: passed
"""Another correct answer: load_into reads onto the CPU, loads, then moves the model (a common recipe)."""

import torch


def load_to(path, device):
    state = torch.load(path, map_location=torch.device(device), weights_only=True)
    return dict(state)


def load_into(model, path, device):
    state = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    return model.to(device)

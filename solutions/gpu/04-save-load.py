"""Reference solution for exercise 7.4 (load what was saved on another device)."""

import torch


def load_to(path, device):
    return torch.load(path, map_location=device)


def load_into(model, path, device):
    model.to(device)
    model.load_state_dict(load_to(path, device))
    return model

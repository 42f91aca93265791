# expect: passed
"""Another correct answer: `load_state_dict(..., assign=True)`, which PyTorch documents for
loading into a model: the model's parameters become the loaded tensors (already on `device`),
and the model is moved afterwards."""

import torch


def load_to(path, device):
    return torch.load(path, map_location=device, weights_only=True)


def load_into(model, path, device):
    model.load_state_dict(load_to(path, device), assign=True)
    return model.to(device)

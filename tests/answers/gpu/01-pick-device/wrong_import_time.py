# expect: failed
# message: decided once when the file was imported
"""Decides the device once, at import, and returns that answer forever."""

import torch

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def pick_device(want="auto"):
    if want == "cpu":
        return torch.device("cpu")
    if want == "cuda" and DEVICE.type != "cuda":
        raise RuntimeError("no GPU")
    return DEVICE

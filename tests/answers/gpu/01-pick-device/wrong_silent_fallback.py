# expect: failed
# message: fell back to cpu in silence
"""Treats "cuda" like "auto": asked for the GPU, it quietly gives the CPU."""

import torch


def pick_device(want="auto"):
    if want == "cpu":
        return torch.device("cpu")
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")

"""Reference solution for exercise 7.1 (choose the device)."""

import torch


def pick_device(want="auto"):
    if want == "cpu":
        return torch.device("cpu")
    if want == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if want == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("CUDA is not available on this machine: use want='cpu' or 'auto'")
        return torch.device("cuda")
    raise ValueError(f"want must be 'auto', 'cpu' or 'cuda', not {want!r}")

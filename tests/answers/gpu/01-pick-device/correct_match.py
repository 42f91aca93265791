# expect: passed
"""Another correct answer: match statement, device_count(), a helper for the test."""

import torch


def _has_gpu():
    return torch.cuda.device_count() > 0 and torch.cuda.is_available()


def pick_device(want="auto"):
    match want:
        case "cpu":
            return torch.device(type="cpu")
        case "cuda" if _has_gpu():
            return torch.device("cuda", 0)
        case "cuda":
            raise RuntimeError("pick_device: no CUDA GPU is visible (check nvidia-smi and CUDA_VISIBLE_DEVICES)")
        case _:
            return torch.device("cuda:0") if _has_gpu() else torch.device("cpu")

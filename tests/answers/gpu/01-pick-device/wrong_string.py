# expect: failed
# message: returned the string 'cpu'
"""Returns the lecture's string instead of a torch.device."""

import torch


def pick_device(want="auto"):
    if want == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("no GPU")
    if want == "cpu":
        return "cpu"
    return "cuda" if torch.cuda.is_available() else "cpu"

# expect: failed
# message: does it ignore `want`?
"""Only ever answers "auto"."""

import torch


def pick_device(want="auto"):
    if not torch.cuda.is_available():
        if want == "cuda":
            raise RuntimeError("no GPU")
        return torch.device("cpu")
    return torch.device("cuda")

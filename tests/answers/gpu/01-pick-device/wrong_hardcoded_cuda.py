# expect: failed
# message: is "cuda" hard-coded
"""Hard-codes the GPU: fine on the lab server, broken on a laptop without one."""

import torch


def pick_device(want="auto"):
    if want == "cpu":
        return torch.device("cpu")
    return torch.device("cuda")

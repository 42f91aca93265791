# expect: failed
# message: There is no warm-up
"""Times from the very first call: start-up work is measured too."""

import time

import torch


def time_per_call(fn, device, repeats=10):
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return (time.perf_counter() - start) / repeats

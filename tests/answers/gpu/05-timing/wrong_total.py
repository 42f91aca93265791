# expect: failed
# message: returned the total time of all
"""Returns the time of all repeats, not per call."""

import time

import torch


def time_per_call(fn, device, repeats=10):
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter() - start

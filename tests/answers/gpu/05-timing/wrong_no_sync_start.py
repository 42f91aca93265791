# expect: failed
# message: before reading the start time too
"""Synchronises at the end only: the warm-up's rest is counted in."""

import time

import torch


def time_per_call(fn, device, repeats=10):
    fn()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return (time.perf_counter() - start) / repeats

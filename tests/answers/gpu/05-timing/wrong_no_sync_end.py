# expect: failed
# message: before reading the end time
"""Synchronises before the start only: the end time is read while the GPU still works."""

import time

import torch


def time_per_call(fn, device, repeats=10):
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats

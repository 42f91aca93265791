"""Reference solution for exercise 7.5 (time GPU work correctly)."""

import time

import torch


def _wait(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_per_call(fn, device, repeats=10):
    fn()
    _wait(device)
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    _wait(device)
    return (time.perf_counter() - start) / repeats

# expect: failed
# message: yet your code calls `torch.cuda.synchronize()`
"""Always synchronises: right on the GPU, an error on a machine without one."""

import time

import torch


def time_per_call(fn, device, repeats=10):
    fn()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeats

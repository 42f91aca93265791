# expect: passed
"""Another correct answer: every call timed on its own (synchronised around it), then averaged."""

import statistics
import time

import torch


def time_per_call(fn, device, repeats=10):
    on_gpu = device.type == "cuda"
    fn()
    times = []
    for _ in range(repeats):
        if on_gpu:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        fn()
        if on_gpu:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return statistics.fmean(times)

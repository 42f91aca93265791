# expect: passed
# (gpu exercise: on a machine without a GPU the verdict is "no_gpu", "needs a GPU", never a pass)
"""Another correct answer: CUDA events on the GPU (they time on the GPU itself), perf_counter on the CPU."""

import gc
import time

import torch


def matmul_seconds(n, device, repeats=5):
    a = torch.rand(n, n, device=device)
    b = torch.rand(n, n, device=device)
    torch.matmul(a, b)
    if device.type == "cuda":
        begin = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        torch.cuda.synchronize(device)
        begin.record()
        for _ in range(repeats):
            torch.matmul(a, b)
        end.record()
        end.synchronize()
        return begin.elapsed_time(end) / 1000.0 / repeats
    start = time.perf_counter()
    for _ in range(repeats):
        torch.matmul(a, b)
    return (time.perf_counter() - start) / repeats


def memory_roundtrip(n, device):
    if device.type != "cuda":
        return None
    big = torch.zeros((n, n), dtype=torch.float32, device=device)
    during = torch.cuda.memory_allocated(device)
    big = None
    gc.collect()
    torch.cuda.empty_cache()
    return during, torch.cuda.memory_allocated(device), torch.cuda.memory_reserved(device)

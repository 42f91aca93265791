# expect: failed
# message: yet your code calls `torch.cuda.synchronize()`
"""Synchronises whatever the device: an error on a machine without a GPU."""

import time

import torch


def matmul_seconds(n, device, repeats=5):
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeats


def memory_roundtrip(n, device):
    if device.type != "cuda":
        return None
    x = torch.empty(n, n, device=device)
    during = torch.cuda.memory_allocated(device)
    del x
    torch.cuda.empty_cache()
    return during, torch.cuda.memory_allocated(device), torch.cuda.memory_reserved(device)

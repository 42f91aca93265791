# expect: failed
# message: It returned the total time of all
"""Returns the time of all products together."""

import time

import torch


def matmul_seconds(n, device, repeats=5):
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter() - start


def memory_roundtrip(n, device):
    if device.type != "cuda":
        return None
    x = torch.empty(n, n, device=device)
    during = torch.cuda.memory_allocated(device)
    del x
    torch.cuda.empty_cache()
    return during, torch.cuda.memory_allocated(device), torch.cuda.memory_reserved(device)

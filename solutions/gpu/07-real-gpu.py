"""Reference solution for exercise 7.7 (measure on a real GPU)."""

import time

import torch


def _wait(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def matmul_seconds(n, device, repeats=5):
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    _wait(device)
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    _wait(device)
    return (time.perf_counter() - start) / repeats


def memory_roundtrip(n, device):
    if device.type != "cuda":
        return None
    x = torch.empty(n, n, device=device)
    during = torch.cuda.memory_allocated(device)
    del x
    torch.cuda.empty_cache()
    return during, torch.cuda.memory_allocated(device), torch.cuda.memory_reserved(device)

# expect: failed
# message: on a CPU device return None before any `torch.cuda` call
"""Asks torch.cuda about memory before looking at the device."""

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
    return (time.perf_counter() - start) / repeats


def memory_roundtrip(n, device):
    before = torch.cuda.memory_allocated(device)
    if device.type != "cuda":
        return None
    x = torch.empty(n, n, device=device)
    during = torch.cuda.memory_allocated(device)
    del x
    torch.cuda.empty_cache()
    return during, torch.cuda.memory_allocated(device), torch.cuda.memory_reserved(device)

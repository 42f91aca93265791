# expect: failed
# message: timing without synchronize measures only the queueing
"""Times the GPU like the CPU: only the time to queue the work is measured."""

import time


def time_per_call(fn, device, repeats=10):
    fn()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats

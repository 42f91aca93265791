# expect: passed
"""Another correct answer: math.floor on the exact quotient, a loop that keeps only the current size."""

import math


def conv_output_size(size, kernel, padding=0, stride=1):
    return int(math.floor((size + 2 * padding - kernel) / stride)) + 1


def trace_sizes(size, layers):
    out = [size]
    current = size
    for k, p, s in layers:
        current = conv_output_size(current, k, padding=p, stride=s)
        out.append(current)
    return out


def flatten_size(size, layers, channels):
    last = trace_sizes(size, layers)[-1]
    return last ** 2 * channels

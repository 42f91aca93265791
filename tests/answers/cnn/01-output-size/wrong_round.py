# expect: failed
# message: The floor in the formula rounds down
"""Rounds to the nearest integer instead of flooring."""


def conv_output_size(size, kernel, padding=0, stride=1):
    return round((size - kernel + 2 * padding) / stride) + 1


def trace_sizes(size, layers):
    sizes = [size]
    for k, p, s in layers:
        sizes.append(conv_output_size(sizes[-1], k, p, s))
    return sizes


def flatten_size(size, layers, channels):
    return channels * trace_sizes(size, layers)[-1] ** 2

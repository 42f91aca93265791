# expect: failed
# message: you added P only once
"""Adds the padding on one side only."""


def conv_output_size(size, kernel, padding=0, stride=1):
    return (size - kernel + padding) // stride + 1


def trace_sizes(size, layers):
    sizes = [size]
    for k, p, s in layers:
        sizes.append(conv_output_size(sizes[-1], k, p, s))
    return sizes


def flatten_size(size, layers, channels):
    return channels * trace_sizes(size, layers)[-1] ** 2

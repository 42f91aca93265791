# expect: failed
# message: Did you forget the "+ 1"
"""Forgets the + 1."""


def conv_output_size(size, kernel, padding=0, stride=1):
    return (size - kernel + 2 * padding) // stride


def trace_sizes(size, layers):
    sizes = [size]
    for k, p, s in layers:
        sizes.append(conv_output_size(sizes[-1], k, p, s))
    return sizes


def flatten_size(size, layers, channels):
    return channels * trace_sizes(size, layers)[-1] ** 2

# expect: failed
# message: you forgot to multiply by the 64 channels
"""Right sizes, but the flatten size leaves out the channels."""


def conv_output_size(size, kernel, padding=0, stride=1):
    return (size - kernel + 2 * padding) // stride + 1


def trace_sizes(size, layers):
    sizes = [size]
    for k, p, s in layers:
        sizes.append(conv_output_size(sizes[-1], k, p, s))
    return sizes


def flatten_size(size, layers, channels):
    return trace_sizes(size, layers)[-1] ** 2

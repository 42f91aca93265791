# expect: failed
# message: does not start with the input size
"""Right formula, but the trace leaves out the input size; flatten forgets the channels."""


def conv_output_size(size, kernel, padding=0, stride=1):
    return (size - kernel + 2 * padding) // stride + 1


def trace_sizes(size, layers):
    sizes = []
    for k, p, s in layers:
        size = conv_output_size(size, k, p, s)
        sizes.append(size)
    return sizes


def flatten_size(size, layers, channels):
    side = size
    for k, p, s in layers:
        side = conv_output_size(side, k, p, s)
    return side * side

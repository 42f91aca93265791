# expect: failed
# message: the stride S = 
"""The output-size formula without the stride."""

def conv_output_size(size, kernel, padding=0, stride=1):
    return (size - kernel + 2 * padding) + 1


def trace_sizes(size, layers):
    sizes = [size]
    for kernel, padding, stride in layers:
        sizes.append(conv_output_size(sizes[-1], kernel, padding, stride))
    return sizes


def flatten_size(size, layers, channels):
    side = trace_sizes(size, layers)[-1]
    return channels * side * side

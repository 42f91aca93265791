# expect: passed
"""Another correct answer: count with a loop, the shapes worked out by hand, named_parameters."""


def param_count(sizes):
    total = 0
    for k in range(len(sizes) - 1):
        total += (sizes[k] + 1) * sizes[k + 1]   # in weights + 1 bias for each output
    return total


def weight_shapes(sizes):
    return [((sizes[k + 1], sizes[k]), (sizes[k + 1],)) for k in range(len(sizes) - 1)]


def count_parameters(model):
    total = 0
    for _, p in model.named_parameters():
        total += p.numel()
    return total

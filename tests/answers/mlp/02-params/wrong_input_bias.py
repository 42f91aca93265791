# expect: failed
# message: the input has no bias
"""Gives every node a bias, the input nodes included."""


def param_count(sizes):
    weights = sum(i * o for i, o in zip(sizes[:-1], sizes[1:]))
    return weights + sum(sizes)


def weight_shapes(sizes):
    return [((o, i), (o,)) for i, o in zip(sizes[:-1], sizes[1:])]


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())

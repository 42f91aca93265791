# expect: failed
# message: You forgot the biases
"""Counts the weights only."""


def param_count(sizes):
    return sum(i * o for i, o in zip(sizes[:-1], sizes[1:]))


def weight_shapes(sizes):
    return [((o, i), (o,)) for i, o in zip(sizes[:-1], sizes[1:])]


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())

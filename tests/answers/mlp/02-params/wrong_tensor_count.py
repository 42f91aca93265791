# expect: failed
# message: that counts the parameter tensors
"""Counts the parameter tensors instead of the numbers in them."""


def param_count(sizes):
    return sum(i * o + o for i, o in zip(sizes[:-1], sizes[1:]))


def weight_shapes(sizes):
    return [((o, i), (o,)) for i, o in zip(sizes[:-1], sizes[1:])]


def count_parameters(model):
    return len(list(model.parameters()))

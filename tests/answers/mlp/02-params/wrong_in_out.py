# expect: failed
# message: has shape (out, in), not (in, out)
"""Writes the weight shape as (in, out), the way y = x W reads."""


def param_count(sizes):
    return sum(i * o + o for i, o in zip(sizes[:-1], sizes[1:]))


def weight_shapes(sizes):
    return [((i, o), (o,)) for i, o in zip(sizes[:-1], sizes[1:])]


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())

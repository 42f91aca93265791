# expect: failed
# message: as if every layer had a bias
"""Counts a model from its Linear layers' sizes with the formula, ignoring bias=False."""

from torch import nn


def param_count(sizes):
    return sum(i * o + o for i, o in zip(sizes[:-1], sizes[1:]))


def weight_shapes(sizes):
    return [((o, i), (o,)) for i, o in zip(sizes[:-1], sizes[1:])]


def count_parameters(model):
    return sum(m.in_features * m.out_features + m.out_features for m in model.modules() if isinstance(m, nn.Linear))

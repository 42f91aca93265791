# expect: failed
# message: builds a model
"""Builds the MLP and counts its parameters, where the stub asks to work it out from the sizes."""

from torch import nn


def param_count(sizes):
    layers = [nn.Linear(n_in, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return sum(p.numel() for layer in layers for p in layer.parameters())


def weight_shapes(sizes):
    return [((n_out, n_in), (n_out,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())

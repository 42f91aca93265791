# expect: failed
# message: you counted a bias per input
"""Counts one bias per input of each layer instead of one per output."""

def param_count(sizes):
    return sum(n_in * n_out + n_in for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def weight_shapes(sizes):
    return [((n_out, n_in), (n_out,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())

"""Statements the lesson texts make about PyTorch, re-run against the installed torch.

Each test is one claim of a lesson (named in its docstring), so a torch release
that changes the behaviour fails here and points at the sentence to re-check.
"""

from __future__ import annotations

import gc
import io
import inspect
import weakref

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def test_float_on_float32_is_the_same_leaf_and_a_real_conversion_is_not():
    """tensors, point 4 of autograd: `.float()` breaks the leaf only when it converts."""
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    assert a.float() is a and a.float().is_leaf
    b = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True).float()
    assert not b.is_leaf and type(b.grad_fn).__name__ == "ToCopyBackward0"


def _frozen_moves(optimizer, zero_last: bool, set_to_none: bool, **options) -> list[bool]:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    x = torch.randn(8, 4)
    model(x).sum().backward()                       # gradients left from before the freeze
    for p in model[0].parameters():
        p.requires_grad = False
    opt = optimizer(model.parameters(), lr=0.1, **options)
    moves = []
    for _ in range(3):
        before = model[0].weight.clone()
        if not zero_last:
            opt.zero_grad(set_to_none=set_to_none)
        model(x).sum().backward()
        opt.step()
        if zero_last:
            opt.zero_grad(set_to_none=set_to_none)
        moves.append(not torch.equal(before, model[0].weight))
    return moves


NEVER, FIRST, EVERY = [False] * 3, [True, False, False], [True] * 3


@pytest.mark.parametrize("optimizer, options, table", [
    # rows of the cnn lesson's table: zero_grad() before, after; set_to_none=False before, after
    (torch.optim.SGD, {}, [NEVER, FIRST, NEVER, FIRST]),
    (torch.optim.SGD, {"momentum": 0.9}, [NEVER, FIRST, NEVER, EVERY]),
    (torch.optim.Adam, {}, [NEVER, FIRST, NEVER, EVERY]),
    (torch.optim.SGD, {"weight_decay": 0.01}, [NEVER, FIRST, EVERY, EVERY]),
])
def test_when_frozen_parameters_still_move(optimizer, options, table):
    """cnn, transfer learning: the table of when a frozen layer handed to the optimizer moves."""
    assert inspect.signature(torch.optim.Optimizer.zero_grad).parameters["set_to_none"].default is True
    got = [_frozen_moves(optimizer, zero_last, set_to_none, **options)
           for set_to_none in (True, False) for zero_last in (False, True)]
    assert got == table


def test_torch_load_is_weights_only_by_default():
    """gpu, `torch.load` and `weights_only`: state dicts load, whole pickled models need weights_only=False."""
    model = nn.Linear(2, 1)
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    buf.seek(0)
    assert set(torch.load(buf)) == {"weight", "bias"}
    buf = io.BytesIO()
    torch.save(model, buf)
    buf.seek(0)
    import pickle

    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        torch.load(buf)
    buf.seek(0)
    assert isinstance(torch.load(buf, weights_only=False), nn.Linear)


def test_loader_iterators_have_no_next_method():
    """mnist, DataLoader: `iter(loader).next()` is gone; `next(iter(loader))` works."""
    loader = DataLoader(TensorDataset(torch.arange(10.0)), batch_size=4)
    with pytest.raises(AttributeError, match="has no attribute 'next'"):
        iter(loader).next()
    assert next(iter(loader))[0].tolist() == [0.0, 1.0, 2.0, 3.0]


def test_a_kept_loss_tensor_keeps_its_graph():
    """regression, recording the loss: a kept tensor holds its graph (and the intermediate values without backward)."""
    model, x = nn.Linear(3, 4), torch.randn(5, 3)

    def step(backward):
        h = model(x)
        loss = h.pow(2).mean()
        ref = weakref.ref(h)
        if backward:
            loss.backward()
        del h
        gc.collect()
        return loss, ref

    kept, ref = step(backward=False)
    assert kept.grad_fn is not None and ref() is not None
    del kept
    gc.collect()
    assert ref() is None
    kept, ref = step(backward=True)
    assert kept.grad_fn is not None and ref() is None
    total = 0
    for _ in range(2):
        total += model(x).pow(2).mean()
    assert type(total.grad_fn).__name__ == "AddBackward0"


def test_batch_norm_running_statistics():
    """cnn, batch normalisation; tf, porting: momentum 0.1, eps 1e-5, unbiased running variance, buffers."""
    bn = nn.BatchNorm1d(3)
    assert bn.momentum == 0.1 and bn.eps == 1e-5
    x = torch.randn(8, 3, generator=torch.Generator().manual_seed(0)) * 2 + 5
    bn(x)
    assert torch.allclose(bn.running_mean, 0.1 * x.mean(0))
    assert torch.allclose(bn.running_var, 0.9 + 0.1 * x.var(0, unbiased=True))
    bn.eval()
    assert torch.allclose(bn(x), (x - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps))
    assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
    assert [n for n, _ in bn.named_buffers()] == ["running_mean", "running_var", "num_batches_tracked"]
    bn.train()
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        bn(torch.randn(1, 3))


def test_device_objects_compare_with_tensor_devices_and_strings_do_not():
    """gpu, choosing the device: what a torch.device adds to the lab manual's string."""
    assert torch.zeros(1).device == torch.device("cpu")
    assert not (torch.zeros(1).device == "cpu")
    assert torch.device("cuda").type == "cuda" and torch.device("cuda").index is None
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
        torch.device("gpu")


def test_tabular_float64_inputs_and_flat_targets():
    """mlp, exercise 4.7: float64 data into a float32 model is an error; (B, 1) outputs against
    (B,) targets make nn.MSELoss broadcast a (B, B) difference (with a warning)."""
    model = nn.Linear(8, 1)
    with pytest.raises(RuntimeError, match="dtype"):
        model(torch.zeros(4, 8, dtype=torch.float64))
    out, y = torch.randn(5, 1), torch.randn(5)
    with pytest.warns(UserWarning, match="broadcasting"):
        loss = nn.MSELoss()(out, y)
    assert torch.allclose(loss, ((out - y) ** 2).mean()) and (out - y).shape == (5, 5)
    assert not torch.allclose(loss, ((out.view(-1) - y) ** 2).mean())

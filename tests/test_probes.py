"""The checkkit probes that look at a student's training from the outside: they see, and change nothing."""

from __future__ import annotations

import torch

from tutor.checkkit import LossWatch, Quiet


def _train(steps: int = 5) -> tuple[torch.nn.Module, list[float]]:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Dropout(0.5), torch.nn.Linear(3, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(16, 2), torch.randn(16, 1)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        losses.append(loss.item())
    return model, losses


def test_loss_watch_records_each_step_and_changes_nothing():
    plain_model, plain_losses = _train()
    original = torch.Tensor.backward
    with LossWatch() as watch:
        model, losses = _train()
        torch.ones(3, requires_grad=True).sum().backward()  # one more scalar
        (torch.ones(3, requires_grad=True) * 2).backward(torch.ones(3))  # not a scalar: not a loss
    assert torch.Tensor.backward is original
    assert watch.values[:5] == losses == plain_losses and watch.values[5] == 3.0 and len(watch.values) == 6
    for a, b in zip(model.parameters(), plain_model.parameters()):
        assert torch.equal(a, b) and torch.equal(a.grad, b.grad)


def test_quiet_restores_modes_and_the_random_stream():
    model, _ = _train()
    model.train()
    model[1].eval()  # a mixed state must come back as it was
    torch.manual_seed(7)
    expected_next = torch.rand(3)
    torch.manual_seed(7)
    with Quiet(model):
        assert not model.training and not any(m.training for m in model.modules())
        out = model(torch.randn(4, 2))  # draws from the global stream inside
        assert not out.requires_grad
        torch.rand(100)
    assert model.training and not model[1].training and model[2].training
    assert torch.equal(torch.rand(3), expected_next)  # the stream goes on as if nothing was drawn

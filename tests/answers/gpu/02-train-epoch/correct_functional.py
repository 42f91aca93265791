# expect: passed
"""Another correct answer: model = model.to(device=...), non_blocking copies, F.mse_loss, a tuple unpack."""

import torch.nn.functional as F


def train_epoch(model, optimizer, loader, device):
    model = model.to(device=device)
    model.train()
    losses = []
    for batch in loader:
        x, y = (v.to(device, non_blocking=True) for v in batch)
        optimizer.zero_grad(set_to_none=True)
        out = model(x)
        loss = F.mse_loss(out, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    return losses

# expect: passed
"""Another correct answer: a deep copy of the whole model, the validation loss in one go over
the concatenated batches, epoch numbers from enumerate, and `set_to_none` zeroing by hand."""

import copy

import torch
import torch.nn.functional as F


def train_with_validation(model, train_loader, val_loader, epochs, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    train_losses, val_losses = [], []
    best_model, best_epoch = None, None
    for epoch in range(epochs):
        model.train()
        batch_losses = []
        for x, y in train_loader:
            for p in model.parameters():
                p.grad = None
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        train_losses.append(sum(batch_losses) / len(batch_losses))

        model.eval()
        with torch.no_grad():
            outs, ys = zip(*[(model(x), y) for x, y in val_loader])
            val_loss = F.mse_loss(torch.cat(outs), torch.cat(ys)).item()
        val_losses.append(val_loss)
        if best_model is None or val_loss < min(val_losses[:-1]):
            best_model, best_epoch = copy.deepcopy(model), epoch
    model.load_state_dict(best_model.state_dict())
    return train_losses, val_losses, best_epoch

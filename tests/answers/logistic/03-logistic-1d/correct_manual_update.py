# expect: passed
"""Another correct answer: torch.sigmoid in forward, BCE by hand (clamped) and a manual update under no_grad."""

import torch
import torch.nn as nn


class LogisticRegression1(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(in_features=1, out_features=1, bias=True)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


def train(model, x, labels, epochs, lr):
    y = labels.to(torch.float32).unsqueeze(1)
    history = []
    for epoch in range(epochs):
        p = model(x).clamp(1e-7, 1 - 1e-7)  # p can round to exactly 1.0: keep log away from log(0)
        loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
        for param in model.parameters():
            param.grad = None
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= lr * param.grad
        history.append(float(loss.detach()))
    return history


def threshold(model):
    w = model.linear.weight.detach().squeeze()
    b = model.linear.bias.detach().squeeze()
    return float(-b / w)

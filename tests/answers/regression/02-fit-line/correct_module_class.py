# expect: passed
"""Another correct answer: the material's LinearRegression class, from_numpy + float(),
the material's order (forward, loss, zero_grad, backward, step) and model.zero_grad()."""

import numpy as np
import torch
import torch.nn as nn


class LinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(1, 1, bias=True)

    def forward(self, x):
        return self.layer(x)


def fit_line(x, y):
    inputs = torch.from_numpy(np.asarray(x)).float().unsqueeze(1)
    targets = torch.from_numpy(np.asarray(y)).float().unsqueeze(1)
    model = LinearRegression()
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    history = []
    for epoch in range(400):
        outputs = model(inputs)
        loss = criterion(outputs, targets)
        model.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(float(loss))
    return model, history

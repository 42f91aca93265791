# expect: passed
"""Another correct answer: torch.linalg.lstsq, gradient descent with autograd."""

import torch


def fit_standardizer(X):
    mean = X.sum(dim=0) / len(X)
    std = (((X - mean) ** 2).sum(dim=0) / (len(X) - 1)).sqrt()
    return mean, std


def normal_equation(X, y):
    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)
    return torch.linalg.lstsq(A, y).solution


def gradient_descent(X, y, lr, steps):
    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)
    w = torch.zeros(A.shape[1], 1, requires_grad=True)
    for _ in range(steps):
        loss = ((A @ w - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w.detach()


def predict(X_new, mean, std, w):
    Z = (X_new - mean) / std
    return torch.cat([Z, torch.ones(len(Z), 1)], dim=1) @ w

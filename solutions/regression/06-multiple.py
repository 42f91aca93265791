"""Reference solution for exercise 2.6 (multiple regression)."""

import torch


def _with_ones(X):
    return torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)


def fit_standardizer(X):
    return X.mean(dim=0), X.std(dim=0)


def normal_equation(X, y):
    A = _with_ones(X)
    return torch.linalg.solve(A.T @ A, A.T @ y)


def gradient_descent(X, y, lr, steps):
    A = _with_ones(X)
    w = torch.zeros(A.shape[1], 1)
    for _ in range(steps):
        w = w - lr * (2 / len(A)) * A.T @ (A @ w - y)
    return w


def predict(X_new, mean, std, w):
    return _with_ones((X_new - mean) / std) @ w

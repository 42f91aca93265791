# expect: failed
# message: calls `.numpy()` on a GPU tensor
"""to_numpy is right, but predict forgets .cpu()."""


def to_numpy(t):
    return t.detach().cpu().numpy()


def predict(model, x):
    return model(x).detach().numpy()

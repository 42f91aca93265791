"""NumPy references of what Keras computes, shared by the checks of lesson `tf`.

NumPy only, on purpose: the checks use these functions to build the expected
answers, and the project's tests (test_tf_facts.py) compare the very same
functions with real TensorFlow/Keras, so every TensorFlow fact a check relies
on is verified in one place. Everything is computed in float64.

Layouts are Keras's: Dense kernels are (in, out), Conv2D kernels are
(kh, kw, in, out), feature maps are NHWC (channels last).
"""

import math

import numpy as np

EPSILON = 1e-7
"""`keras.backend.epsilon()`: probabilities are clipped to [EPSILON, 1 - EPSILON] before the log."""


def _f64(a):
    return np.asarray(a, dtype=np.float64)


def relu(x):
    return np.maximum(x, 0.0)


def dense(x, kernel, bias, activation=None):
    """`keras.layers.Dense(units, activation)`: x (N, in) @ kernel (in, out) + bias (out,)."""
    y = _f64(x) @ _f64(kernel) + _f64(bias)
    return relu(y) if activation == "relu" else y


def mlp(x, weights):
    """A Sequential of Dense layers as `model.get_weights()` lists them: [kernel0, bias0, kernel1, bias1, ...].

    Every layer but the last has activation="relu"; the last one has none.
    """
    pairs = [(weights[i], weights[i + 1]) for i in range(0, len(weights), 2)]
    h = _f64(x)
    for i, (k, b) in enumerate(pairs):
        h = dense(h, k, b, activation="relu" if i < len(pairs) - 1 else None)
    return h


def same_padding(k):
    """Keras/TF padding="same" with stride 1: (before, after) for a kernel of size k (extra one after)."""
    before = (k - 1) // 2
    return before, k - 1 - before


def conv2d(x, kernel, bias, padding="valid"):
    """`keras.layers.Conv2D(filters, (kh, kw), padding=...)` with stride 1 on NHWC input.

    x: (N, H, W, C_in); kernel: (kh, kw, C_in, C_out); bias: (C_out,). Returns (N, H', W', C_out).
    Like torch, Keras computes a cross-correlation (the kernel is not flipped).
    """
    x, kernel, bias = _f64(x), _f64(kernel), _f64(bias)
    kh, kw = kernel.shape[:2]
    if padding == "same":
        x = np.pad(x, ((0, 0), same_padding(kh), same_padding(kw), (0, 0)))
    elif padding != "valid":
        raise ValueError(f"padding must be 'valid' or 'same', not {padding!r}")
    ho, wo = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    out = np.zeros((x.shape[0], ho, wo, kernel.shape[3]))
    for a in range(kh):
        for b in range(kw):
            out += x[:, a:a + ho, b:b + wo, :] @ kernel[a, b]
    return out + bias


def flatten(x):
    """`keras.layers.Flatten()` on NHWC: each sample's values in (h, w, c) order."""
    x = _f64(x)
    return x.reshape(x.shape[0], -1)


def small_cnn(x, conv_kernel, conv_bias, dense_kernel, dense_bias, padding="valid"):
    """Conv2D(relu) -> Flatten -> Dense on NHWC input, as Keras computes it."""
    return dense(flatten(relu(conv2d(x, conv_kernel, conv_bias, padding))), dense_kernel, dense_bias)


def log_softmax(z):
    z = _f64(z)
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def sparse_categorical_crossentropy_per_sample(y_true, y_pred, from_logits=False):
    """`keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits)`: one loss per sample.

    y_true: integer labels of shape (N,) or (N, 1) (a trailing 1 is squeezed away).
    y_pred: (N, C) probabilities, or logits when from_logits=True. Probabilities
    are clipped to [EPSILON, 1 - EPSILON], their log is taken and treated as
    logits (so rows that do not sum to 1 are renormalised).
    """
    labels = np.asarray(y_true).astype(np.int64)
    pred = _f64(y_pred)
    if labels.ndim == pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    logits = pred if from_logits else np.log(np.clip(pred, EPSILON, 1.0 - EPSILON))
    logp = log_softmax(logits)
    return -np.take_along_axis(logp, labels[..., None], axis=-1)[..., 0]


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    """`keras.losses.SparseCategoricalCrossentropy(from_logits)(y_true, y_pred)`: the mean over the batch."""
    return float(sparse_categorical_crossentropy_per_sample(y_true, y_pred, from_logits).mean())


def validation_split_index(n, validation_split):
    """Keras `fit(validation_split=v)`: rows [0, split) train, rows [split, n) validate (the LAST fraction)."""
    return int(math.floor(n * (1.0 - validation_split)))


def fit_linear_sgd(kernel, bias, x, y, *, lr, epochs, batch_size, validation_split=0.0,
                   val_from_front=False, train_on_all=False, loss_of="mean"):
    """What `model.fit(x, y, batch_size, epochs, validation_split, shuffle=False)` returns as
    `History.history` for a model that is one Dense layer (kernel, bias), compiled with
    `loss="mse"` and `optimizer=SGD(learning_rate=lr)` (no momentum).

    Keras: the validation rows are the last fraction, split off before any shuffling;
    each epoch's "loss" is the mean of the batch losses computed during the epoch
    (before each batch's update), weighted by batch size; "val_loss" is the loss on
    the validation rows after the epoch; without validation there is no "val_loss".

    The keyword flags produce the histories of typical mistakes, for the checks:
    val_from_front (validation = the FIRST fraction), train_on_all (the validation
    rows are trained on too), loss_of = "last" (the last batch's loss only) or
    "unweighted" (a plain mean over batches).
    """
    w, b = _f64(kernel).copy(), _f64(bias).copy()
    x, y = _f64(x), _f64(y)
    n = len(x)
    has_val = validation_split > 0
    split = validation_split_index(n, validation_split) if has_val else n
    if val_from_front:
        xv, yv, xt, yt = x[:n - split], y[:n - split], x[n - split:], y[n - split:]
    else:
        xt, yt, xv, yv = x[:split], y[:split], x[split:], y[split:]
    if train_on_all:
        xt, yt = x, y
    history = {"loss": []}
    if has_val:
        history["val_loss"] = []
    for _ in range(epochs):
        losses, sizes = [], []
        for start in range(0, len(xt), batch_size):
            xb, yb = xt[start:start + batch_size], yt[start:start + batch_size]
            err = xb @ w + b - yb
            losses.append(float((err ** 2).mean()))
            sizes.append(len(xb))
            g = 2.0 * err / err.size            # d mean((xW + b - y)^2) / d pred
            w -= lr * (xb.T @ g)
            b -= lr * g.sum(axis=0)
        if loss_of == "last":
            history["loss"].append(losses[-1])
        elif loss_of == "unweighted":
            history["loss"].append(float(np.mean(losses)))
        else:
            history["loss"].append(float(np.dot(losses, sizes) / np.sum(sizes)))
        if has_val:
            history["val_loss"].append(float(((xv @ w + b - yv) ** 2).mean()))
    return history


def manual_graph(x1, x2, constant=4.0):
    """The lab manual's TF v1 graph: y = x1^2 + 2*x2, z = sum(y^3) + constant; returns (y, z, dz/dx1, dz/dx2).

    With x1 = [[1, 2], [3, 4]] and x2 = [[1, -2], [-3, -4]]: z = 570 (566 without the 4).
    """
    x1, x2 = _f64(x1), _f64(x2)
    y = x1 ** 2 + 2 * x2
    z = float((y ** 3).sum() + constant)
    gy = 3 * y ** 2
    return y, z, 2 * x1 * gy, 2 * gy

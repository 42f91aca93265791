"""The housing-like table of exercise 4.7 and a watched run of the student's `train`.

The table imitates the lab's California housing data (scikit-learn downloads
it; the tutor works offline, so it is generated): eight features on very
different scales (income in tens of thousands of dollars, ages in years,
populations in thousands, latitudes and longitudes in degrees) and a price
in hundreds of thousands of dollars that depends on them non-linearly (two
expensive coastal areas), with noise, as float64 NumPy arrays like
scikit-learn's `data` and `target`.
"""

import functools

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from tutor.checkkit import TrainWatch

_load_state_dict = nn.Module.load_state_dict
_mse_loss = F.mse_loss
_is_grad_enabled = torch.is_grad_enabled

FEATURES = 8
SORT_KEY = 6
"""Latitude: drawn uniformly, never clipped, so its values never tie; standardizing keeps their order."""


def one_thread(func):
    """Run a check with torch on one thread, then give the thread count back.

    The model is tiny (11,101 parameters, batches of 100): a second OpenMP thread
    has almost nothing to share and only spins, which on a loaded machine costs ten
    times the CPU seconds the check needs (measured on the 2-core development VM with
    other work on both cores: 0.8 s on one thread, 10 s on two). The verdict does not
    depend on it."""

    @functools.wraps(func)
    def run(t):
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return func(t)
        finally:
            torch.set_num_threads(threads)

    return run


def table(rng, n):
    """(X float64 (n, 8), y float64 (n,)): a housing-like table drawn from the NumPy generator `rng`."""
    income = np.clip(rng.lognormal(np.log(3.5), 0.45, n), 0.5, 15.0)
    age = rng.integers(1, 53, n).astype(np.float64)
    rooms = np.clip(4.0 + 0.4 * income + rng.normal(0.0, 0.8, n), 1.5, 12.0)
    bedrooms = np.clip(rng.normal(1.05, 0.08, n), 0.6, 2.0)
    population = np.clip(rng.lognormal(np.log(1200.0), 0.6, n), 30.0, 30000.0)
    occupancy = np.clip(rng.normal(2.9, 0.6, n), 1.0, 8.0)
    latitude = rng.uniform(32.6, 41.9, n)
    longitude = rng.uniform(-124.3, -114.3, n)
    coast = (np.exp(-((latitude - 34.1) ** 2 + (longitude + 118.3) ** 2) / 1.5)
             + 0.9 * np.exp(-((latitude - 37.7) ** 2 + (longitude + 122.2) ** 2) / 0.8))
    price = 0.4 * income + 1.6 * coast + 0.008 * age - 0.15 * (occupancy - 2.9) + rng.normal(0.0, 0.3, n)
    X = np.stack([income, age, rooms, bedrooms, population, occupancy, latitude, longitude], axis=1)
    return X, np.clip(price, 0.15, 5.0)


def reference_model():
    """The lab's 8-100-100-1 MLP, built by the check (so `train` is judged on a model known to be right)."""
    return nn.Sequential(nn.Linear(FEATURES, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 1))


def tensors(X, y, mean, std):
    """The standardized float32 features and the (N, 1) float32 targets."""
    x = (torch.tensor(X, dtype=torch.float32) - mean) / std
    return x, torch.tensor(y, dtype=torch.float32).view(-1, 1)


def state(model):
    """A detached copy of the model's parameters."""
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def rows(x):
    """Each row of x as a tuple, to recognise which data a forward was given."""
    return [tuple(r) for r in x.tolist()]


class Run:
    """The student's `train` run on the check's loaders and model, watched.

    `events` has one entry per forward of the model: whether it saw validation
    data, the model's mode, whether autograd was on, and (for validation) a copy
    of the parameters; `loads` counts `load_state_dict` calls on the model;
    `mismatched` holds the (input, target) shapes of `nn.MSELoss` / `F.mse_loss`
    calls whose two shapes differ (they broadcast)."""

    def __init__(self, t, seed, *, n_train, n_val, batch, max_epochs, patience, lr):
        rng = np.random.default_rng(seed)
        Xt, yt = table(rng, n_train)
        Xv, yv = table(rng, n_val)
        xt32 = torch.tensor(Xt, dtype=torch.float32)
        mean, std = xt32.mean(dim=0), xt32.std(dim=0)
        self.xt, self.yt = tensors(Xt, yt, mean, std)
        self.xv, self.yv = tensors(Xv, yv, mean, std)
        self.batch, self.max_epochs, self.patience, self.lr = batch, max_epochs, patience, lr
        torch.manual_seed(seed)
        self.model = reference_model()
        train_loader = DataLoader(TensorDataset(self.xt, self.yt), batch_size=batch, shuffle=True)
        val_loader = DataLoader(TensorDataset(self.xv, self.yv), batch_size=batch, shuffle=False)
        val_rows = set(rows(self.xv))
        self.events = []
        self.loads = 0
        self.mismatched = []

        def pre(module, inputs):
            x = inputs[0] if inputs else None
            is_val = (isinstance(x, torch.Tensor) and x.dim() == 2 and len(x) > 0
                      and all(r in val_rows for r in rows(x.detach())))
            self.events.append({"val": is_val, "training": module.training, "grad": _is_grad_enabled(),
                                "state": state(module) if is_val else None})

        run = self

        def load(module, *args, **kwargs):
            if module is run.model:
                run.loads += 1
            return _load_state_dict(module, *args, **kwargs)

        def mse(input, target, *args, **kwargs):
            shapes = tuple(getattr(input, "shape", ())), tuple(getattr(target, "shape", ()))
            if shapes[0] != shapes[1] and len(run.mismatched) < 10:
                run.mismatched.append(shapes)
            return _mse_loss(input, target, *args, **kwargs)

        handle = self.model.register_forward_pre_hook(pre)
        nn.Module.load_state_dict, F.mse_loss = load, mse
        try:
            with TrainWatch() as self.watch:
                self.got = t.call("train", self.model, train_loader, val_loader, max_epochs, patience, lr)
        except TypeError as exc:
            if "state_dict" in str(exc) and "NoneType" in str(exc):
                t.fail(ja="`load_state_dict` に None が渡されました。最良の `state_dict` が一度も保存されていません。検証損失が改善したとき (`val_loss < best_loss`。best_loss は "
                          "`float(\"inf\")` から始めます) にコピーを取っているか、比較の向きを確かめてください。",
                       en="`load_state_dict` was given None: no best `state_dict` was ever saved. Check that a copy is kept whenever the validation loss improves "
                          "(`val_loss < best_loss`, with best_loss starting at `float(\"inf\")`), and the direction of that comparison.")
            raise
        finally:
            nn.Module.load_state_dict, F.mse_loss = _load_state_dict, _mse_loss
            handle.remove()

    def passes(self):
        """The parameters seen at each validation pass (consecutive validation forwards are one pass)."""
        states, last_val = [], False
        for e in self.events:
            if e["val"]:
                if last_val:
                    states[-1] = e["state"]
                else:
                    states.append(e["state"])
            last_val = e["val"]
        return states

    def val_loss(self, params, squash=False):
        """The mean squared error over every validation sample of the model with these parameters (float64)."""
        with torch.no_grad():
            out = self._probe(params)(self.xv).double()
            return float((((torch.sigmoid(out) if squash else out) - self.yv.double()) ** 2).mean())

    def val_batch_losses(self, params):
        """The mean squared error of each validation mini-batch."""
        probe = self._probe(params)
        with torch.no_grad():
            return [float(((probe(self.xv[i:i + self.batch]).double() - self.yv[i:i + self.batch].double()) ** 2).mean())
                    for i in range(0, len(self.xv), self.batch)]

    def val_broadcast(self, params):
        """The validation loss with the targets flattened to (B,): every output against every target."""
        probe = self._probe(params)
        with torch.no_grad():
            total = 0.0
            for i in range(0, len(self.xv), self.batch):
                out, y = probe(self.xv[i:i + self.batch]).double(), self.yv[i:i + self.batch].double()
                total += float(((out - y.view(-1)) ** 2).mean()) * len(out)
            return total / len(self.xv)

    def _probe(self, params):
        probe = reference_model()
        _load_state_dict(probe, params)
        return probe


def simulate(values, patience, strict=True, reset=True, limit=None):
    """Early stopping by a rule, possibly a wrong one, on a list of validation losses:
    (the epoch it stops at or None, the best epoch)."""
    limit = patience if limit is None else limit
    best, best_epoch, bad = float("inf"), -1, 0
    for epoch, value in enumerate(values):
        if value < best or (not strict and value == best):
            best, best_epoch = value, epoch
            if reset:
                bad = 0
        else:
            bad += 1
        if bad >= limit:
            return epoch, best_epoch
    return None, best_epoch

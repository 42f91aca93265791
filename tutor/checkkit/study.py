"""The child side of an experiment: one training run of a setting, and the study's checks.

An experiment's student file defines::

    SETTINGS = [{"hidden": 128, "epochs": 3, "seed": 0}, ...]   # the design

    def load_data(config):      # ((x_train, y_train), (x_val, y_val)) from MNIST's training images
        ...

    def run(config):            # one training run of one setting
        ...
        for epoch in range(config["epochs"]):
            ...
            yield {"train_loss": ..., "val_loss": ..., "val_acc": ...}
        return model            # the trained model: the tutor measures its test accuracy

`run_setting` drives that generator (the config it gets carries `device` too),
sends each epoch as a "progress" record while it trains, and measures the
returned model on MNIST's 10,000 test images itself: the student's code never
needs the test split, and a test accuracy cannot be typed in. While it runs it
notes what the code used (optimizers, schedulers, weight decay, dropout, random
transforms, and whether it opened MNIST's test split), so the checks can hold
a study to its lesson. `tutor.checkkit.studychecks.study_checks()` registers
the checks every experiment shares; a check file adds its own with `@check`.

This runs only in the child (`tutor.check.harness` calls `serve_study`).
"""

from __future__ import annotations

import inspect
import math
import random
import time
from typing import Callable

import torch

from tutor.checkkit.failures import CheckFailure
from tutor.course.study import RESERVED, SCALARS

EPOCH_KEYS = ("train_loss", "val_loss", "val_acc")
"""What every epoch's metrics must hold (accuracies as fractions, 0..1)."""
MAX_EPOCHS = 200
STUDY_THREADS = 1
"""torch's intra-op threads in a study's runs (see `run_setting`)."""


class StudyFailure(CheckFailure):
    """The study's code breaks the experiment's contract; the text says how."""


# -- the design ----------------------------------------------------------------

def read_settings(student) -> list[dict]:
    """The student's `SETTINGS`, checked to be a list of dicts of plain values."""
    settings = getattr(student, "SETTINGS", None)
    if settings is None:
        raise StudyFailure(ja="ファイルに `SETTINGS` (実験で試す設定のリスト) がありません。",
                           en="Your file has no `SETTINGS` (the list of settings your study tries).")
    if not isinstance(settings, (list, tuple)) or not settings:
        raise StudyFailure(ja="`SETTINGS` は設定 (辞書) を 1 つ以上並べたリストにしてください。",
                           en="`SETTINGS` must be a list of one or more settings (dicts).")
    out = []
    for i, config in enumerate(settings, start=1):
        if not isinstance(config, dict) or not config:
            raise StudyFailure(ja=f"`SETTINGS` の {i} 番目が辞書ではありません ({type(config).__name__})。",
                               en=f"Setting {i} of `SETTINGS` is not a dict ({type(config).__name__}).")
        for key, value in config.items():
            if not isinstance(key, str) or not isinstance(value, SCALARS) or (isinstance(value, float) and not math.isfinite(value)):
                raise StudyFailure(
                    ja=f"`SETTINGS` の {i} 番目の `{key}` の値 ({value!r}) は、文字列・整数・小数・真偽値のどれかにしてください (設定はそのまま結果の見出しになります)。",
                    en=f"In setting {i} of `SETTINGS`, `{key}` = {value!r}: use a string, int, float or bool (a setting is also its results' label).")
            if key in RESERVED:
                raise StudyFailure(ja=f"`SETTINGS` の {i} 番目に `{key}` があります。`{key}` は tutor が渡すので、設定には書かないでください。",
                                   en=f"Setting {i} of `SETTINGS` has `{key}`: the tutor passes `{key}` itself, leave it out of your settings.")
        out.append(dict(config))
    keys = [repr(sorted(c.items())) for c in out]
    dup = next((i for i, k in enumerate(keys) if keys.index(k) != i), None)
    if dup is not None:
        raise StudyFailure(ja=f"`SETTINGS` の {dup + 1} 番目は {keys.index(keys[dup]) + 1} 番目とまったく同じ設定です。",
                           en=f"Setting {dup + 1} of `SETTINGS` is the same as setting {keys.index(keys[dup]) + 1}.")
    return out


# -- one setting -----------------------------------------------------------------

class Usage:
    """What the student's training used, noted while it runs (plain data in `found`)."""

    def __init__(self) -> None:
        self.found = {"optimizers": [], "schedulers": [], "weight_decay": False, "momentum": False, "lrs": [],
                      "augment": [], "test_split": False}
        self._undo: list[Callable[[], None]] = []

    def _wrap(self, owner, name: str, note: Callable) -> None:
        original = owner.__dict__.get(name)
        if original is None:
            return

        def wrapper(obj, *args, **kwargs):
            try:
                note(obj, args, kwargs)
            except Exception:  # noting must never break the student's run
                pass
            return original(obj, *args, **kwargs)

        setattr(owner, name, wrapper)
        self._undo.append(lambda: setattr(owner, name, original))

    def __enter__(self) -> "Usage":
        found = self.found

        def optimizer(obj, args, kwargs):
            defaults = kwargs.get("defaults", args[1] if len(args) > 1 else {}) or {}
            found["optimizers"].append(type(obj).__name__)
            found["weight_decay"] |= float(defaults.get("weight_decay", 0) or 0) > 0
            found["momentum"] |= float(defaults.get("momentum", 0) or 0) > 0
            lr = defaults.get("lr")
            if isinstance(lr, (int, float)) and float(lr) not in found["lrs"]:
                found["lrs"].append(float(lr))

        def scheduler(obj, args, kwargs):
            found["schedulers"].append(type(obj).__name__)

        self._wrap(torch.optim.Optimizer, "__init__", optimizer)
        sched = torch.optim.lr_scheduler
        for cls in {getattr(sched, "LRScheduler", None), getattr(sched, "ReduceLROnPlateau", None)} - {None}:
            self._wrap(cls, "__init__", scheduler)
        try:
            from torchvision import datasets

            self._wrap(datasets.MNIST, "__init__",
                       lambda obj, a, k: found.__setitem__("test_split", found["test_split"] or not k.get("train", a[1] if len(a) > 1 else True)))
        except ImportError:
            pass

        def hook(module, inputs, output):
            cls = type(module)
            if cls.__module__.startswith("torchvision.transforms") and cls.__name__.startswith("Random"):
                if cls.__name__ not in found["augment"]:
                    found["augment"].append(cls.__name__)

        handle = torch.nn.modules.module.register_module_forward_hook(hook)
        self._undo.append(handle.remove)
        return self

    def __exit__(self, *exc: object) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()


def _seed_all(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)
    try:
        import numpy

        numpy.random.seed(seed % 2**32)
    except ImportError:
        pass


def _metric(value, key: str, epoch: int) -> float:
    try:
        number = float(value.item() if isinstance(value, torch.Tensor) else value)
    except (TypeError, ValueError, RuntimeError):
        raise StudyFailure(ja=f"{epoch} エポック目の `{key}` が数ではありません ({type(value).__name__})。`.item()` で Python の数にしてください。",
                           en=f"Epoch {epoch}: `{key}` is not a number ({type(value).__name__}). Use `.item()` to get a Python number.") from None
    if not math.isfinite(number):
        raise StudyFailure(ja=f"{epoch} エポック目の `{key}` が {number} です。学習が発散していないか (学習率が大きすぎないか) 確かめてください。",
                           en=f"Epoch {epoch}: `{key}` is {number}. Check that training did not diverge (is the learning rate too large?).")
    if key.endswith("_acc") and not 0 <= number <= 1:
        raise StudyFailure(ja=f"{epoch} エポック目の `{key}` が {number} です。正解率は 0 から 1 の割合で返してください (百分率ではなく)。",
                           en=f"Epoch {epoch}: `{key}` is {number}. Give accuracies as fractions from 0 to 1, not percentages.")
    return number


def _epoch(metrics, epoch: int) -> dict:
    if not isinstance(metrics, dict):
        raise StudyFailure(ja=f"`run` が {epoch} エポック目に辞書ではなく {type(metrics).__name__} を yield しました。"
                              "`yield {\"train_loss\": ..., \"val_loss\": ..., \"val_acc\": ...}` のように返してください。",
                           en=f"`run` yielded a {type(metrics).__name__} in epoch {epoch}, not a dict. "
                              "Yield `{\"train_loss\": ..., \"val_loss\": ..., \"val_acc\": ...}`.")
    test = [k for k in metrics if isinstance(k, str) and k.startswith("test")]
    if test:
        raise StudyFailure(ja=f"`run` が `{test[0]}` を返しています。テストデータは最後の評価だけに使うので、`run` の中では使いません (テスト正解率は tutor が、返されたモデルで測ります)。"
                              "設定を選ぶのには検証データ (`val_acc`) を使います。",
                           en=f"`run` reports `{test[0]}`. The test split is for the final numbers only, so `run` never uses it "
                              "(the tutor measures the returned model's test accuracy). Choose settings on the validation data (`val_acc`).")
    missing = [k for k in EPOCH_KEYS if k not in metrics]
    if missing:
        raise StudyFailure(ja=f"{epoch} エポック目の結果に `{missing[0]}` がありません。毎エポック {', '.join(EPOCH_KEYS)} を返してください。",
                           en=f"Epoch {epoch}'s metrics lack `{missing[0]}`. Yield {', '.join(EPOCH_KEYS)} every epoch.")
    out = {k: _metric(metrics[k], k, epoch) for k in EPOCH_KEYS}
    if "train_acc" in metrics:
        out["train_acc"] = _metric(metrics["train_acc"], "train_acc", epoch)
    return out


def test_accuracy(model, device: torch.device) -> float:
    """The model's accuracy on MNIST's 10,000 test images (the course's transform: x / 255 - 0.5, (N, 1, 28, 28))."""
    from torchvision import datasets

    from tutor.machine.data import mnist_root

    data = datasets.MNIST(root=mnist_root(), train=False, download=False)
    return accuracy(model, data.data.to(torch.float32).div(255).sub(0.5).unsqueeze(1), data.targets, device)


def accuracy(model, x: torch.Tensor, y: torch.Tensor, device: torch.device) -> float:
    """The model's accuracy on images `x` (N, 1, 28, 28) and labels `y`, in eval mode, in batches of 1000."""
    params = list(model.parameters())
    where = params[0].device if params else device
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(x), 1000):
            out = model(x[start:start + 1000].to(where))
            if not isinstance(out, torch.Tensor) or tuple(out.shape) != (len(x[start:start + 1000]), 10):
                shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
                raise StudyFailure(ja=f"返されたモデルにテスト画像 (N, 1, 28, 28) を入れると {shape} が出てきました。(N, 10) のロジットを返すモデルにしてください。",
                                   en=f"The returned model gives {shape} for test images of shape (N, 1, 28, 28); it should give (N, 10) logits.")
            correct += int((out.argmax(dim=1).cpu() == y[start:start + 1000].cpu()).sum())
    return correct / len(x)


def run_setting(student, config: dict, device: torch.device, on_epoch: Callable[[dict], None] | None = None,
                keep_model: bool = False) -> dict:
    """Train one setting with the student's `run`, seeded by the setting's `seed` (0 if none).

    Returns {"history": [per-epoch metrics], "test_acc", "used", "seconds"}; raises
    `StudyFailure` for a broken contract and lets the student's own errors through."""
    run = getattr(student, "run", None)
    if not callable(run):
        raise StudyFailure(ja="ファイルに関数 `run(config)` がありません。", en="Your file has no function `run(config)`.")
    seed = config.get("seed", 0)
    _seed_all(int(seed) if isinstance(seed, (int, float)) else 0)
    # One CPU thread: the same sums in the same order on every machine (the re-training
    # check and a grader's re-run compare numbers), and no thread contention on a shared
    # 2-core server, where two threads ran these small MLPs up to 20 times slower.
    torch.set_num_threads(STUDY_THREADS)
    started = time.monotonic()
    history: list[dict] = []
    with Usage() as usage:
        gen = run(dict(config, device=str(device)))
        if not inspect.isgenerator(gen):
            raise StudyFailure(ja="`run` はジェネレータにしてください: エポックごとに `yield {\"train_loss\": ..., \"val_loss\": ..., \"val_acc\": ...}` で結果を渡し、最後に `return model` で学習したモデルを返します。",
                               en="`run` must be a generator: `yield {\"train_loss\": ..., \"val_loss\": ..., \"val_acc\": ...}` once per epoch, then `return model` (the trained model).")
        while True:
            try:
                metrics = next(gen)
            except StopIteration as stop:
                model = stop.value
                break
            history.append(_epoch(metrics, len(history) + 1))
            if len(history) > MAX_EPOCHS:
                raise StudyFailure(ja=f"`run` が {MAX_EPOCHS} エポックを超えて続いています。", en=f"`run` goes on past {MAX_EPOCHS} epochs.")
            if on_epoch is not None:
                on_epoch(dict(history[-1], epoch=len(history), elapsed_s=time.monotonic() - started))
    if not history:
        raise StudyFailure(ja="`run` が 1 エポックも結果を yield しませんでした。", en="`run` yielded no epoch at all.")
    if not isinstance(model, torch.nn.Module):
        raise StudyFailure(ja=f"`run` の最後に学習したモデルを `return model` で返してください (返ってきたのは {type(model).__name__})。テスト正解率は tutor がそのモデルで測ります。",
                           en=f"End `run` with `return model`, the trained model (it returned {type(model).__name__}). The tutor measures that model's test accuracy.")
    used = dict(usage.found)
    used["dropout"] = any(isinstance(m, torch.nn.modules.dropout._DropoutNd) and m.p > 0 for m in model.modules())
    train_seconds = time.monotonic() - started
    result = {"history": history, "test_acc": test_accuracy(model, device), "used": used, "seconds": train_seconds}
    if keep_model:  # the checks measure it themselves (never sent: it is not plain data)
        result["model"] = model
    return result


def serve_study(mode: str, student, job: dict, device: torch.device, send: Callable[[dict], None],
                describe: Callable[[BaseException], dict]) -> None:
    """The harness's entry for a study job: "settings" reports the design, "setting" runs one."""
    try:
        if mode == "settings":
            send({"type": "settings", "settings": read_settings(student)})
            return
        config = job["config"]
        result = run_setting(student, config, device, lambda epoch: send({"type": "progress", **epoch}))
        send({"type": "setting", **result})
    except StudyFailure as failure:
        send({"type": "study_failure", "message": failure.text.to_json()})
    except BaseException as exc:  # the student's error, with its traceback trimmed to their file
        send({"type": "study_error", "error": describe(exc)})

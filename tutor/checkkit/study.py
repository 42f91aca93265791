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
a study to its lesson. `study_checks()` registers the checks every experiment
shares; a check file adds its own with `@check` as usual.

This runs only in the child (`tutor.check.harness` calls `serve_study`).
"""

from __future__ import annotations

import inspect
import math
import random
import time
import unicodedata
from typing import Callable

import torch

from tutor.checkkit.failures import CheckFailure
from tutor.checkkit.registry import check
from tutor.course.study import RESERVED, SCALARS, setting_label, varying_factors

EPOCH_KEYS = ("train_loss", "val_loss", "val_acc")
"""What every epoch's metrics must hold (accuracies as fractions, 0..1)."""
MAX_EPOCHS = 200


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
        self.found = {"optimizers": [], "schedulers": [], "weight_decay": False, "augment": [], "test_split": False}
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
    x = data.data.to(torch.float32).div(255).sub(0.5).unsqueeze(1)
    y = data.targets
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
            correct += int((out.argmax(dim=1).cpu() == y[start:start + 1000]).sum())
    return correct / len(x)


def run_setting(student, config: dict, device: torch.device, on_epoch: Callable[[dict], None] | None = None) -> dict:
    """Train one setting with the student's `run`, seeded by the setting's `seed` (0 if none).

    Returns {"history": [per-epoch metrics], "test_acc", "used", "seconds"}; raises
    `StudyFailure` for a broken contract and lets the student's own errors through."""
    run = getattr(student, "run", None)
    if not callable(run):
        raise StudyFailure(ja="ファイルに関数 `run(config)` がありません。", en="Your file has no function `run(config)`.")
    seed = config.get("seed", 0)
    _seed_all(int(seed) if isinstance(seed, (int, float)) else 0)
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
    return {"history": history, "test_acc": test_accuracy(model, device), "used": used, "seconds": train_seconds}


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


# -- the checks every experiment shares -------------------------------------------

def _study(t) -> dict:
    if not t.study:
        raise CheckFailure(ja="この実験はまだ実行されていません。`dltutor run` (TUI では r キー) で実行してください。",
                           en="This study has not been run yet: run it with `dltutor run` (the r key in the TUI).")
    return t.study


def _finished(study: dict) -> list[dict]:
    return [row for row in study["rows"] if row.get("status") == "ok"]


def _final(row: dict, key: str) -> float:
    return float(row["history"][-1][key])


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def check_design(t) -> None:
    """Enough settings, every one finished."""
    study = _study(t)
    spec, rows = study["spec"], study["rows"]
    t.expect(len(rows) >= spec["min_settings"],
             ja=f"設定が {len(rows)} 個しかありません。`SETTINGS` に {spec['min_settings']} 個以上の設定を並べてください。",
             en=f"The design has {len(rows)} setting(s); put at least {spec['min_settings']} in `SETTINGS`.")
    bad = [row for row in rows if row.get("status") != "ok"]
    if bad:
        row = bad[0]
        t.fail(ja=f"設定「{row['label']}」が終わっていません ({row.get('status')}: {row.get('message_ja') or ''})。直すか、`SETTINGS` から外してから実行し直してください。",
               en=f"Setting \"{row['label']}\" did not finish ({row.get('status')}: {row.get('message_en') or ''}). Fix it or take it out of `SETTINGS`, then run the study again.")


def check_factors(t) -> None:
    """At least `min_factors` factors vary."""
    study = _study(t)
    need = study["spec"]["min_factors"]
    factors = varying_factors([row["config"] for row in study["rows"]])
    t.expect(len(factors) >= need,
             ja=f"設定の間で値が変わっている要因が {len(factors)} 個 ({', '.join(factors) or 'なし'}) です。{need} 個以上の要因を変えてください (1 回に 1 つずつ変えると、何が効いたのかが分かります)。",
             en=f"{len(factors)} factor(s) vary between your settings ({', '.join(factors) or 'none'}); vary at least {need} (one at a time, so you can tell which one mattered).")


def check_validation(t) -> None:
    """`load_data` holds out validation images from MNIST's training split; no setting opened the test split."""
    study = _study(t)
    opened = [row["label"] for row in _finished(study) if (row.get("used") or {}).get("test_split")]
    t.expect(not opened,
             ja=f"設定「{opened[0] if opened else ''}」の学習中に MNIST のテストデータ (`train=False`) を読み込んでいます。テストデータは最後の評価だけに使います (tutor が測ります)。設定を選ぶのには検証データを使ってください。",
             en=f"Setting \"{opened[0] if opened else ''}\" opened MNIST's test split (`train=False`) while training. The test split is for the final numbers only (the tutor measures them); choose with validation data.")
    rows = study["rows"]
    config = t.rng.choice(rows)["config"] if rows else {}
    got = t.call("load_data", dict(config, device=str(t.device)))
    t.expect(isinstance(got, (tuple, list)) and len(got) == 2 and all(isinstance(p, (tuple, list)) and len(p) == 2 for p in got),
             ja="`load_data(config)` は ((x_train, y_train), (x_val, y_val)) を返してください。",
             en="`load_data(config)` should return ((x_train, y_train), (x_val, y_val)).")
    (x_train, y_train), (x_val, y_val) = got
    train_rows, val_rows = _image_rows(t, x_train, "x_train"), _image_rows(t, x_val, "x_val")
    t.expect(len(val_rows) >= 500,
             ja=f"検証データが {len(val_rows)} 枚しかありません。500 枚以上は取っておかないと、設定の差が偶然の差と区別できません。",
             en=f"The validation data has {len(val_rows)} images; hold out at least 500, or differences between settings drown in chance.")
    from tutor.checkkit.studydata import mnist_rows

    train_all, test_all = mnist_rows(True), mnist_rows(False)
    in_test = sum(r in test_all and r not in train_all for r in val_rows)
    t.expect(in_test == 0,
             ja=f"検証データに MNIST のテストデータの画像が {in_test} 枚入っています。検証データは訓練データ (`train=True`) の一部を取り分けて作ります。",
             en=f"{in_test} validation images come from MNIST's test split. Make the validation data by holding out part of the training split (`train=True`).")
    shared = len(set(val_rows) & set(train_rows))
    # MNIST's training split holds a few identical images, so a handful may be shared by chance.
    t.expect(shared <= max(2, len(val_rows) // 500),
             ja=f"検証データの {shared} 枚が訓練データにも入っています。訓練に使った画像で検証すると、汎化の性能は分かりません。重ならないように分けてください (`torch.randperm` で並べ替えて前後に分けるなど)。",
             en=f"{shared} validation images are in the training data too. Validating on images the model trained on says nothing about generalisation; split without overlap (e.g. shuffle with `torch.randperm` and cut).")
    labels_ok = isinstance(y_val, torch.Tensor) and isinstance(y_train, torch.Tensor) and len(y_val) == len(val_rows) and len(y_train) == len(train_rows)
    t.expect(labels_ok, ja="`load_data` のラベル (y_train, y_val) は画像と同じ数のテンソルにしてください。",
             en="`load_data`'s labels (y_train, y_val) should be tensors with one label per image.")


def _image_rows(t, x, name: str) -> list[bytes]:
    t.expect(isinstance(x, torch.Tensor) and x.is_floating_point() and x.ndim >= 2 and x[0].numel() == 784,
             ja=f"`load_data` の `{name}` は画像のテンソル (N, 1, 28, 28) にしてください。",
             en=f"`load_data`'s `{name}` should be a float tensor of images, (N, 1, 28, 28).")
    raw = (x.detach().cpu().reshape(len(x), 784).double() + 0.5) * 255
    t.expect(bool((raw - raw.round()).abs().max() < 1e-3) if len(x) else True,
             ja=f"`{name}` の画素値が、この講義の変換 (255 で割って 0.5 を引く、-0.5 から 0.5) になっていません。",
             en=f"`{name}`'s pixels are not the course's transform (divide by 255, subtract 0.5: -0.5 to 0.5).")
    u8 = raw.round().clamp(0, 255).to(torch.uint8).numpy()
    return [r.tobytes() for r in u8]


def chosen(study: dict) -> dict | None:
    """The finished setting with the best final validation accuracy (the study's choice), or None."""
    rows = _finished(study)
    return max(rows, key=lambda row: _final(row, "val_acc")) if rows else None


def check_mark(t) -> None:
    """The setting chosen on validation reaches the mark on the test split."""
    study = _study(t)
    best = chosen(study)
    mark = study["spec"]["mark"]
    t.expect(best is not None, ja="終わった設定がありません。", en="No setting finished.")
    t.expect(best["test_acc"] >= mark,
             ja=f"検証正解率がいちばん高い設定「{best['label']}」のテスト正解率が {_pct(best['test_acc'])} で、目標の {_pct(mark)} に届いていません。"
                "層のユニット数やエポック数、学習率を変えた設定を試してみましょう。",
             en=f"The setting with the best validation accuracy, \"{best['label']}\", reaches {_pct(best['test_acc'])} test accuracy, short of the mark {_pct(mark)}. "
                "Try settings with more units, more epochs or another learning rate.")


def refers(text: str, row: dict) -> bool:
    """Whether a discussion names this setting or quotes one of its numbers."""
    flat = unicodedata.normalize("NFKC", text)
    if row["label"] and row["label"] in flat:
        return True
    numbers = [row["test_acc"], _final(row, "val_acc")] if row.get("history") else []
    forms = {f(x) for x in numbers for f in (lambda v: f"{100 * v:.1f}", lambda v: f"{100 * v:.2f}",
                                             lambda v: f"{v:.3f}", lambda v: f"{v:.4f}")}
    return any(form in flat for form in forms)


def check_discussion(t) -> None:
    """The discussion file exists, is UTF-8, long enough, and refers to two settings of this study."""
    study = _study(t)
    d, spec = study["discussion"], study["spec"]
    name = d.get("name", "discussion.md")
    t.expect(d.get("exists"),
             ja=f"考察のファイル `{name}` がありません。実験のファイルと同じフォルダに作り、結果から分かったことを書いてください。",
             en=f"The discussion file `{name}` is missing. Create it beside your study's file and write what the results show.")
    t.expect(d.get("utf8"),
             ja=f"考察のファイル `{name}` が UTF-8 ではありません (Shift_JIS で保存していませんか)。エディタで UTF-8 を選んで保存し直してください。",
             en=f"The discussion file `{name}` is not UTF-8 text. Save it again as UTF-8 in your editor.")
    text = d.get("text") or ""
    length = len("".join(text.split()))
    t.expect(length >= spec["discussion_min_chars"],
             ja=f"考察が {length} 文字しかありません ({spec['discussion_min_chars']} 文字以上、空白は数えません)。どの要因が効いたか、なぜそうなったかを、結果の数字を挙げて書いてください。",
             en=f"The discussion has {length} characters (at least {spec['discussion_min_chars']}, spaces not counted). Say which factor mattered and why, quoting your results.")
    named = [row["label"] for row in _finished(study) if refers(text, row)]
    t.expect(len(named) >= 2,
             ja=f"考察がこの実験の結果に触れていません (触れている設定: {len(named)} 個)。2 つ以上の設定を名前 (例: 「{_example(study)}」) か結果の数字 (例: 97.8) で挙げて比べてください。",
             en=f"The discussion does not refer to this study's results ({len(named)} setting(s) named). Compare at least two settings by name (e.g. \"{_example(study)}\") or by their numbers (e.g. 97.8).")


def _example(study: dict) -> str:
    rows = _finished(study)
    return rows[0]["label"] if rows else "hidden=128"


def check_reproduce(t) -> None:
    """The tutor re-trains one setting it picks, with the student's code and seed, and compares."""
    study = _study(t)
    rows = _finished(study)
    t.expect(rows, ja="終わった設定がありません。", en="No setting finished.")
    row = t.rng.choice(rows)
    tol = study["spec"]["tolerance"]
    again = run_setting(t.student, row["config"], t.device)
    pairs = (("val_acc", _final(row, "val_acc"), again["history"][-1]["val_acc"]), ("test_acc", row["test_acc"], again["test_acc"]))
    for key, reported, got in pairs:
        t.expect(abs(reported - got) <= tol,
                 ja=f"設定「{row['label']}」を tutor が同じコードとシードで学習し直すと `{key}` が {_pct(got)} になり、実験の結果 {_pct(reported)} と {_pct(tol)} 以上違います。"
                    "シード (`config['seed']`) を `run` の中で使っていない乱数や、実験の後でファイルを書き換えていないか確かめてください。",
                 en=f"The tutor re-trained setting \"{row['label']}\" with your code and seed: `{key}` came out {_pct(got)}, more than {_pct(tol)} from the study's {_pct(reported)}. "
                    "Look for randomness the seed (`config['seed']`) does not fix, or a file changed after the study ran.")
    t.expect(len(again["history"]) == len(row["history"]),
             ja=f"設定「{row['label']}」の学習し直しでエポック数が変わりました ({len(row['history'])} → {len(again['history'])})。",
             en=f"Re-training setting \"{row['label']}\" gave another number of epochs ({len(row['history'])} -> {len(again['history'])}).")


def study_checks() -> None:
    """Register the checks every experiment shares, in the order they run (the costly re-training last)."""
    for func, ja, en in (
        (check_design, "設定の数が足りていて、どの設定も最後まで学習できた", "enough settings, each trained to the end"),
        (check_factors, "2 つ以上の要因を変えている", "the design varies enough factors"),
        (check_validation, "検証データで選び、テストデータは最後の評価だけに使う", "validation data for choosing, the test split only for the final numbers"),
        (check_mark, "検証で選んだ設定が目標のテスト正解率に届く", "the setting chosen on validation reaches the mark on the test split"),
        (check_discussion, "考察のファイルがあり、この実験の結果に触れている", "a discussion file that refers to this study's results"),
        (check_reproduce, "tutor が 1 つの設定を学習し直すと同じ結果になる", "the tutor's re-training of one setting gives the same numbers"),
    ):
        func.__name__ = func.__name__.removeprefix("check_")
        check(ja=ja, en=en)(func)

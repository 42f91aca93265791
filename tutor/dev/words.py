"""The words a verdict about each mutation should contain, and the tables the
mutation operators draw on (losses and their partners, library calls for
by-hand functions). Plain data; imports nothing of the tutor's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """What a verdict about a mistake should mention: any one of `en`, and any one of `ja`."""

    en: tuple[str, ...]
    ja: tuple[str, ...]


def _w(en: str, ja: str) -> Words:
    return Words(tuple(en.split("|")), tuple(ja.split("|")))


# What a verdict should say when a call is left out, by the called name.
DELETE_WORDS = {
    "zero_grad": _w("zero_grad|accumulate", "zero_grad|足し合わ|足し込|蓄積"),
    "zero_": _w("zero_grad|accumulate|zero_()", "zero_grad|足し合わ|足し込|zero_()"),
    "backward": _w("backward", "backward"),
    "step": _w("step", "step"),
    "eval": _w("eval", "eval"),
    "train": _w("train()|training mode|train mode", "train()|訓練モード|学習モード"),
    "retain_grad": _w("retain_grad", "retain_grad"),
    "load_state_dict": _w("load_state_dict", "load_state_dict"),
    "manual_seed": _w("seed", "seed|シード"),
    "seed": _w("seed", "seed|シード"),
    "use_deterministic_algorithms": _w("deterministic", "deterministic|決定的"),
    "append": _w("record|append|values|list", "記録|append|リスト|長さ"),
    "grad": _w("accumulate|twice|zero", "足し合わ|足し込|2 倍|zero"),
    "requires_grad": _w("requires_grad|frozen|freeze", "requires_grad|凍結|固定"),
    "synchronize": _w("synchronize", "synchronize"),
    "copy_": _w("weight|bias", "weight|bias|重み|バイアス"),
    "to": _w("device|to(", "device|デバイス|to("),
    "empty_cache": _w("empty_cache", "empty_cache"),
}


DROP_WORDS = {
    "detach": _w("detach|graph", "detach|計算グラフ|グラフ"),
    "item": _w("item|float|tensor|number", "item|float|テンソル|数値"),
    "to": _w("device|cpu|cuda", "device|デバイス|cpu|CPU|GPU"),
    "cpu": _w("device|cpu|cuda", "device|デバイス|cpu|CPU|GPU"),
    "float": _w("dtype|float32|int64|long", "dtype|float32|int64|型"),
    "long": _w("dtype|float32|int64|long", "dtype|float32|int64|型"),
    "clone": _w("clone|copy|in place|same memory|share", "clone|コピー|同じメモリ|共有"),
    "requires_grad_": _w("requires_grad", "requires_grad"),
    "contiguous": _w("contiguous", "contiguous"),
}


NO_GRAD = _w("no_grad|gradient|grad_fn|requires_grad", "no_grad|勾配|grad_fn")


AXIS = _w("dim|axis|row|column", "dim|軸|行|列|次元")


PERMUTE = _w("permute|axis|axes|order|NCHW|NHWC|channel", "permute|軸|順|NCHW|NHWC|チャネル")


TRANSPOSE = _w("transpose|.T|shape", "転置|.T|形")


MEAN_SUM = _w("mean|sum|average|total", "平均|合計|和")


SQUASH = _w("softmax|sigmoid|logit|probabilit", "softmax|ソフトマックス|sigmoid|シグモイド|ロジット|確率")


LR = _w("learning rate|lr", "学習率|lr")


EPOCHS = _w("epoch", "エポック|epoch")


FLATTEN = _w("shape|batch|view|flatten", "形|バッチ|view|flatten")


SIZE_CONSTANT = _w("batch|size|count|len(|numel|number of", "バッチ|サイズ|大きさ|個数|len(|numel|要素数")


RETURN_CONSTANT = _w("constant|same value|whatever the input|depend", "定数|同じ値|入力によらず|依存")


BY_HAND = _w("by hand|yourself|definition|library", "自分で|定義|手で|ライブラリ")


OPTIMIZER = _w("optimizer", "optimizer|オプティマイザ|最適化")


FRESH_MODEL = _w("model you were given|given model|passed in|copy|in place", "渡された|渡した|与えられた|コピー")


ACTIVATION = _w("ReLU|activation|nonlinear|linear|sigmoid", "ReLU|活性化|非線形|線形|シグモイド")


LOSS_PARTNER = {
    "CrossEntropyLoss": "NLLLoss", "NLLLoss": "CrossEntropyLoss",
    "BCELoss": "BCEWithLogitsLoss", "BCEWithLogitsLoss": "BCELoss", "MSELoss": "L1Loss",
    "cross_entropy": "nll_loss", "nll_loss": "cross_entropy",
    "binary_cross_entropy": "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits": "binary_cross_entropy", "mse_loss": "l1_loss",
}


LOSS_MSE = {"CrossEntropyLoss": "MSELoss", "BCELoss": "MSELoss", "BCEWithLogitsLoss": "MSELoss",
            "binary_cross_entropy": "mse_loss", "binary_cross_entropy_with_logits": "mse_loss"}


LOSS_WORDS = {
    "ce": _w("CrossEntropyLoss|NLLLoss|cross_entropy|nll_loss|log_softmax|cross entropy",
             "CrossEntropyLoss|NLLLoss|cross_entropy|nll_loss|log_softmax|交差エントロピー"),
    "bce": _w("BCELoss|BCEWithLogitsLoss|logit|sigmoid", "BCELoss|BCEWithLogitsLoss|ロジット|シグモイド|sigmoid"),
    "mse": _w("MSE|squared|cross entropy|BCE|L1", "MSE|二乗|交差エントロピー|BCE|L1"),
}


LOSS_KIND = {"CrossEntropyLoss": "ce", "NLLLoss": "ce", "cross_entropy": "ce", "nll_loss": "ce",
              "BCELoss": "bce", "BCEWithLogitsLoss": "bce", "binary_cross_entropy": "bce",
              "binary_cross_entropy_with_logits": "bce", "MSELoss": "mse", "mse_loss": "mse", "L1Loss": "mse"}


# By-hand functions and the library call that does their work: (import, call on the arguments).
LIBRARY = {
    "sigmoid": ("torch", "sigmoid", "{f}({0})"),
    "tanh": ("torch", "tanh", "{f}({0})"),
    "relu": ("torch", "relu", "{f}({0})"),
    "logit": ("torch", "logit", "{f}({0})"),
    "softmax": ("torch", "softmax", "{f}({0}, dim=1)"),
    "cross_entropy": ("torch.nn.functional", "cross_entropy", "{f}({0}, {1})"),
    "bce": ("torch.nn.functional", "binary_cross_entropy", "{f}({0}, {1}.to({0}.dtype))"),
    "mse": ("torch.nn.functional", "mse_loss", "{f}({0}, {1})"),
    "dropout": ("torch.nn.functional", "dropout", "{f}({0}, {1}, {2})"),
    "cross_correlate": ("torch.nn.functional", "conv2d",
                        "{f}({0}[None, None], {1}[None, None].to({0}.dtype), stride={2}, padding={3})[0, 0]"),
    "max_pool": ("torch.nn.functional", "max_pool2d", "{f}({0}[None, None], {1})[0, 0]"),
}

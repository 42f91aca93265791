"""The checks every experiment shares: `study_checks()` registers them in a check file.

They judge the study the tutor ran (`t.study`: the rows of every setting, the
factors, the manifest's spec and the discussion file as read by the tutor),
call the student's `load_data` to see the validation split, and re-train one
setting themselves (`tutor.checkkit.study.run_setting`), so that the study's
numbers cannot be typed in. A check file imports them like this::

    from tutor.checkkit import check, study_checks

    study_checks()
"""

from __future__ import annotations

import unicodedata

import torch

from tutor.checkkit.failures import CheckFailure
from tutor.checkkit.registry import check
from tutor.checkkit.study import accuracy, run_setting
from tutor.course.study import varying_factors


def _study(t) -> dict:
    if not t.study:
        raise CheckFailure(ja="この実験はまだ実行されていません。`dltutor run` (TUI では x キー) で実行してください。",
                           en="This study has not been run yet: run it with `dltutor run` (the x key in the TUI).")
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
    t.expect(bool(labels_ok), ja="`load_data` のラベル (y_train, y_val) は画像と同じ数のテンソルにしてください。",
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


def refers(text: str, row: dict, rows: list[dict] | None = None) -> bool:
    """Whether a discussion names this setting (its label, or a `key=value` only it has among
    `rows`) or quotes one of its numbers."""
    flat = unicodedata.normalize("NFKC", text)
    if row["label"] and row["label"] in flat:
        return True
    squeezed = "".join(flat.split())
    for key, value in row["config"].items():
        if rows and sum(other["config"].get(key) == value for other in rows) == 1 and f"{key}={value}" in squeezed:
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
    t.expect(bool(d.get("exists")),
             ja=f"考察のファイル `{name}` がありません。実験のファイルと同じフォルダに作り、結果から分かったことを書いてください。",
             en=f"The discussion file `{name}` is missing. Create it beside your study's file and write what the results show.")
    t.expect(bool(d.get("utf8")),
             ja=f"考察のファイル `{name}` が UTF-8 ではありません (Shift_JIS で保存していませんか)。エディタで UTF-8 を選んで保存し直してください。",
             en=f"The discussion file `{name}` is not UTF-8 text. Save it again as UTF-8 in your editor.")
    text = d.get("text") or ""
    length = len("".join(text.split()))
    t.expect(length >= spec["discussion_min_chars"],
             ja=f"考察が {length} 文字しかありません ({spec['discussion_min_chars']} 文字以上、空白は数えません)。どの要因が効いたか、なぜそうなったかを、結果の数字を挙げて書いてください。",
             en=f"The discussion has {length} characters (at least {spec['discussion_min_chars']}, spaces not counted). Say which factor mattered and why, quoting your results.")
    named = [row["label"] for row in _finished(study) if refers(text, row, study["rows"])]
    t.expect(len(named) >= 2,
             ja=f"考察がこの実験の結果に触れていません (結果に触れている設定は {len(named)} 個)。2 つ以上の設定を名前 (例：「{_example(study)}」) か結果の数字 (例：97.8) で挙げて比べてください。",
             en=f"The discussion does not refer to this study's results ({len(named)} setting(s) named). Compare at least two settings by name (e.g. \"{_example(study)}\") or by their numbers (e.g. 97.8).")


def _example(study: dict) -> str:
    rows = _finished(study)
    return rows[0]["label"] if rows else "hidden=128"


def check_reproduce(t) -> None:
    """The tutor re-trains one setting it picks, with the student's code and seed, and compares."""
    study = _study(t)
    rows = _finished(study)
    t.expect(bool(rows), ja="終わった設定がありません。", en="No setting finished.")
    row = t.rng.choice(rows)
    tol = study["spec"]["tolerance"]
    again = run_setting(t.student, row["config"], t.device, keep_model=True)
    pairs = (("val_acc", _final(row, "val_acc"), again["history"][-1]["val_acc"]), ("test_acc", row["test_acc"], again["test_acc"]))
    for key, reported, got in pairs:
        t.expect(abs(reported - got) <= tol,
                 ja=f"設定「{row['label']}」を tutor が同じコードとシードで学習し直すと `{key}` が {_pct(got)} になり、実験の結果 {_pct(reported)} と {_pct(tol)} 以上違います。"
                    "シード (`config['seed']`) を `run` の中で使っていない乱数や、実験の後でファイルを書き換えていないか確かめてください。",
                 en=f"The tutor re-trained setting \"{row['label']}\" with your code and seed: `{key}` came out {_pct(got)}, more than {_pct(tol)} from the study's {_pct(reported)}. "
                    "Look for randomness the seed (`config['seed']`) does not fix, or a file changed after the study ran.")
    got = t.call("load_data", dict(row["config"], device=str(t.device)))
    (_, _), (x_val, y_val) = got
    measured, claimed = accuracy(again["model"], x_val, y_val, t.device), again["history"][-1]["val_acc"]
    t.expect(abs(measured - claimed) <= tol,
             ja=f"設定「{row['label']}」の最後のエポックの `val_acc` は {_pct(claimed)} ですが、tutor が返されたモデルを `load_data` の検証データで測ると {_pct(measured)} でした。"
                "`val_acc` は、そのエポックのモデルの検証データでの正解率 (`evaluate` の結果) にしてください。",
             en=f"Setting \"{row['label']}\" reports a last-epoch `val_acc` of {_pct(claimed)}, but the tutor measured the returned model on `load_data`'s validation data at {_pct(measured)}. "
                "Report the epoch's model's accuracy on the validation data (what `evaluate` gives).")
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

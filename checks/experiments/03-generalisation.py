"""Hidden checks for experiment 9.3 (dropout, weight decay and augmentation against over-fitting on a small subset)."""

from tutor.checkkit import check, study_checks

study_checks()

SMALL = 10000
"""A training subset larger than this hardly over-fits in a few minutes of CPU time."""


def _used(t):
    rows = [r for r in (t.study or {}).get("rows", []) if r.get("status") == "ok"]
    return [(r["label"], r.get("used") or {}) for r in rows]


@check(ja="ドロップアウト・重み減衰・データ拡張をそれぞれ使った設定と、どれも使わない基準の設定がある",
       en="settings with dropout, with weight decay and with augmentation, and a base setting with none")
def techniques(t):
    used = _used(t)
    for key, ja, en in (("dropout", "ドロップアウト (`nn.Dropout`)", "dropout (`nn.Dropout`)"),
                        ("weight_decay", "重み減衰 (最適化手法の `weight_decay`)", "weight decay (the optimizer's `weight_decay`)"),
                        ("augment", "データ拡張 (`transforms.RandomAffine` などの Random な変換)", "data augmentation (a random transform such as `transforms.RandomAffine`)")):
        t.expect(any(u.get(key) for _, u in used),
                 ja=f"{ja} を使った設定がありません。基準の設定に {ja} だけを加えた設定を入れてください。",
                 en=f"No setting uses {en}. Add a setting that adds only {en} to the base setting.")
    t.expect(any(not (u.get("dropout") or u.get("weight_decay") or u.get("augment")) for _, u in used),
             ja="ドロップアウトも重み減衰もデータ拡張も使わない、基準の設定がありません。比べる相手がないと、効果が分かりません。",
             en="There is no base setting without dropout, weight decay and augmentation: without it there is nothing to compare with.")


@check(ja="訓練データが少ない (過学習が起きる) 条件で比べている", en="the study trains on a small subset, where over-fitting shows")
def small_subset(t):
    rows = (t.study or {}).get("rows", [])
    config = rows[0]["config"] if rows else {}
    got = t.call("load_data", dict(config, device=str(t.device)))
    (x_train, _), _ = got
    t.expect(len(x_train) <= SMALL,
             ja=f"訓練データが {len(x_train)} 枚あります。この演習では {SMALL} 枚以下 (例えば `train_size=2000`) に減らして、過学習が起きる条件で比べてください。",
             en=f"The training data holds {len(x_train)} images. Cut it to {SMALL} or fewer (e.g. `train_size=2000`), so that over-fitting shows.")

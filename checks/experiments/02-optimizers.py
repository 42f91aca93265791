"""Hidden checks for experiment 9.2 (optimizers, learning rates and a learning-rate scheduler on MNIST)."""

from tutor.checkkit import check, study_checks

study_checks()


def _used(t):
    rows = [r for r in (t.study or {}).get("rows", []) if r.get("status") == "ok"]
    return [r.get("used") or {} for r in rows]


@check(ja="2 種類以上の最適化手法と 2 つ以上の学習率を比べている", en="two or more optimizers and two or more learning rates are compared")
def optimizers(t):
    used = _used(t)
    kinds = sorted({name for u in used for name in u.get("optimizers", [])})
    t.expect(len(kinds) >= 2,
             ja=f"設定の間で使っている最適化手法が {', '.join(kinds) or 'なし'} だけです。SGD (`torch.optim.SGD`) と Adam (`torch.optim.Adam`) のように、2 種類以上を比べてください。",
             en=f"Your settings use only {', '.join(kinds) or 'no optimizer'}. Compare two or more, such as SGD (`torch.optim.SGD`) and Adam (`torch.optim.Adam`).")
    lrs = sorted({lr for u in used for lr in u.get("lrs", [])})
    t.expect(len(lrs) >= 2,
             ja=f"学習率が {lrs[0] if lrs else '-'} の 1 つだけです。同じ最適化手法で学習率を変えた設定も加えてください (例えば SGD で 0.01 と 0.1)。",
             en=f"Only one learning rate ({lrs[0] if lrs else '-'}) is used. Add settings that change the learning rate of one optimizer (e.g. SGD with 0.01 and 0.1).")


@check(ja="学習率のスケジューラ (StepLR や ReduceLROnPlateau) を使った設定がある", en="a setting uses a learning-rate scheduler (StepLR, ReduceLROnPlateau)")
def scheduler(t):
    used = _used(t)
    t.expect(any(u.get("schedulers") for u in used),
             ja="どの設定でも学習率のスケジューラを使っていません。`torch.optim.lr_scheduler.StepLR` か `ReduceLROnPlateau` を使う設定を加え、使わない設定と比べてください。",
             en="No setting uses a learning-rate scheduler. Add one with `torch.optim.lr_scheduler.StepLR` or `ReduceLROnPlateau` and compare it with one without.")

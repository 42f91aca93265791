"""Hidden checks for exercise 5.6 (early stopping on the validation loss).

The check feeds the student's `EarlyStopping.step` a validation curve drawn per
run, one value per epoch, and stops feeding when `step` returns True. Each curve
is built so that the usual slips give a different answer from the right rule:

- a rise of exactly patience-1 epochs followed by a new best (stopping at the
  first rise, or one epoch early, stops there);
- two epochs after the best epoch, a value exactly equal to the best (counting a
  tie as an improvement moves the best epoch and the stop);
- after the right stopping epoch, a value below the best (a rule that peeks at
  the whole curve, or stops late, finds it).
"""

from tutor.checkkit import Todo, check


def _simulate(curve, patience, strict=True, reset=True, limit=None):
    """Early stopping by a rule, possibly a wrong one: returns (stop epoch or None, best epoch, best loss)."""
    limit = patience if limit is None else limit
    best, best_epoch, bad = float("inf"), -1, 0
    for epoch, value in enumerate(curve):
        if value < best or (not strict and value == best):
            best, best_epoch = value, epoch
            if reset:
                bad = 0
        else:
            bad += 1
        if bad >= limit:
            return epoch, best_epoch, best
    return None, best_epoch, best


def _curve(t, patience):
    """A validation curve with a short bump, a tie right after the best, and a better value after the stop."""
    r = t.rng
    value = r.uniform(1.5, 2.5)
    curve = []

    def down(k):
        nonlocal value
        for _ in range(k):
            value -= r.uniform(0.02, 0.2)
            curve.append(round(value, 4))

    down(r.randint(3, 6))
    best = value
    curve.extend(round(best + r.uniform(0.005, 0.05), 4) for _ in range(patience - 1))  # a bump one short of patience
    down(r.randint(2, 5))
    best = curve[-1]
    curve.append(round(best + r.uniform(0.01, 0.05), 4))
    curve.append(best)  # a tie, two epochs after the best: not an improvement
    curve.extend(round(best + r.uniform(0.01, 0.1) * (i + 1), 4) for i in range(patience + 1))
    curve.append(round(best - r.uniform(0.01, 0.05), 4))  # after the right stop: a better value nobody should see
    curve.extend(round(best + r.uniform(0.1, 0.3), 4) for _ in range(3))
    return curve


def _run(t, curve, patience):
    """Feed the curve to a fresh EarlyStopping until it says stop; returns (stop epoch or None, stopper)."""
    stopper = t.call("EarlyStopping", patience)
    initial = getattr(stopper, "best_loss", None)
    # The stub's own loop compares `val_loss < stopper.best_loss` before the first step,
    # to keep epoch 0's model: the start value must be a number above every loss.
    t.expect(isinstance(initial, (int, float)) and not isinstance(initial, bool) and initial > max(curve),
             ja=f"`EarlyStopping(patience)` を作った直後の `best_loss` が {initial!r} です。使用例のループは最初の `step` の前に `val_loss < stopper.best_loss` と比べて最初のモデルを残すので、`best_loss` はどの損失よりも大きい数 (`float(\"inf\")`) から始めてください。",
             en=f"Right after `EarlyStopping(patience)`, `best_loss` is {initial!r}. The usage example compares `val_loss < stopper.best_loss` before the first `step`, to keep the first model: start `best_loss` at a number above every loss, `float(\"inf\")`.")
    for epoch, value in enumerate(curve):
        said = _step(t, stopper, value)
        if said is not None and not isinstance(said, bool) and type(said).__name__ != "bool_":
            t.fail(ja=f"`step` が {type(said).__name__} を返しています。止めるかどうかを True / False で返してください。",
                   en=f"`step` should return True or False (stop or not) but returned a {type(said).__name__}.")
        if said:
            return epoch, stopper
    return None, stopper


def _step(t, stopper, value):
    method = getattr(stopper, "step", None)
    t.expect(callable(method),
             ja="`EarlyStopping` に `step` メソッドがありません。`def step(self, val_loss):` を書いてください。",
             en="`EarlyStopping` has no `step` method. Write `def step(self, val_loss):`.")
    try:
        return method(value)
    except NotImplementedError as exc:
        raise Todo("EarlyStopping.step") from exc


def _show(curve, upto):
    return ", ".join(f"{i}:{v:g}" for i, v in enumerate(curve[:upto + 1]))


@check(ja="検証損失が patience エポック続けて改善しなかったところで止める", en="stops when the validation loss has not improved for patience epochs in a row")
def stops(t):
    patience = t.rng.randint(2, 5)
    curve = _curve(t, patience)
    right_stop, right_best, right_loss = _simulate(curve, patience)
    got_stop, stopper = _run(t, curve, patience)
    shown = _show(curve, min(len(curve) - 1, right_stop + 2))
    if got_stop != right_stop:
        first_rise = _simulate(curve, patience, limit=1)[0]
        early = _simulate(curve, patience, limit=patience - 1)[0]
        late = _simulate(curve, patience, limit=patience + 1)[0]
        ties = _simulate(curve, patience, strict=False)[0]
        no_reset = _simulate(curve, patience, reset=False)[0]
        where_ja = f"patience={patience}、検証損失 (エポック:値) は {shown}, ... でした"
        where_en = f"patience={patience}, validation losses (epoch:value) {shown}, ..."
        t.mistake(got_stop is None,
                  ja=f"`step` が最後まで一度も True を返しませんでした。正しくはエポック {right_stop} で止まります ({where_ja})。改善しないエポックを数え (counter)、それが patience 回続いたら True を返してください。",
                  en=f"`step` never returned True. It should stop at epoch {right_stop} ({where_en}). Count the epochs without improvement (a counter) and return True once patience of them come in a row.")
        t.mistake(got_stop == first_rise and patience > 1,
                  ja=f"検証損失が 1 回悪くなっただけ (エポック {got_stop}) で止めています。patience={patience} なら、改善しないエポックが {patience} 回続くまで待ちます。"
                     f"一時的に悪くなってもまた下がることがあるからです ({where_ja})。",
                  en=f"You stop at the first epoch that does not improve (epoch {got_stop}). With patience={patience}, wait until {patience} epochs in a row bring no improvement: "
                     f"the loss often goes back down after a short rise ({where_en}).")
        t.mistake(got_stop == early,
                  ja=f"1 エポック早く止めています (エポック {got_stop}、正しくは {right_stop})。patience={patience} なら、改善しないエポックが {patience} 回目になったその回で止めます ({where_ja})。",
                  en=f"You stop one epoch early (epoch {got_stop}, the right one is {right_stop}). With patience={patience}, stop on the {patience}th epoch in a row without improvement ({where_en}).")
        t.mistake(got_stop == late,
                  ja=f"1 エポック遅く止めています (エポック {got_stop}、正しくは {right_stop})。改善しないエポックの数が patience に「達した」ところ (`>=`) で止めます ({where_ja})。",
                  en=f"You stop one epoch late (epoch {got_stop}, the right one is {right_stop}). Stop when the count of epochs without improvement reaches patience (`>=`) ({where_en}).")
        t.mistake(got_stop == ties,
                  ja=f"最良の値と等しい検証損失を「改善」として数えています (エポック {right_best + 2} の値 {curve[right_best + 2]:g} はエポック {right_best} と同じです)。"
                     f"改善は最良の値より真に小さいとき (`val_loss < best_loss`) だけです ({where_ja})。",
                  en=f"You count a validation loss equal to the best as an improvement (epoch {right_best + 2} has {curve[right_best + 2]:g}, the same as epoch {right_best}). "
                     f"Only a value strictly below the best improves (`val_loss < best_loss`) ({where_en}).")
        t.mistake(got_stop == no_reset,
                  ja=f"改善したあとも、改善しなかったエポックの数を 0 に戻していません (エポック {got_stop} で止まりました。正しくは {right_stop})。数えるのは「続けて」改善しなかった回数なので、"
                     f"改善したらカウンタ (counter) を 0 に戻します ({where_ja})。",
                  en=f"You do not reset the count of epochs without improvement when the loss improves (stopped at epoch {got_stop}, the right one is {right_stop}). "
                     f"What counts is the epochs without improvement in a row: reset the counter on every improvement ({where_en}).")
        t.fail(ja=f"エポック {got_stop} で止めましたが、正しくはエポック {right_stop} で止めます ({where_ja})。`val_loss` と `best_loss` の比べ方と、カウンタ (counter) を増やす・0 に戻すところを確かめてください。",
               en=f"You stopped at epoch {got_stop}; the right epoch is {right_stop} ({where_en}). Check how `val_loss` is compared with `best_loss`, and where the counter goes up and back to 0.")
    best_epoch = getattr(stopper, "best_epoch", None)
    t.mistake(best_epoch == right_stop and right_stop != right_best,
              ja=f"`best_epoch` が止めたエポック ({right_stop}) になっています。`best_epoch` は検証損失が最小だったエポック ({right_best}) です。早期終了では、止めたときではなく最良のときのモデルを使います。",
              en=f"`best_epoch` is the epoch you stopped at ({right_stop}). `best_epoch` is the epoch with the lowest validation loss ({right_best}): early stopping keeps the model of the best epoch, not of the last.")
    t.mistake(best_epoch == right_best + 1,
              ja=f"`best_epoch` が {best_epoch} で、1 つずれています。エポックは 0 から数えます (最初の `step` の呼び出しがエポック 0)。正しくは {right_best} です。",
              en=f"`best_epoch` is {best_epoch}, off by one. Count epochs from 0 (the first call of `step` is epoch 0); the right value is {right_best}.")
    t.equal(best_epoch, right_best, name="EarlyStopping.best_epoch")
    t.scalar(getattr(stopper, "best_loss", None), right_loss, name="EarlyStopping.best_loss", atol=1e-9)


@check(ja="改善が続くうちは止めない", en="does not stop while the loss keeps improving")
def keeps_going(t):
    patience = t.rng.randint(2, 5)
    curve, value = [], t.rng.uniform(1.0, 2.0)
    for epoch in range(t.rng.randint(12, 18)):
        if epoch % (patience + 1) == patience:  # patience-1 epochs without improvement, then a new best
            value -= t.rng.uniform(0.01, 0.05)
            curve.append(round(value, 4))
        elif epoch % (patience + 1) == 0:
            value -= t.rng.uniform(0.01, 0.05)
            curve.append(round(value, 4))
        else:
            curve.append(round(value + t.rng.uniform(0.01, 0.1), 4))
    got_stop, stopper = _run(t, curve, patience)
    _, right_best, right_loss = _simulate(curve, patience)
    t.expect(got_stop is None,
             ja=f"エポック {got_stop} で止めましたが、この検証損失 ({_show(curve, len(curve) - 1)}) では、改善しないエポックが patience={patience} 回続くことはないので、最後まで止めません。",
             en=f"You stopped at epoch {got_stop}, but on these validation losses ({_show(curve, len(curve) - 1)}) no run of patience={patience} epochs without improvement ever happens: never stop.")
    t.equal(getattr(stopper, "best_epoch", None), right_best, name="EarlyStopping.best_epoch")
    t.scalar(getattr(stopper, "best_loss", None), right_loss, name="EarlyStopping.best_loss", atol=1e-9)

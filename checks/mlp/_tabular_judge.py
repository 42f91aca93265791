"""Judging what exercise 4.7's `train` returned, from a watched `_tabular.Run`.

`judge_losses` compares the returned losses with the losses the loop computed
(training) and with the validation loss recomputed from the parameters seen at
each validation pass; `judge_stopping` applies the early-stopping rule to the
student's own validation losses and compares where the loop stopped, the best
epoch it names and the parameters it leaves in the model.
"""

import numpy as np
import torch

from tutor.checkkit import expect_recorded
from _tabular import simulate, state  # checks/mlp/_tabular.py

_allclose = torch.allclose


def _unpack(t, run):
    got = run.got
    t.expect(isinstance(got, (tuple, list)) and len(got) == 3,
             ja="`train(...)` は (train_losses, val_losses, best_epoch) の 3 つをこの順に返してください。",
             en="`train(...)` should return three values, (train_losses, val_losses, best_epoch), in this order.")
    train_losses, val_losses, best = got
    epochs = len(run.passes())
    lists = []
    for nm, values in (("train_losses", train_losses), ("val_losses", val_losses)):
        floats = t.floats(values, name=nm)
        t.expect(len(floats) == epochs,
                 ja=f"`{nm}` の長さが {len(floats)} ですが、検証は {epochs} エポック分行われました。実際に学習したエポックのそれぞれについて、値を 1 つずつ記録してください。",
                 en=f"`{nm}` has {len(floats)} values, but validation ran in {epochs} epochs: record one value for each epoch actually trained.")
        lists.append(floats)
    t.expect(isinstance(best, int) and not isinstance(best, bool),
             ja=f"`best_epoch` は整数 (0 から数えたエポック番号) にしてください。いまは {type(best).__name__} です。",
             en=f"`best_epoch` should be an int (the epoch's number counted from 0) but is a {type(best).__name__}.")
    return lists[0], lists[1], best


def _recorded_train(t, run, train_losses):
    """Each train loss must be the mean of that epoch's mini-batch losses, plain or weighted
    by batch size (both are the mean training loss), as the loop computed them."""
    recorded, epochs = run.watch.losses, len(train_losses)
    per = len(recorded) // epochs if epochs and recorded and len(recorded) % epochs == 0 else 0
    if not per:
        return
    n = len(run.xt)
    sizes = [min(run.batch, n - i * run.batch) for i in range(per)]
    plain = [sum(recorded[e * per:(e + 1) * per]) / per for e in range(epochs)]
    weighted = [sum(v * s for v, s in zip(recorded[e * per:(e + 1) * per], sizes)) / sum(sizes) for e in range(epochs)]
    if not all(t.close(g, w, rtol=1e-3) for g, w in zip(train_losses, weighted)):
        expect_recorded(t, train_losses, plain, name="train_losses",
                        what=("そのエポックのミニバッチの損失 (`loss.item()`) の平均", "the mean of that epoch's mini-batch losses (`loss.item()`)"))


def _val_value(t, run, e, got, params):
    """One validation loss against the one recomputed from the parameters of that pass."""
    want, n = run.val_loss(params), len(run.xv)
    batch_losses = run.val_batch_losses(params)
    sizes = [min(run.batch, n - i) for i in range(0, n, run.batch)]
    t.mistake(t.close(got, want * n, rtol=1e-3) and not t.close(got, want, rtol=1e-3),
              ja=f"`val_losses[{e}]` が検証データの平均二乗誤差の {n} 倍 (データ数倍) です。2 乗誤差の合計をサンプル数で割って、平均にしてください。",
              en=f"`val_losses[{e}]` is {n} times (the number of samples times) the mean squared error on the validation data: divide the sum of squared errors by the number of samples.")
    t.mistake(t.close(got, batch_losses[-1], rtol=1e-3) and not t.close(want, batch_losses[-1], rtol=1e-3),
              ja=f"`val_losses[{e}]` が val_loader の最後のミニバッチだけの損失です。検証損失は全ミニバッチ (全サンプル) についての平均二乗誤差にしてください。",
              en=f"`val_losses[{e}]` is the loss of the last mini-batch of val_loader alone: the validation loss is the mean squared error over all its mini-batches (all samples).")
    mean_of_means = sum(batch_losses) / len(batch_losses)
    t.mistake(t.close(got, mean_of_means, rtol=1e-3) and not t.close(want, mean_of_means, rtol=1e-3),
              ja=f"`val_losses[{e}]` がミニバッチごとの損失の単純な平均です。最後のミニバッチは小さいので、各ミニバッチの損失にそのバッチのサイズ (`len(inputs)`) をかけて足し、サンプル数で割ってください。",
              en=f"`val_losses[{e}]` is the plain mean of the mini-batch losses, but the last mini-batch is smaller: weight each batch's loss by its batch size (`len(inputs)`) and divide by the number of samples.")
    t.mistake(t.close(got, run.val_broadcast(params), rtol=1e-3) and not t.close(got, want, rtol=1e-3),
              ja=f"`val_losses[{e}]` は、形 (B, 1) の出力と形 (B,) に平らにした正解 (またはその逆) がブロードキャストされて、(B, B) の差から計算されています。出力と正解の形を (B, 1) にそろえてから 2 乗誤差を計算してください。",
              en=f"`val_losses[{e}]` comes from a (B, B) difference: outputs of shape (B, 1) broadcast against targets flattened to (B,) (or the other way round). Make both (B, 1) before taking the squared error.")
    t.mistake(t.close(got, run.val_loss(params, squash=True), rtol=1e-3),
              ja=f"`val_losses[{e}]` はモデルの出力にシグモイド関数 (sigmoid) をかけてから計算した損失です。回帰では出力をそのまま `nn.MSELoss` に渡してください。",
              en=f"`val_losses[{e}]` is the loss of the sigmoid of the model's outputs: in regression the outputs go into `nn.MSELoss` as they are.")
    total = sum(v * s for v, s in zip(batch_losses, sizes))
    k = total / got if got > 0 else 0.0
    t.mistake(abs(k - round(k)) < 1e-4 * k and round(k) != n and 1 < round(k) < 1000 and not t.close(got, want, rtol=1e-4),
              ja=f"`val_losses[{e}]` は 2 乗誤差の和を {round(k)} で割った値ですが、検証データは {n} 個です。各ミニバッチのサンプル数は `len(inputs)` で数えてください (最後のミニバッチは小さくなります)。",
              en=f"`val_losses[{e}]` is the sum of the squared errors divided by {round(k)}, but there are {n} validation samples: count each mini-batch's samples with `len(inputs)` (the last one is smaller).")
    w = got * n / sum(batch_losses) if sum(batch_losses) > 0 else 0.0
    t.mistake(abs(w - round(w)) < 1e-4 * w and round(w) not in sizes and 1 < round(w) < 1000 and not t.close(got, want, rtol=1e-4),
              ja=f"`val_losses[{e}]` は、各ミニバッチの損失を {round(w)} 倍して足した値をサンプル数で割っています。重みはそのバッチのサンプル数 `len(inputs)` にしてください (最後のミニバッチは小さくなります)。",
              en=f"`val_losses[{e}]` weights every mini-batch's loss by {round(w)}: weight it by that batch's size, `len(inputs)` (the last one is smaller).")
    t.scalar(got, want, name=f"val_losses[{e}] (the mean squared error on the validation data after epoch {e})", atol=1e-5, rtol=1e-3)


def judge_losses(t, run, learning=True):
    """The three returned values, checked against what the loop did; returns them.
    With `learning`, the training loss must also have gone down."""
    train_losses, val_losses, best = _unpack(t, run)
    _recorded_train(t, run, train_losses)
    if learning:
        t.decreased(list(train_losses), name="train_losses", factor=0.5)
    for e, (got, params) in enumerate(zip(val_losses, run.passes())):
        _val_value(t, run, e, got, params)
    return train_losses, val_losses, best


def _show(values, upto):
    return ", ".join(f"{i}:{v:.4g}" for i, v in enumerate(values[:upto + 1]))


def judge_stopping(t, run, returned):
    """Where the loop stopped, the best epoch it names and the parameters it leaves, against
    the early-stopping rule applied to its own validation losses."""
    _, values, best = returned
    patience, limit, epochs = run.patience, run.max_epochs, len(values)
    right_stop, right_best = simulate(values, patience)
    got_stop = epochs - 1 if epochs < limit else None
    if got_stop != right_stop:
        shown = _show(values, epochs - 1 if right_stop is None else min(epochs - 1, right_stop + 2))
        right_ja = f"正しくはエポック {right_stop} で止めます" if right_stop is not None else f"正しくは、エポック {got_stop} ではまだ止めずに学習を続けます"
        right_en = f"stop at epoch {right_stop}" if right_stop is not None else f"go on past epoch {got_stop}"
        where_ja = f"patience={patience}、max_epochs={limit}、あなたの検証損失 (エポック:値) は {shown}{', ...' if epochs > 1 else ''}"
        where_en = f"patience={patience}, max_epochs={limit}, your validation losses (epoch:value) {shown}{', ...' if epochs > 1 else ''}"
        other = lambda **kw: simulate(values, patience, **kw)[0]
        ties = other(strict=False)
        t.mistake(got_stop == ties and ties != right_stop,
                  ja=f"最良の値と等しい検証損失を「改善」として数えています。改善は最良の値より小さいとき (`val_loss < best_loss`) だけです。{right_ja} ({where_ja})。",
                  en=f"You count a validation loss equal to the best as an improvement. Only a value below the best improves (`val_loss < best_loss`), so the loop should {right_en} ({where_en}).")
        t.mistake(got_stop == other(reset=False) and other(reset=False) != right_stop,
                  ja=f"エポック {got_stop} で止めましたが、改善したあとも、改善しなかったエポックの数を 0 に戻していません。数えるのは「続けて」改善しなかった回数なので、改善したらカウンタを 0 に戻します。{right_ja} ({where_ja})。",
                  en=f"You stopped at epoch {got_stop} without resetting the count of epochs without improvement when the loss improved. What counts is the epochs without improvement in a row: "
                     f"reset the counter on every improvement. The loop should {right_en} ({where_en}).")
        if patience > 1:
            t.mistake(got_stop in (other(limit=1), other(limit=patience - 1)),
                      ja=f"エポック {got_stop} で止めましたが、早すぎます。改善しないエポックが patience={patience} 回続いた、その回に止めます。{right_ja} ({where_ja})。",
                      en=f"You stopped at epoch {got_stop}, too early: stop on the epoch that makes patience={patience} epochs in a row without improvement. The loop should {right_en} ({where_en}).")
        t.mistake(got_stop == other(limit=patience + 1) and got_stop is not None,
                  ja=f"エポック {got_stop} で止めましたが、1 エポック遅すぎます。改善しないエポックの数が patience に「達した」ところ (`>=`) で止めます。{right_ja} ({where_ja})。",
                  en=f"You stopped at epoch {got_stop}, one epoch late: stop when the count of epochs without improvement reaches patience (`>=`). The loop should {right_en} ({where_en}).")
        t.mistake(got_stop is None,
                  ja=f"`train` が早期終了せずに max_epochs={limit} エポックすべて学習しました。検証損失が patience={patience} エポック続けて改善しなかったら、そこでループを抜けて (`break`) ください。{right_ja} ({where_ja})。",
                  en=f"`train` did not stop early: it trained all max_epochs={limit} epochs. Leave the loop (`break`) once the validation loss has not improved for patience={patience} epochs in a row: "
                     f"the loop should {right_en} ({where_en}).")
        t.fail(ja=f"エポック {got_stop if got_stop is not None else limit - 1} で止めましたが、{right_ja} ({where_ja})。引数の patience を使っているか、`val_loss` と `best_loss` の比べ方、カウンタを増やす・0 に戻すところを確かめてください。",
               en=f"You stopped at epoch {got_stop if got_stop is not None else limit - 1}; the loop should {right_en} ({where_en}). Check that the patience argument is used, how `val_loss` is compared with `best_loss`, and where the counter goes up and back to 0.")
    want = int(np.argmin(values))
    t.mistake(best == want + 1,
              ja=f"`best_epoch` が {best} で、1 つずれています。エポックは 0 から数えてください (最初のエポックが 0)。",
              en=f"`best_epoch` is {best}, one too many: count epochs from 0 (the first epoch is 0).")
    t.mistake(best == epochs - 1 and want != epochs - 1,
              ja=f"`best_epoch` が最後に学習したエポック ({best}) です。`best_epoch` は検証損失が最小だったエポック ({want}) です。早期終了では、止めたときではなく最良のときのモデルを使います。",
              en=f"`best_epoch` is the last epoch trained ({best}). `best_epoch` is the epoch with the lowest validation loss ({want}): early stopping keeps the model of the best epoch, not of the last.")
    t.equal(best, want, name="best_epoch (the epoch with the lowest validation loss, from 0)")
    states = run.passes()
    final = state(run.model)
    same = lambda a, b: all(_allclose(a[k], b[k], rtol=0, atol=1e-7) for k in a)
    at_best, at_last = same(final, states[want]), same(final, states[-1])
    moved = not same(states[want], states[-1])
    t.mistake(at_last and moved and run.loads > 0,
              ja=f"`load_state_dict` は呼ばれていますが、モデルに残っているのは最後のエポックのパラメータで、最良のエポック {want} のものではありません。`best = model.state_dict()` のように保存すると、中身は学習中のパラメータと同じテンソルを指す参照なので、そのあとの更新で一緒に書き換わってしまいます。`copy.deepcopy(model.state_dict())` でコピーを残してください。",
              en=f"`load_state_dict` was called, but the model holds the last epoch's parameters, not those of the best epoch {want}. Saving with `best = model.state_dict()` keeps a reference to the very tensors being trained, so later updates change it too: keep a copy with `copy.deepcopy(model.state_dict())`.")
    t.mistake(at_last and moved and run.loads == 0,
              ja=f"学習後のモデルに残っているのは最後のエポックのパラメータです。最良のエポック {want} の `state_dict` を、最後に `model.load_state_dict(...)` でモデルに読み込んでください。",
              en=f"After training the model holds the last epoch's parameters. At the end, load the best epoch's ({want}) `state_dict` into the model with `model.load_state_dict(...)`.")
    t.expect(at_best,
             ja=f"学習後のモデルのパラメータが、検証損失が最小だったエポック {want} のものと一致しません。",
             en=f"After training, the model's parameters are not those of epoch {want}, the one with the lowest validation loss.")

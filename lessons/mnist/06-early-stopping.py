"""演習 5.6 検証損失で早期終了する / Exercise 5.6: early stopping on the validation loss

クラスを 1 つ書いてください。
Write a class.

class EarlyStopping
    EarlyStopping(patience): patience は 1 以上の整数です。
    step(val_loss) -> bool
        エポックごとに検証のあとで 1 回、そのエポックの検証損失 (float) を渡して
        呼びます。最初の呼び出しがエポック 0、次がエポック 1、... です。それまでの最小値
        より真に小さい損失を「改善」とします。改善しないエポックが patience 回続いたら
        True (「ここで学習をやめる」) を、そうでなければ False を返します。
    best_loss: それまでで最小の検証損失です。
    best_epoch: best_loss が出たエポック (0 から数えます) です。
    EarlyStopping(patience): patience is an int >= 1.
    step(val_loss) -> bool
        Called once per epoch, after validation, with that epoch's validation
        loss (a float). The first call is epoch 0, the next epoch 1, and so on.
        A loss strictly below the best so far is an improvement. Return True
        ("stop training now") when `patience` epochs in a row have brought no
        improvement, otherwise False.
    best_loss: the lowest validation loss so far.
    best_epoch: the epoch of best_loss (counted from 0).

学習ループでは次のように使います / Use it in a training loop like this:

    stopper = EarlyStopping(patience=3)
    for epoch in range(max_epochs):
        train_epoch(model, train_loader, optimizer)
        val_loss = ...                      # the loss on the validation data
        if val_loss < stopper.best_loss:    # before step: is this the best so far?
            best_state = copy.deepcopy(model.state_dict())
        if stopper.step(val_loss):
            break
    model.load_state_dict(best_state)       # the model of stopper.best_epoch

チェックは毎回新しく作った検証損失の列を、あなたの step() に 1 エポックずつ渡します。
The checks feed your step() validation curves drawn per run.

Check it with: dltutor check 5.6
"""


class EarlyStopping:
    def __init__(self, patience):
        # TODO: keep patience; the best loss so far (none yet), its epoch, a counter, the epoch number
        raise NotImplementedError

    def step(self, val_loss):
        # TODO: improvement? update the best and reset the counter; otherwise count one more
        # TODO: move on to the next epoch; return whether the counter has reached patience
        raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 06-early-stopping.py
    losses = [0.90, 0.61, 0.48, 0.50, 0.45, 0.41, 0.42, 0.44, 0.41, 0.47, 0.52, 0.40]
    stopper = EarlyStopping(patience=3)
    for epoch, loss in enumerate(losses):
        stop = stopper.step(loss)
        print(epoch, loss, stop)
        if stop:
            break
    print("best epoch:", stopper.best_epoch, "best loss:", stopper.best_loss)

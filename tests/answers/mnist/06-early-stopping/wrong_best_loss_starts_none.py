# expect: failed
# message: start `best_loss` at a number above every loss
"""Starts best_loss at None and handles None in step: step itself works, but the stub's own
loop, which compares `val_loss < stopper.best_loss` before the first step, breaks."""


class EarlyStopping:
    def __init__(self, patience):
        self.patience = patience
        self.best_loss = None
        self.best_epoch = -1
        self.counter = 0
        self.epoch = 0

    def step(self, val_loss):
        if self.best_loss is None or val_loss < self.best_loss:
            self.best_loss = val_loss
            self.best_epoch = self.epoch
            self.counter = 0
        else:
            self.counter += 1
        self.epoch += 1
        return self.counter >= self.patience

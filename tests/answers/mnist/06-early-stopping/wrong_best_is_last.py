# expect: failed
# message: `best_epoch` is the epoch you stopped at
"""Sets best_epoch to the current epoch on every call."""


class EarlyStopping:
    def __init__(self, patience):
        self.patience = patience
        self.best_loss = float("inf")
        self.best_epoch = -1
        self.counter = 0
        self.epoch = 0

    def step(self, val_loss):
        if val_loss < self.best_loss:
            self.best_loss = val_loss
            self.best_epoch = self.epoch
            self.counter = 0
        else:
            self.counter += 1
        self.best_epoch = self.epoch
        self.epoch += 1
        return self.counter >= self.patience

# expect: failed
# message: You count a validation loss equal to the best as an improvement
"""<= instead of <: a tie resets the counter."""


class EarlyStopping:
    def __init__(self, patience):
        self.patience = patience
        self.best_loss = float("inf")
        self.best_epoch = -1
        self.counter = 0
        self.epoch = 0

    def step(self, val_loss):
        if val_loss <= self.best_loss:
            self.best_loss = val_loss
            self.best_epoch = self.epoch
            self.counter = 0
        else:
            self.counter += 1
        self.epoch += 1
        return self.counter >= self.patience

# expect: passed
"""Another correct answer: keep the whole history and look back at it."""


class EarlyStopping:
    def __init__(self, patience):
        self.patience = patience
        self.history = []

    @property
    def best_loss(self):
        return min(self.history) if self.history else float("inf")

    @property
    def best_epoch(self):
        # the first epoch that reached the minimum: a later tie is no improvement
        return self.history.index(self.best_loss) if self.history else -1

    def step(self, val_loss):
        self.history.append(val_loss)
        return len(self.history) - 1 - self.best_epoch >= self.patience

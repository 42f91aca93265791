# expect: failed
# message: your code computes at graph-build time (eager)
"""Computes a node at once when all its inputs are constants ("it is known already"); lazy otherwise."""

import numpy as np


class Placeholder:
    def __init__(self, name):
        self.name = name


class Constant:
    def __init__(self, value):
        self.value = value


class _Op:
    def __init__(self, *inputs):
        self.inputs = inputs
        if all(isinstance(i, Constant) for i in inputs):
            self.value = self.compute(*[i.value for i in inputs])   # computed right now

    def evaluate(self, run):
        if hasattr(self, "value"):
            return self.value
        return self.compute(*[run(i) for i in self.inputs])


class Add(_Op):
    def compute(self, a, b):
        return a + b


class Mul(_Op):
    def compute(self, a, b):
        return a * b


class Pow(_Op):
    def __init__(self, a, p):
        self.p = p
        super().__init__(a)

    def compute(self, a):
        return a ** self.p


class ReduceSum(_Op):
    def compute(self, a):
        return np.sum(a)


class Session:
    def run(self, fetches, feed_dict=None):
        feed = feed_dict or {}

        def run(node):
            if isinstance(node, Placeholder):
                if node not in feed:
                    raise ValueError(f"You must feed a value for placeholder {node.name!r}")
                return np.asarray(feed[node], dtype=np.float64)
            if isinstance(node, Constant):
                return np.asarray(node.value, dtype=np.float64)
            return node.evaluate(run)

        return [run(f) for f in fetches] if isinstance(fetches, (list, tuple)) else run(fetches)

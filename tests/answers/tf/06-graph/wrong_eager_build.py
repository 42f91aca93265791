# expect: failed
# message: Does your code compute while the graph is built?
"""Eager (define-by-run) thinking: every node computes its value when it is created."""

import numpy as np


class Placeholder:
    def __init__(self, name):
        self.name = name
        self.value = None


class Constant:
    def __init__(self, value):
        self.value = np.asarray(value, dtype=np.float64)


class Add:
    def __init__(self, a, b):
        self.a, self.b = a, b
        self.value = a.value + b.value


class Mul:
    def __init__(self, a, b):
        self.a, self.b = a, b
        self.value = a.value * b.value


class Pow:
    def __init__(self, a, p):
        self.a = a
        self.value = a.value ** p


class ReduceSum:
    def __init__(self, a):
        self.a = a
        self.value = np.sum(a.value)


class Session:
    def run(self, fetches, feed_dict=None):
        if isinstance(fetches, (list, tuple)):
            return [f.value for f in fetches]
        return fetches.value

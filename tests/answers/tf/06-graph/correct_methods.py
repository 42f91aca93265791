# expect: passed
"""Another correct answer: each node evaluates itself with a per-run memo; an explicit graph walk for the feeds."""

import numpy as np


class Placeholder:
    def __init__(self, name):
        self.name = name

    def evaluate(self, feed, memo):
        try:
            return np.array(feed[self], dtype=float)
        except KeyError:
            raise ValueError(f"placeholder '{self.name}' was not fed") from None


class Constant:
    def __init__(self, value):
        self.value = value

    def evaluate(self, feed, memo):
        return np.array(self.value, dtype=float)


class _Binary:
    op = None

    def __init__(self, a, b):
        self.a, self.b = a, b

    def evaluate(self, feed, memo):
        key = id(self)
        if key not in memo:
            memo[key] = type(self).op(self.a.evaluate(feed, memo), self.b.evaluate(feed, memo))
        return memo[key]


class Add(_Binary):
    op = staticmethod(np.add)


class Mul(_Binary):
    op = staticmethod(np.multiply)


class Pow:
    def __init__(self, a, p):
        self.a, self.p = a, p

    def evaluate(self, feed, memo):
        return np.power(self.a.evaluate(feed, memo), self.p)


class ReduceSum:
    def __init__(self, a):
        self.a = a

    def evaluate(self, feed, memo):
        return float(self.a.evaluate(feed, memo).sum())


class Session:
    def run(self, fetches, feed_dict=None):
        memo = {}
        if isinstance(fetches, list):
            return [f.evaluate(feed_dict or {}, memo) for f in fetches]
        return fetches.evaluate(feed_dict or {}, memo)

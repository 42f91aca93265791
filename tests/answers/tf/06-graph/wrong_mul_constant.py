# expect: failed
# message: returns the same value
"""Mul returns the manual example's number whatever its inputs."""

import numpy as np


class Node:
    """A node remembers its inputs and how to compute its value from theirs; nothing more."""

    inputs = ()

    def compute(self, *values):
        raise NotImplementedError


class Placeholder(Node):
    def __init__(self, name):
        self.name = name


class Constant(Node):
    def __init__(self, value):
        self.value = value

    def compute(self):
        return np.asarray(self.value, dtype=np.float64)


class Add(Node):
    def __init__(self, a, b):
        self.inputs = (a, b)

    def compute(self, a, b):
        return a + b


class Mul(Node):
    def __init__(self, a, b):
        self.inputs = (a, b)

    def compute(self, a, b):
        return np.asarray(2.0)


class Pow(Node):
    def __init__(self, a, p):
        self.inputs = (a,)
        self.p = p

    def compute(self, a):
        return a ** self.p


class ReduceSum(Node):
    def __init__(self, a):
        self.inputs = (a,)

    def compute(self, a):
        return np.sum(a)


class Session:
    def run(self, fetches, feed_dict=None):
        feed = feed_dict or {}
        values = {}                                  # this run's values, by node identity

        def evaluate(node):
            if id(node) not in values:
                if isinstance(node, Placeholder):
                    if node not in feed:
                        raise ValueError(f"You must feed a value for placeholder {node.name!r}")
                    values[id(node)] = np.asarray(feed[node], dtype=np.float64)
                else:
                    values[id(node)] = node.compute(*[evaluate(i) for i in node.inputs])
            return values[id(node)]

        if isinstance(fetches, (list, tuple)):
            return [evaluate(f) for f in fetches]
        return evaluate(fetches)

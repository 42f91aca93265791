"""Hidden checks for exercise 1.1 (create and inspect tensors)."""

import numpy as np
import torch

from tutor.checkkit import check


@check(ja="リストから float32 のテンソルを作る", en="a float32 tensor from a list")
def from_list(t):
    rows, cols = t.rng.randint(2, 4), t.rng.randint(2, 5)
    values = [[t.rng.randint(-9, 9) for _ in range(cols)] for _ in range(rows)]
    got = t.call("make_float_tensor", values)
    t.tensor(got, torch.tensor(values, dtype=torch.float32), name=f"make_float_tensor({values!r})")  # code, not words: the same in both languages


@check(ja="NumPy 配列から float32 のテンソルを作る", en="a float32 tensor from a NumPy array")
def from_numpy(t):
    n = t.rng.randint(3, 7)
    arr = np.random.default_rng(t.seed).normal(size=(n,))  # float64, as NumPy makes it
    got = t.call("make_float_tensor", arr)
    t.tensor(got, torch.tensor(arr, dtype=torch.float32), name=f"make_float_tensor(np.random.normal(size=({n},)))")


@check(ja="形・次元数・dtype・要素数を調べる", en="shape, ndim, dtype and numel")
def describe_tensor(t):
    # Redraw until numel differs from ndim, so returning ndim as numel cannot pass by luck.
    shape = (1,)
    while len(shape) == torch.Size(shape).numel():
        shape = tuple(t.rng.randint(1, 5) for _ in range(t.rng.randint(1, 4)))
    dtype = t.rng.choice([torch.float32, torch.int64, torch.float64])
    x = torch.zeros(shape, dtype=dtype)
    got = t.call("describe", x)
    t.expect(isinstance(got, tuple) and len(got) == 4,
             ja="`describe` は 4 つの値のタプル (shape, ndim, dtype, numel) を返してください。",
             en="`describe` should return a tuple of four values (shape, ndim, dtype, numel).")
    shape_got, ndim, dt, numel = got
    t.equal(shape_got, shape, name="describe(t)[0] (shape)")
    t.equal(ndim, len(shape), name="describe(t)[1] (ndim)")
    t.equal(dt, dtype, name="describe(t)[2] (dtype)")
    t.mistake(numel == len(shape) and numel != x.numel(),
              ja="要素数ではなく次元数を返しています。要素数は `numel()` です。",
              en="That is the number of dimensions, not of elements: use `numel()`.")
    t.equal(numel, x.numel(), name="describe(t)[3] (numel)")


@check(ja="0, 1, 2, ... を並べた行列", en="a grid of 0, 1, 2, ...")
def grid_values(t):
    rows, cols = t.rng.sample(range(2, 7), 2)  # never square, so swapped rows/cols show
    got = t.call("grid", rows, cols)
    t.tensor(got, torch.arange(rows * cols, dtype=torch.float32).reshape(rows, cols), name=f"grid({rows}, {cols})")

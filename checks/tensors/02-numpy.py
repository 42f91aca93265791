"""Hidden checks for exercise 1.2 (round trips with NumPy)."""

import numpy as np
import torch

from tutor.checkkit import check


def _np_rng(t):
    """A NumPy generator seeded from the check's own stream (so each check differs)."""
    return np.random.default_rng(t.rng.randrange(2**32))


def _shape(t):
    return tuple(t.rng.randint(2, 5) for _ in range(t.rng.randint(1, 3)))


@check(ja="float64 の NumPy 配列から float32 のテンソルを作る", en="a float32 tensor from a float64 array")
def from_float64(t):
    arr = _np_rng(t).normal(size=_shape(t))  # float64, as NumPy makes it
    got = t.call("to_tensor", arr)
    t.tensor(got, torch.tensor(arr, dtype=torch.float32), name=f"to_tensor(np.random.normal(size={tuple(arr.shape)}))")  # a float64 array, said in code


@check(ja="整数の NumPy 配列から float32 のテンソルを作る", en="a float32 tensor from an integer array")
def from_int(t):
    arr = _np_rng(t).integers(-20, 20, size=_shape(t))  # int64
    got = t.call("to_tensor", arr)
    t.tensor(got, torch.tensor(arr, dtype=torch.float32), name="to_tensor(int array)")


@check(ja="勾配を追跡しているテンソルを NumPy 配列にする", en="a tensor that requires grad to NumPy")
def back_to_numpy(t):
    shape = _shape(t)
    x = t.randn(*shape).requires_grad_(True)
    expected = x.detach().clone()
    got = t.call("to_numpy", x)
    t.mistake(isinstance(got, torch.Tensor),
              ja="`to_numpy` がテンソルのまま返しています。`.detach()` だけでは NumPy 配列になりません。最後に `.numpy()` で変換してください。",
              en="`to_numpy` returned a tensor: `.detach()` alone does not make a NumPy array. Convert it with `.numpy()` at the end.")
    t.mistake(isinstance(got, list),
              ja="`to_numpy` がリストを返しています (`tolist()` でしょうか)。NumPy 配列を返してください。",
              en="`to_numpy` returned a Python list (from `tolist()`?). Return a NumPy array.")
    t.expect(isinstance(got, np.ndarray),
             ja=f"`to_numpy` が {type(got).__name__} を返しています。NumPy 配列 (numpy.ndarray) を返してください。",
             en=f"`to_numpy` should return a NumPy array (numpy.ndarray) but returned a {type(got).__name__}.")
    t.mistake(not x.requires_grad,
              ja="`to_numpy` が受け取ったテンソルの `requires_grad` を False に書き換えています。元のテンソルは変えずに、`.detach()` で勾配の追跡から切り離した新しいテンソルを作ってください。",
              en="`to_numpy` switched off `requires_grad` on the tensor it was given. Leave the input alone: `.detach()` makes a new tensor cut off from the graph.")
    t.mistake(got.dtype == np.float64,
              ja="NumPy 配列の dtype が float64 になっています。float32 のテンソルからはそのまま float32 の配列になるはずです。途中で型を変えていませんか。",
              en="The array's dtype is float64: a float32 tensor becomes a float32 array as it is. Did you convert the type on the way?")
    t.expect(got.dtype == np.float32,
             ja=f"NumPy 配列の dtype が {got.dtype} になっています。float32 にしてください。",
             en=f"The array's dtype is {got.dtype} but should be float32.")
    t.tensor(torch.from_numpy(np.array(got)), expected, name="to_numpy(t)")


@check(ja="NumPy 配列とメモリを共有するテンソル", en="a tensor that shares memory with the array")
def shares_memory(t):
    arr = _np_rng(t).normal(size=_shape(t))
    original = arr.copy()
    got = t.call("shared_tensor", arr)
    t.shape(got, arr.shape, name="shared_tensor(arr)")
    t.mistake(isinstance(got, torch.Tensor) and got.dtype == torch.float32,
              ja="テンソルを float32 に変換しています。dtype を変えるとコピーが作られ、メモリは共有されません。ここでは arr の dtype (float64) のままにしてください。",
              en="You converted the tensor to float32. Changing the dtype makes a copy, so no memory is shared. Keep arr's dtype (float64) here.")
    t.tensor(got, torch.from_numpy(original), name="shared_tensor(arr)")
    # Change the array in place: a tensor that shares its memory sees the change.
    arr += 1.0
    now = got.detach()
    t.mistake(bool(torch.equal(now, torch.from_numpy(original))),
              ja="arr を書き換えてもテンソルの値が変わりません。`torch.tensor(arr)` はデータをコピーします。メモリを共有したまま NumPy 配列をテンソルにする関数を使ってください。",
              en="Changing arr in place did not change the tensor: `torch.tensor(arr)` copies the data. Use the function that turns a NumPy array into a tensor without copying.")
    t.tensor(now, torch.from_numpy(arr), name="shared_tensor(arr) after arr += 1")

"""演習 7.7 本物の GPU で測る (任意) / Exercise 7.7: measure on a real GPU (optional)

この演習には本物の GPU が必要です。GPU サーバで `dltutor check 7.7 --device cuda`
(または `--device auto`) として実行してください。GPU がないと判定は「GPU が必要」
になり、合格にはなりません。ほかの演習はこの演習に関係なく進められます。
This exercise needs a real GPU: run it on a GPU server with
`dltutor check 7.7 --device cuda` (or `--device auto`). Without a GPU its
verdict is "needs a GPU", which is never a pass; the rest of the course does
not depend on it.

関数を 2 つ書いてください。
Write two functions.

matmul_seconds(n, device, repeats=5) -> float
    `device` 上の (n, n) の float32 の行列 2 つの積 `a @ b` 1 回あたりの平均時間
    (秒) を、演習 7.5 と同じやり方で測ります。a と b を `device` に作り、ウォーム
    アップを 1 回、時計を読む前には `torch.cuda.synchronize(device)` (ただし
    `device.type == "cuda"` のときだけ)、時計は `time.perf_counter()`、測るのは
    `repeats` 回の積です。
    The average time in seconds of one product `a @ b` of two (n, n) float32
    matrices on `device`, measured as in Exercise 7.5: make a and b on
    `device`, one warm-up product, `torch.cuda.synchronize(device)` before each
    clock reading (only when `device.type == "cuda"`), `time.perf_counter()`
    for the clock, `repeats` timed products.

memory_roundtrip(n, device) -> (int, int, int) or None
    CUDA のデバイスなら、`device` に (n, n) の float32 テンソルを確保し、
    `torch.cuda.memory_allocated(device)` を読み (allocated_during)、テンソルを
    解放し (`del` のあと `torch.cuda.empty_cache()`)、`torch.cuda.memory_allocated(device)`
    (allocated_after) と `torch.cuda.memory_reserved(device)` (reserved_after) を
    読んで、3 つの値 (バイト数) を返します。CPU のデバイスなら、`torch.cuda` の
    関数を 1 つも呼ばずに None を返します。
    On a CUDA device: allocate an (n, n) float32 tensor on `device`, read
    `torch.cuda.memory_allocated(device)` (allocated_during), release the tensor
    (`del`, then `torch.cuda.empty_cache()`), read
    `torch.cuda.memory_allocated(device)` (allocated_after) and
    `torch.cuda.memory_reserved(device)` (reserved_after), and return the three
    numbers in bytes. On a CPU device return None without calling any
    `torch.cuda` function.

GPU では、測った速さ (8192 × 8192 の積が、どんな GPU にも不可能な速さになって
いたら、GPU を待たずに測っています) と、メモリが本当に返されたかを確かめます。
CPU の部分は、どのマシンでも確かめます。
On a GPU the checks judge the speed you measure (an 8192 x 8192 product faster
than any GPU can compute means the timing did not wait for the GPU) and whether
the memory really came back. The CPU parts are checked everywhere.

Check it with: dltutor check 7.7 --device cuda
"""

import time

import torch


def matmul_seconds(n, device, repeats=5):
    # TODO: a and b on `device`; warm-up; synchronize (cuda only); time `repeats` products
    raise NotImplementedError


def memory_roundtrip(n, device):
    # TODO: None on a CPU device
    # TODO: allocate, read memory_allocated, del, empty_cache, read allocated and reserved
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 07-real-gpu.py
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    n = 4096
    seconds = matmul_seconds(n, device)
    print(f"{seconds * 1e3:.2f} ms per product: {2 * n**3 / seconds / 1e12:.1f} TFLOP/s on {device}")
    print(memory_roundtrip(n, device))

"""演習 7.5 GPU の計算時間を正しく測る / Exercise 7.5: time GPU work correctly

関数を 1 つ書いてください。
Write one function.

time_per_call(fn, device, repeats=10) -> float
    fn:      引数のない関数で、`device` 上で何かの計算 (行列の積や学習の 1 ステップ
             など) をします。
    device:  計算をするデバイス (torch.device。"cpu" か "cuda") です。
    repeats: 時間を測る呼び出しの回数です。
    fn() 1 回あたりの平均時間を秒で返します。まず fn() を 1 回、ウォームアップと
    して呼びます (時間には含めません。GPU では最初の呼び出しに準備の時間もかかる
    ためです)。そのあと `repeats` 回の呼び出しの時間を測ります。
    GPU の計算は非同期です。fn() は仕事を GPU に頼んだ時点で戻ってきます。時計を
    読む前に `torch.cuda.synchronize(device)` で GPU を待ってください。ただし
    `device.type == "cuda"` のときだけです (CPU では待つものがなく、GPU のない
    マシンではこの呼び出しがエラーになります)。時計は `time.perf_counter()` で
    読みます (`import time` のあと、この書き方で呼んでください)。
    fn:      a function without arguments that runs some work on `device`
             (say, a matrix product or a training step).
    device:  the torch.device the work runs on ("cpu" or "cuda").
    repeats: how many calls to time.
    Return the average time of one call of fn() in seconds. Call fn() once
    first as a warm-up (not timed: the first call on a GPU also pays for
    start-up work), then time `repeats` calls.
    GPU work is asynchronous: fn() returns as soon as the work is queued. Wait
    for the GPU with `torch.cuda.synchronize(device)` before you read the clock,
    but only when `device.type == "cuda"` (on a CPU there is nothing to wait
    for, and without a GPU that call fails). Read the clock with
    `time.perf_counter()` (write it so, after `import time`).

チェックは `time.perf_counter` と `torch.cuda.synchronize` を一時的に、fn() が
頼んだ仕事を裏で進める「模擬 GPU」に差し替えます。そのため、GPU のないマシン
でも、待つことと時計を読むことの順番を確かめられます。
The checks replace `time.perf_counter` and `torch.cuda.synchronize` for a
moment by a simulated GPU that runs the work queued by fn() in the background,
so they see in which order your code waits and reads the clock, on a machine
without a GPU too.

Check it with: dltutor check 7.5
"""

import time

import torch


def time_per_call(fn, device, repeats=10):
    # TODO: one warm-up call of fn()
    # TODO: wait for the GPU (cuda only), read the start time
    # TODO: call fn() `repeats` times, wait for the GPU again (cuda only), read the end time
    # TODO: return the average seconds per call
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 05-timing.py
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    a = torch.randn(2000, 2000, device=device)
    seconds = time_per_call(lambda: a @ a, device, repeats=5)
    print(f"{seconds * 1e3:.2f} ms per product, {2 * 2000**3 / seconds / 1e9:.0f} GFLOP/s on {device}")

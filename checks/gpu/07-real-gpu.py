"""Hidden checks for exercise 7.7 (measure on a real GPU; optional, gpu = true).

The first two checks run everywhere: `matmul_seconds` on the CPU with a clock
that advances by a fixed amount for every matrix product (so the average per
product is known exactly), and `memory_roundtrip` on the CPU, which must not
touch `torch.cuda`. The last two need a real GPU (`needs_gpu=True`): without
one they report "needs a GPU" and the verdict is never a pass.
"""

import gc
import math
import time

import torch
from torch.overrides import TorchFunctionMode

from tutor.checkkit import check

from _gpu import NO_DRIVER, call, cuda_available, describe, mentions_cuda, patched

_memory_allocated = torch.cuda.memory_allocated
_memory_reserved = torch.cuda.memory_reserved
_empty_cache = torch.cuda.empty_cache
_synchronize = torch.cuda.synchronize

PRODUCTS = {"matmul", "__matmul__", "__rmatmul__", "mm", "bmm", "addmm"}
N_GPU = 8192
MAX_FLOPS = 3e15
"""3000 TFLOP/s: far above what any GPU computes in float32 (or TF32) today."""


class ProductClock(TorchFunctionMode):
    """A clock that advances by `step` seconds per matrix product (counted through torch calls)."""

    def __init__(self, step):
        super().__init__()
        self.step = step
        self.now = 500.0
        self.products = 0
        self.products_before_first_read = None
        self.reads = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if getattr(func, "__name__", "") in PRODUCTS:
            self.products += 1
            self.now += self.step
        return func(*args, **(kwargs or {}))

    def clock(self):
        if self.reads == 0:
            self.products_before_first_read = self.products
        self.reads += 1
        return self.now


class CudaCalls:
    """Stand-ins for `torch.cuda` functions that must not be called on the CPU: they count and fail."""

    def __init__(self):
        self.names = []

    def make(self, name):
        def fake(*args, **kwargs):
            self.names.append(name)
            raise RuntimeError(NO_DRIVER)
        return fake


def _number(t, got, text):
    t.expect(isinstance(got, (int, float)) and not isinstance(got, bool) and math.isfinite(got),
             ja=f"`{text}` が {got!r} を返しています。秒数 (float) を返してください。",
             en=f"`{text}` should return seconds (a float) but returned {got!r}.")
    return float(got)


@check(ja="`matmul_seconds`: CPU では同期せずに、積 1 回あたりの時間を返す", en="`matmul_seconds`: on the CPU, no synchronize, time per product")
def matmul_on_cpu(t):
    n, repeats = t.rng.randint(16, 48), t.rng.randint(3, 7)
    step = t.uniform(0.001, 0.01)
    clock = ProductClock(step)
    fakes = CudaCalls()
    text = f"matmul_seconds({n}, cpu, {repeats})"
    with patched(time, "perf_counter", clock.clock), patched(torch.cuda, "synchronize", fakes.make("synchronize")), \
            cuda_available(False):
        with clock:
            got, exc = call(t, "matmul_seconds", n, torch.device("cpu"), repeats)
    t.mistake(bool(fakes.names) or (exc is not None and mentions_cuda(exc)),
              ja="`device` が CPU ですが、`torch.cuda.synchronize()` を呼んでいます。`if device.type == \"cuda\":` のときだけ呼んでください (GPU のないマシンではエラーになります)。",
              en="`device` is the CPU, yet your code calls `torch.cuda.synchronize()`: call it only `if device.type == \"cuda\":` (it fails on a machine without a GPU).")
    if exc is not None:
        t.fail(ja=f"`{text}` がエラーになりました: {describe(exc)}", en=f"`{text}` raised {describe(exc)}")
    value = _number(t, got, text)
    t.expect(clock.reads >= 2,
             ja="時計を `time.perf_counter()` で 2 回以上読んでいません。`import time` のあと `time.perf_counter()` と書いてください。",
             en="The clock was not read twice with `time.perf_counter()`: write `time.perf_counter()` after `import time`.")
    t.mistake(clock.products_before_first_read == 0,
              ja="ウォームアップの積がありません。時間を測り始める前に 1 回 `a @ b` を計算してください。",
              en="There is no warm-up product: compute `a @ b` once before you start timing.")
    t.mistake(abs(value - repeats * step) < 0.05 * repeats * step,
              ja=f"{repeats} 回分の合計時間を返しています。`repeats` で割って、1 回あたりにしてください。",
              en=f"It returned the total time of all {repeats} products: divide by `repeats` for the time per product.")
    t.scalar(value, step, name=f"{text} (seconds per product)", atol=1e-9, rtol=1e-3)


@check(ja="`memory_roundtrip`: CPU では `torch.cuda` を使わずに None", en="`memory_roundtrip`: None on the CPU, without touching `torch.cuda`")
def memory_on_cpu(t):
    fakes = CudaCalls()
    n = t.rng.randint(8, 64)
    with patched(torch.cuda, "memory_allocated", fakes.make("memory_allocated")), \
            patched(torch.cuda, "memory_reserved", fakes.make("memory_reserved")), \
            patched(torch.cuda, "empty_cache", fakes.make("empty_cache")), \
            patched(torch.cuda, "synchronize", fakes.make("synchronize")), cuda_available(False):
        got, exc = call(t, "memory_roundtrip", n, torch.device("cpu"))
    t.mistake(bool(fakes.names),
              ja=f"`device` が CPU ですが、`torch.cuda.{fakes.names[0] if fakes.names else ''}` を呼んでいます。CPU のときは、`torch.cuda` の関数を呼ぶ前に None を返してください (GPU のないマシンではエラーになります)。",
              en=f"`device` is the CPU, yet your code calls `torch.cuda.{fakes.names[0] if fakes.names else ''}`: on a CPU device return None before any `torch.cuda` call (they fail on a machine without a GPU).")
    if exc is not None:
        t.fail(ja=f"`memory_roundtrip({n}, cpu)` がエラーになりました: {describe(exc)}", en=f"`memory_roundtrip({n}, cpu)` raised {describe(exc)}")
    t.equal(got, None, name=f"memory_roundtrip({n}, cpu)")


@check(ja="GPU で: 測った速さが GPU に可能な範囲 (同期して測っている)", en="on the GPU: the measured speed is possible (the timing waits for the GPU)", needs_gpu=True)
def matmul_on_gpu(t):
    text = f"matmul_seconds({N_GPU}, {t.device}, 5)"
    got, exc = call(t, "matmul_seconds", N_GPU, t.device, 5)
    if exc is not None:
        t.fail(ja=f"`{text}` がエラーになりました: {describe(exc)}", en=f"`{text}` raised {describe(exc)}")
    value = _number(t, got, text)
    t.expect(value > 0,
             ja=f"`{text}` が {value:.3g} 秒を返しました。", en=f"`{text}` returned {value:.3g} s.")
    flops = 2 * N_GPU**3 / value
    t.mistake(flops > MAX_FLOPS,
              ja=f"測った時間 {value * 1e6:.1f} マイクロ秒は、{flops / 1e12:.0f} TFLOP/s という、どんな GPU にも不可能な速さです。GPU の計算は非同期なので、`torch.cuda.synchronize()` で待たずに時計を読むと、仕事を頼むのにかかった時間しか測れません。時計を読む前に同期してください。",
              en=f"The measured {value * 1e6:.1f} microseconds mean {flops / 1e12:.0f} TFLOP/s, faster than any GPU can compute: GPU work is asynchronous, and reading the clock without `torch.cuda.synchronize()` measures only the queueing. Synchronize before each clock reading.")
    t.expect(value < 30.0,
             ja=f"`{text}` が {value:.3g} 秒を返しました。GPU の {N_GPU} × {N_GPU} の積 1 回にしては長すぎます。",
             en=f"`{text}` returned {value:.3g} s: far too long for one {N_GPU} x {N_GPU} product on a GPU.")


@check(ja="GPU で: 確保したメモリを解放して、手元にも残さない", en="on the GPU: the memory is freed and not kept in the cache", needs_gpu=True)
def memory_on_gpu(t):
    n = t.rng.choice([4096, 6144])
    size = n * n * 4
    gc.collect()
    _empty_cache()
    base_alloc = _memory_allocated(t.device)
    base_reserved = _memory_reserved(t.device)
    text = f"memory_roundtrip({n}, {t.device})"
    got, exc = call(t, "memory_roundtrip", n, t.device)
    if exc is not None:
        t.fail(ja=f"`{text}` がエラーになりました: {describe(exc)}", en=f"`{text}` raised {describe(exc)}")
    t.expect(isinstance(got, (tuple, list)) and len(got) == 3 and all(isinstance(v, int) for v in got),
             ja=f"`{text}` が {got!r} を返しています。3 つの整数 (allocated_during, allocated_after, reserved_after) を返してください。",
             en=f"`{text}` should return three ints (allocated_during, allocated_after, reserved_after) but returned {got!r}.")
    during, after, reserved = got
    t.expect(during - base_alloc >= size,
             ja=f"確保している間の `memory_allocated` の増え方が {(during - base_alloc) / 2**20:.1f} MiB で、({n}, {n}) の float32 の {size / 2**20:.0f} MiB に足りません。テンソルを `device` に作り、まだ `del` する前に読んでいますか。",
             en=f"While allocated, `memory_allocated` grew by {(during - base_alloc) / 2**20:.1f} MiB, less than the {size / 2**20:.0f} MiB of an ({n}, {n}) float32 tensor. Is the tensor made on `device`, and read before the `del`?")
    t.mistake(after - base_alloc >= size // 2,
              ja=f"解放したはずのあとも `memory_allocated` が {(after - base_alloc) / 2**20:.1f} MiB 多いままです。テンソルを指す名前がすべてなくなるまでメモリは解放されません。`del` を忘れていないか、別の名前やリストに残していないか確かめてください。",
              en=f"After the release `memory_allocated` is still {(after - base_alloc) / 2**20:.1f} MiB higher: memory is freed only when no name refers to the tensor any more. Did you forget `del`, or keep it in another name or a list?")
    t.mistake(reserved - base_reserved >= size // 2,
              ja=f"`del` のあとも PyTorch がメモリを {(reserved - base_reserved) / 2**20:.1f} MiB 手元に残しています (`memory_reserved`)。このままでは `nvidia-smi` には使用中に見え、同じ GPU を使うほかの人はそのメモリを使えません。`torch.cuda.empty_cache()` で返してください。",
              en=f"After the `del`, PyTorch still holds {(reserved - base_reserved) / 2**20:.1f} MiB (`memory_reserved`): `nvidia-smi` shows it as used and other users of the GPU cannot have it. Give it back with `torch.cuda.empty_cache()`.")
    t.expect(_memory_allocated(t.device) - base_alloc < size // 2,
             ja="`memory_roundtrip` が終わったあとも、GPU のメモリが確保されたままです。",
             en="GPU memory is still allocated after `memory_roundtrip` returned.")

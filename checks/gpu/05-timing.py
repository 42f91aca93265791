"""Hidden checks for exercise 7.5 (time GPU work correctly).

`SimGpu` stands in for a GPU and its clock: `time.perf_counter` (and
`time.time`, `time.monotonic`) read its simulated time, the fn() it hands out
only queues `work` seconds of GPU work (the CPU spends LAUNCH seconds on it),
and the patched `torch.cuda.synchronize` advances the time to the moment the
queue is empty. Every clock reading notes whether work was still pending, so
a missing synchronize before the start or the end time is seen by its
effect, and the returned average can be compared with the true time per call.
No real GPU is used; the last check runs the function once for real.
"""

import math
import time

import torch

from tutor.checkkit import check

from _gpu import NO_DRIVER, call, cuda_available, describe, mentions_cuda, patched

LAUNCH = 2e-5
"""Seconds the CPU spends to queue one call of fn() on the simulated GPU."""


class SimGpu:
    """A simulated device and clock; `asynchronous=False` simulates the CPU."""

    def __init__(self, work, asynchronous):
        self.now = 1000.0 + work
        self.busy_until = self.now
        self.work = work
        self.asynchronous = asynchronous
        self.calls = 0
        self.syncs = 0
        self.reads = []
        self.calls_before_first_read = None

    def fn(self):
        self.calls += 1
        if self.asynchronous:
            self.now += LAUNCH
            self.busy_until = max(self.busy_until, self.now) + self.work
        else:
            self.now += self.work

    def synchronize(self, *args, **kwargs):
        self.syncs += 1
        if not self.asynchronous:
            raise RuntimeError(NO_DRIVER)
        self.now = max(self.now, self.busy_until) + 1e-6

    def clock(self):
        if not self.reads:
            self.calls_before_first_read = self.calls
        self.reads.append(self.busy_until > self.now + 1e-12)
        self.now += 1e-7
        return self.now


def _run(t, sim, device, repeats):
    # The pretended machine is consistent: with the simulated GPU, `torch.cuda.is_available()`
    # says True; for the CPU run it is a machine without a GPU.
    with patched(time, "perf_counter", sim.clock), patched(time, "time", sim.clock), \
            patched(time, "monotonic", sim.clock), patched(torch.cuda, "synchronize", sim.synchronize), \
            cuda_available(sim.asynchronous):
        return call(t, "time_per_call", sim.fn, device, repeats)


def _sync_on_cpu(t):
    t.fail(ja="`device` が CPU ですが、`torch.cuda.synchronize()` を呼んでいます。CPU の計算は同期的なので待つものがなく、GPU のないマシンではこの呼び出しがエラーになります。`if device.type == \"cuda\":` のときだけ呼んでください。",
           en="`device` is the CPU, yet your code calls `torch.cuda.synchronize()`. CPU work is synchronous, so there is nothing to wait for, and on a machine without a GPU the call fails. Call it only `if device.type == \"cuda\":`.")


def _number(t, got, text):
    t.mistake(isinstance(got, torch.Tensor),
              ja=f"`{text}` がテンソルを返しています。秒数を Python の float で返してください。",
              en=f"`{text}` returned a tensor: return the seconds as a Python float.")
    t.expect(isinstance(got, (int, float)) and not isinstance(got, bool),
             ja=f"`{text}` が {type(got).__name__} を返しています。秒数 (float) を返してください。",
             en=f"`{text}` should return seconds (a float) but returned a {type(got).__name__}.")
    t.expect(math.isfinite(got),
             ja=f"`{text}` が {got} を返しました。", en=f"`{text}` returned {got}.")
    return float(got)


def _calls(t, sim, repeats, text):
    t.mistake(sim.calls_before_first_read == 0 and sim.calls == repeats,
              ja=f"ウォームアップがありません。`fn()` を、時間を測り始める前に 1 回呼んでください (GPU では最初の呼び出しに準備の時間がかかり、測った時間が大きくなります)。`fn()` は全部で repeats + 1 = {repeats + 1} 回呼びます。",
              en=f"There is no warm-up: call `fn()` once before you start timing (on a GPU the first call also pays for start-up work and inflates the time). `fn()` runs repeats + 1 = {repeats + 1} times in all.")
    t.expect(sim.calls == repeats + 1,
             ja=f"`{text}` が `fn()` を {sim.calls} 回呼んでいます。ウォームアップ 1 回と、測る {repeats} 回で、全部で {repeats + 1} 回にしてください。",
             en=f"`{text}` called `fn()` {sim.calls} times: one warm-up and {repeats} timed calls make {repeats + 1}.")
    t.expect(bool(sim.reads),
             ja="`time.perf_counter()` が一度も呼ばれていません。時計は `import time` のあと `time.perf_counter()` と書いて読んでください。",
             en="`time.perf_counter()` was never called: read the clock as `time.perf_counter()` after `import time`.")


def _value(t, value, sim, repeats, text):
    total = repeats * sim.work
    t.mistake(abs(value - total) < 0.05 * total,
              ja=f"`{text}` が {repeats} 回分の合計時間 ({value:.4g} 秒) を返しています。1 回あたりの平均を返すので、`repeats` で割ってください。",
              en=f"`{text}` returned the total time of all {repeats} calls ({value:.4g} s): return the average per call, divided by `repeats`.")
    k = total / value if value > 0 else 0.0
    t.mistake(abs(k - round(k)) < 0.02 * k and round(k) not in (repeats, 1) and round(k) > 1,
              ja=f"`{text}` は合計時間を {round(k)} で割っています。割るのは測った回数、引数の `repeats` (ここでは {repeats}) です。",
              en=f"`{text}` divides the total time by {round(k)}: divide by the number of timed calls, the argument `repeats` (here {repeats}).")
    t.scalar(value, sim.work, name=f"{text} (seconds per call)", atol=1e-7, rtol=0.02)


@check(ja="GPU では、時計を読む前に `torch.cuda.synchronize()` で待つ", en="on a GPU, wait with `torch.cuda.synchronize()` before reading the clock")
def waits_for_gpu(t):
    work, repeats = t.uniform(0.005, 0.02), t.rng.randint(5, 12)
    device = torch.device("cuda")
    text = f"time_per_call(fn, {device}, {repeats})"
    sim = SimGpu(work, asynchronous=True)
    got, exc = _run(t, sim, device, repeats)
    if exc is not None:
        t.fail(ja=f"`{text}` がエラーになりました: {describe(exc)}", en=f"`{text}` raised {describe(exc)}")
    value = _number(t, got, text)
    t.mistake(sim.syncs == 0,
              ja=f"`torch.cuda.synchronize()` を一度も呼んでいません。GPU の計算は非同期で、`fn()` は仕事を頼んだ時点で戻ってくるので、同期せずに測ると「頼むのにかかった時間」({value:.3g} 秒) しか測れません。本当は 1 回 {work:.3g} 秒かかっています。",
              en=f"Your code never calls `torch.cuda.synchronize()`. GPU work is asynchronous: `fn()` returns as soon as the work is queued, so timing without synchronize measures only the queueing ({value:.3g} s) instead of the {work:.3g} s each call really takes.")
    _calls(t, sim, repeats, text)
    t.mistake(sim.reads[0],
              ja="開始時刻を読んだとき、GPU はまだウォームアップの仕事をしていました。その残りが測った時間に入ってしまいます。開始時刻を読む前にも `torch.cuda.synchronize()` を呼んでください。",
              en="When your code read the start time, the GPU was still busy with the warm-up, whose rest then counts in your time: call `torch.cuda.synchronize()` before reading the start time too.")
    t.mistake(any(sim.reads[1:]),
              ja="終了時刻を読んだとき、GPU はまだ計算を終えていませんでした。`fn()` は仕事を頼むとすぐ戻ってくる (非同期) ので、終了時刻を読む前に `torch.cuda.synchronize()` で GPU を待ってください。",
              en="When your code read the end time, the GPU had not finished: `fn()` returns as soon as the work is queued (asynchronous), so wait with `torch.cuda.synchronize()` before reading the end time.")
    _value(t, value, sim, repeats, text)


@check(ja="CPU では同期せずに、1 回あたりの時間を測る", en="on the CPU, time per call without any synchronize")
def times_on_cpu(t):
    work, repeats = t.uniform(0.002, 0.01), t.rng.randint(5, 12)
    device = torch.device("cpu")
    text = f"time_per_call(fn, cpu, {repeats})"
    sim = SimGpu(work, asynchronous=False)
    got, exc = _run(t, sim, device, repeats)
    if sim.syncs:
        _sync_on_cpu(t)
    if exc is not None:
        t.fail(ja=f"`{text}` がエラーになりました: {describe(exc)}", en=f"`{text}` raised {describe(exc)}")
    value = _number(t, got, text)
    _calls(t, sim, repeats, text)
    _value(t, value, sim, repeats, text)


@check(ja="このマシンで本当に測っても動く", en="works when really timing on this machine")
def real_run(t):
    n = 64
    a = t.randn(n, n).to(t.device)
    text = f"time_per_call(fn, {t.device}, 3)"
    got, exc = call(t, "time_per_call", lambda: a @ a, t.device, 3)
    if exc is not None:
        if t.device.type != "cuda" and mentions_cuda(exc):
            _sync_on_cpu(t)
        t.fail(ja=f"`{text}` がエラーになりました: {describe(exc)}", en=f"`{text}` raised {describe(exc)}")
    value = _number(t, got, text)
    t.expect(0.0 < value < 10.0,
             ja=f"`{text}` が {value:.4g} 秒を返しました。{n} × {n} の行列の積 1 回なら、0 秒より長く 10 秒より短いはずです。",
             en=f"`{text}` returned {value:.4g} s: one {n} x {n} matrix product takes more than 0 and less than 10 seconds.")

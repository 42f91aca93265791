"""Hidden checks for exercise 7.1 (choose the device).

The checks pretend that a GPU is, or is not, there by replacing
`torch.cuda.is_available` (and `device_count`) for the duration of one call,
so both branches are tried on any machine. Nothing touches a real GPU: a
`torch.device("cuda")` object can be made without one.
"""

import torch

from tutor.checkkit import check

from _gpu import call, cuda_available, describe, mentions_cuda


def _device_type(t, got, call_text):
    """The type ("cpu"/"cuda") of what pick_device returned, or a failure naming what it is."""
    t.mistake(isinstance(got, str),
              ja=f"`{call_text}` が文字列 {got!r} を返しています。`.to()` は文字列も受け付けますが、この演習では `torch.device({got!r})` のように `torch.device` を返してください。",
              en=f"`{call_text}` returned the string {got!r}. `.to()` accepts strings too, but here return a `torch.device`, e.g. `torch.device({got!r})`.")
    t.expect(isinstance(got, torch.device),
             ja=f"`{call_text}` が {type(got).__name__} を返しています。`torch.device` を返してください。`return` を忘れていませんか。",
             en=f"`{call_text}` should return a `torch.device` but returned a {type(got).__name__}. Did you forget `return`?")
    t.expect(got.type in ("cpu", "cuda"),
             ja=f"`{call_text}` が {got} を返しています。\"cpu\" か \"cuda\" のデバイスを返してください。",
             en=f"`{call_text}` returned {got}; it should be a \"cpu\" or \"cuda\" device.")
    return got.type


def _pick(t, flag, *args):
    """Call pick_device(*args) while a GPU is (flag) or is not there; return (result, exception, asked)."""
    with cuda_available(flag) as fake:
        got, exc = call(t, "pick_device", *args)
    return got, exc, fake.asked


def _no_exception(t, exc, call_text, flag):
    if exc is None:
        return
    where_ja = "GPU があるとき" if flag else "GPU がないとき"
    where_en = "with a GPU" if flag else "without a GPU"
    t.fail(ja=f"{where_ja}、`{call_text}` がエラーになりました: {describe(exc)}",
           en=f"`{call_text}` {where_en} raised {describe(exc)}")


@check(ja="GPU がないとき、\"auto\" は CPU を選ぶ", en="without a GPU, \"auto\" picks the CPU")
def auto_without_gpu(t):
    for args, text in (((), "pick_device()"), (("auto",), 'pick_device("auto")')):
        got, exc, asked = _pick(t, False, *args)
        t.mistake(mentions_cuda(exc),
                  ja=f"GPU がないのに、`{text}` が GPU を使おうとしてエラーになりました ({describe(exc)})。",
                  en=f"Without a GPU, `{text}` tried to use one and failed ({describe(exc)}).")
        _no_exception(t, exc, text, False)
        kind = _device_type(t, got, text)
        t.mistake(kind == "cuda" and asked == 0,
                  ja=f"GPU がないのに `{text}` が cuda を返しました。呼ばれたときに `torch.cuda.is_available()` を確かめていません。\"cuda\" を決め打ち (ハードコード) しているか、ファイルを読み込んだときに 1 回だけ決めていませんか。\"cuda\" の決め打ちは、GPU のないマシンではそのまま動きません。",
                  en=f"`{text}` returned cuda without a GPU and did not ask `torch.cuda.is_available()` during the call: is \"cuda\" hard-coded, or decided once when the file was imported? Hard-coded \"cuda\" does not run on a machine without a GPU.")
        t.mistake(kind == "cuda",
                  ja=f"`torch.cuda.is_available()` が False ですが、`{text}` が cuda を返しました。条件が逆になっていませんか。",
                  en=f"`torch.cuda.is_available()` is False, yet `{text}` returned cuda. Is the condition the wrong way round?")


@check(ja="GPU があるとき、\"auto\" は GPU を選ぶ", en="with a GPU, \"auto\" picks the GPU")
def auto_with_gpu(t):
    got, exc, asked = _pick(t, True, "auto")
    _no_exception(t, exc, 'pick_device("auto")', True)
    kind = _device_type(t, got, 'pick_device("auto")')
    t.mistake(kind == "cpu" and asked == 0,
              ja="GPU があるのに `pick_device(\"auto\")` が cpu を返しました。呼ばれたときに `torch.cuda.is_available()` を確かめていません。\"cpu\" を決め打ちしているか、ファイルを読み込んだときに 1 回だけ決めていませんか。関数の中で毎回確かめてください。",
              en="With a GPU, `pick_device(\"auto\")` returned cpu without asking `torch.cuda.is_available()` during the call: is \"cpu\" hard-coded, or decided once when the file was imported? Ask inside the function, on every call.")
    t.mistake(kind == "cpu",
              ja="`torch.cuda.is_available()` が True ですが、`pick_device(\"auto\")` が cpu を返しました。条件が逆になっていませんか。",
              en="`torch.cuda.is_available()` is True, yet `pick_device(\"auto\")` returned cpu. Is the condition the wrong way round?")


@check(ja="可否が変わっても、呼ぶたびに確かめる", en="asks again on every call")
def asks_every_time(t):
    flags = [True, False] + [t.rng.random() < 0.5 for _ in range(t.rng.randint(2, 4))]
    t.rng.shuffle(flags)
    for i, flag in enumerate(flags, start=1):
        got, exc, asked = _pick(t, flag, "auto")
        _no_exception(t, exc, 'pick_device("auto")', flag)
        kind = _device_type(t, got, 'pick_device("auto")')
        want = "cuda" if flag else "cpu"
        t.mistake(kind != want and asked == 0,
                  ja=f"{i} 回目の呼び出しで、GPU が{'ある' if flag else 'ない'}のに {kind} を返しました。1 回目の結果を覚えておいて使い回したり、読み込み時に決めたりせず、呼ばれるたびに `torch.cuda.is_available()` を確かめてください。",
                  en=f"Call {i}: {'with' if flag else 'without'} a GPU it returned {kind}. Do not reuse an earlier answer or decide at import: ask `torch.cuda.is_available()` on every call.")
        t.equal(kind, want, name=f"pick_device(\"auto\").type on call {i} ({'with' if flag else 'without'} a GPU)")


@check(ja="\"cpu\" を頼まれたら、GPU があっても CPU", en="\"cpu\" means the CPU, even with a GPU")
def cpu_when_asked(t):
    got, exc, _ = _pick(t, True, "cpu")
    _no_exception(t, exc, 'pick_device("cpu")', True)
    kind = _device_type(t, got, 'pick_device("cpu")')
    t.mistake(kind == "cuda",
              ja="GPU があるとき、`pick_device(\"cpu\")` が cuda を返しました。引数 `want` を無視していませんか。\"cpu\" と頼まれたら、GPU があっても CPU を返します (GPU が混んでいるときなどに使います)。",
              en="With a GPU, `pick_device(\"cpu\")` returned cuda: does it ignore `want`? \"cpu\" means the CPU even when a GPU is there (useful when the GPUs are busy).")


@check(ja="\"cuda\" を頼まれたら GPU、なければ RuntimeError", en="\"cuda\" gives the GPU, or RuntimeError without one")
def cuda_when_asked(t):
    got, exc, _ = _pick(t, True, "cuda")
    _no_exception(t, exc, 'pick_device("cuda")', True)
    kind = _device_type(t, got, 'pick_device("cuda")')
    t.equal(kind, "cuda", name='pick_device("cuda").type with a GPU')

    got, exc, asked = _pick(t, False, "cuda")
    if exc is None:
        kind = _device_type(t, got, 'pick_device("cuda")')
        t.mistake(kind == "cpu",
                  ja="GPU がないとき、`pick_device(\"cuda\")` が黙って cpu を返しました。GPU を使うつもりの人が、CPU で何時間も学習してしまいます。GPU がないことを `raise RuntimeError(\"...\")` で知らせてください。",
                  en="Without a GPU, `pick_device(\"cuda\")` fell back to cpu in silence: whoever asked for the GPU would then train on the CPU for hours. Say that there is no GPU with `raise RuntimeError(\"...\")`.")
        t.fail(ja="GPU がないのに `pick_device(\"cuda\")` が cuda を返しました。`torch.cuda.is_available()` を確かめて、GPU がなければ RuntimeError を送出してください。",
               en="Without a GPU, `pick_device(\"cuda\")` returned cuda. Check `torch.cuda.is_available()` and raise RuntimeError when there is none.")
    t.expect(isinstance(exc, RuntimeError),
             ja=f"GPU がないときの `pick_device(\"cuda\")` が {describe(exc)} になりました。このときは RuntimeError を送出してください。",
             en=f"Without a GPU, `pick_device(\"cuda\")` should raise RuntimeError, but it raised {describe(exc)}.")
    t.mistake(asked == 0,
              ja="`pick_device(\"cuda\")` が `torch.cuda.is_available()` を確かめずにエラーを送出しています。",
              en="`pick_device(\"cuda\")` raised without asking `torch.cuda.is_available()`.")


@check(ja="このマシンでそのまま呼んでも正しい", en="right on this machine, nothing pretended")
def on_this_machine(t):
    got, exc = call(t, "pick_device")
    if exc is not None:
        t.fail(ja=f"`pick_device()` がエラーになりました: {describe(exc)}", en=f"`pick_device()` raised {describe(exc)}")
    kind = _device_type(t, got, "pick_device()")
    t.equal(kind, "cuda" if torch.cuda.is_available() else "cpu", name="pick_device().type on this machine")
    x = torch.ones(2, device=got)
    t.equal(x.device.type, kind, name="torch.ones(2, device=pick_device()).device.type")

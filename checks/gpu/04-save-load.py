"""Hidden checks for exercise 7.4 (load what was saved on another device).

A file "saved on a GPU" is made without a GPU: `torch.save` asks
`torch.serialization.location_tag(storage)` where each storage lives and
writes that tag into the file; the check answers "cuda:7" for a moment. Loading
such a file without `map_location` fails on a machine without a GPU (and on
one with fewer than 8 GPUs) exactly as a real one would. The checks also load
onto the `meta` device to catch a hard-coded "cpu" and a model that was
never moved.
"""

import contextlib
import os
import tempfile

import torch
import torch.serialization as serialization
from torch import nn

from tutor.checkkit import check

from _gpu import call, describe, patched

META = torch.device("meta")
TAG = "cuda:7"
_save = torch.save
_load = torch.load


class TinyNet(nn.Module):
    """The model handed to `load_into`.

    On the meta device there are no values to copy: when a state_dict of meta
    tensors is loaded into parameters that are still on the CPU (load first,
    move afterwards, a right order on a real GPU), the values are replaced by
    zeros instead of failing. The values themselves are judged on the real
    device in another check.
    """

    def __init__(self, d, h, k):
        super().__init__()
        self.fc1 = nn.Linear(d, h)
        self.fc2 = nn.Linear(h, k)
        self.loads = 0

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))

    def load_state_dict(self, state_dict, strict=True, assign=False):
        self.loads += 1
        mine = self.state_dict()
        fixed = {}
        for key, value in state_dict.items():
            if (isinstance(value, torch.Tensor) and value.device.type == "meta" and key in mine
                    and mine[key].device.type != "meta"):
                value = torch.zeros(value.shape, dtype=value.dtype)
            fixed[key] = value
        return super().load_state_dict(fixed, strict=strict, assign=assign)


def _net(t):
    d, h, k = t.rng.randint(2, 5), t.rng.randint(3, 7), t.rng.randint(1, 3)
    return TinyNet(d, h, k)


def _weights(t, net):
    """A state_dict for `net`'s shape with values drawn from the run's generator."""
    return {key: t.randn(*value.shape) for key, value in net.state_dict().items()}


@contextlib.contextmanager
def _file(weights, tag=None):
    """Save `weights` to a temporary file; with `tag`, as if its tensors were on that device."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.pt")
        if tag is None:
            _save(weights, path)
        else:
            with patched(serialization, "location_tag", lambda storage: tag):
                _save(weights, path)
        yield path


class LoadLog:
    """Replaces `torch.load` for a moment and records the `map_location` of every call."""

    def __init__(self):
        self.maps = []

    def load(self, *args, **kwargs):
        self.maps.append(kwargs["map_location"] if "map_location" in kwargs else args[1] if len(args) > 1 else None)
        return _load(*args, **kwargs)

    @contextlib.contextmanager
    def watching(self):
        with patched(torch, "load", self.load):
            yield self

    def cpu_mapped(self):
        for m in self.maps:
            if callable(m) or (isinstance(m, (str, torch.device)) and torch.device(m).type == "cpu"):
                return True
            if isinstance(m, dict) and any(str(v).startswith("cpu") for v in m.values()):
                return True
        return False


def _explain(t, exc, text):
    msg = str(exc)
    if "deserialize object on" in msg or "CUDA device" in msg:
        t.fail(ja=f"`{text}` が `map_location` を指定せずにファイルを読み込んでいます。`torch.save` は、テンソルが保存したときにどのデバイス (ここでは {TAG}) にあったかも記録するので、そのまま `torch.load` すると同じ GPU に戻そうとして、その GPU がないマシンではエラーになります。`torch.load(path, map_location=device)` と書いてください。",
               en=f"`{text}` loads the file without `map_location`. `torch.save` records the device every tensor was on ({TAG} here), and a plain `torch.load` puts it back there, which fails on a machine without that GPU. Write `torch.load(path, map_location=device)`.")
    if "no data" in msg and "meta" in msg:
        t.fail(ja=f"`{text}` が meta デバイスのテンソルから値を写そうとしています ({describe(exc)})。",
               en=f"`{text}` tried to copy values out of meta tensors ({describe(exc)}).")
    t.fail(ja=f"`{text}` がエラーになりました: {describe(exc)}", en=f"`{text}` raised {describe(exc)}")


def _check_state(t, got, weights, device, text):
    t.expect(isinstance(got, dict),
             ja=f"`{text}` が {type(got).__name__} を返しています。state_dict (テンソルの辞書) を返してください。",
             en=f"`{text}` should return the state_dict (a dict of tensors) but returned a {type(got).__name__}.")
    t.equal(sorted(got.keys()), sorted(weights.keys()), name=f"the keys of {text}")
    for key, value in weights.items():
        g = got[key]
        t.expect(isinstance(g, torch.Tensor),
                 ja=f"`{text}[{key!r}]` がテンソルではありません。", en=f"`{text}[{key!r}]` is not a tensor.")
        if g.device.type != device.type:
            return g.device
        if device.type != "meta":
            t.tensor(g.detach().cpu(), value, name=f"{text}[{key!r}]", atol=0.0, rtol=0.0)
    return None


def _wrong_device(t, log, where, device, text):
    if log.cpu_mapped():
        t.fail(ja=f"`{text}` のテンソルが {where} にあります。{device} に置いてください。`map_location` に CPU を決め打ちしていませんか (\"cpu\" や `lambda storage, loc: storage` など)。`map_location=device` と書けば、どのデバイスにも読み込めます。",
               en=f"The tensors of `{text}` are on {where} but should be on {device}: is the CPU hard-coded in `map_location` (\"cpu\", `lambda storage, loc: storage` ...)? With `map_location=device` it loads onto any device.")
    if log.maps and all(m is None for m in log.maps):
        t.fail(ja=f"`{text}` のテンソルが {where} にあります。{device} に置いてください。`map_location` を指定しないと、テンソルは保存したときのデバイスに戻ります。`torch.load(path, map_location=device)` と書いてください。",
               en=f"The tensors of `{text}` are on {where} but should be on {device}: without `map_location` tensors go back to the device they were saved from. Write `torch.load(path, map_location=device)`.")
    t.fail(ja=f"`{text}` のテンソルが {where} にあります。{device} に置いてください。",
           en=f"The tensors of `{text}` are on {where} but should be on {device}.")


@check(ja="GPU (cuda:7) で保存したファイルを、このデバイスに読み込む", en="a file saved on a GPU (cuda:7) loads onto this device")
def load_gpu_file(t):
    net = _net(t)
    weights = _weights(t, net)
    text = f"load_to(path, {t.device})"
    with _file(weights, TAG) as path:
        with LoadLog().watching() as log:
            got, exc = call(t, "load_to", path, t.device)
    if exc is not None:
        _explain(t, exc, text)
    where = _check_state(t, got, weights, t.device, text)
    if where is not None:
        _wrong_device(t, log, where, t.device, text)


@check(ja="どのデバイスにも読み込める (meta デバイスで確かめる)", en="loads onto any device (tried with the meta device)")
def load_any_device(t):
    net = _net(t)
    weights = _weights(t, net)
    text = "load_to(path, meta)"
    with _file(weights) as path:
        with LoadLog().watching() as log:
            got, exc = call(t, "load_to", path, META)
    if exc is not None:
        _explain(t, exc, text)
    where = _check_state(t, got, weights, META, text)
    if where is not None:
        _wrong_device(t, log, where, META, text)


def _check_model(t, model, got, device, text):
    t.mistake(got is None,
              ja=f"`{text}` が None を返しています。最後に `return model` を書いてください。",
              en=f"`{text}` returned None: end with `return model`.")
    t.expect(isinstance(got, nn.Module),
             ja=f"`{text}` が {type(got).__name__} を返しています。モデル (nn.Module) を返してください。",
             en=f"`{text}` should return the model (an nn.Module) but returned a {type(got).__name__}.")
    t.expect(model.loads > 0 or got is not model,
             ja=f"`{text}` が `model.load_state_dict(...)` を呼んでいません。保存した重みをモデルに読み込んでください。",
             en=f"`{text}` never calls `model.load_state_dict(...)`: load the saved weights into the model.")
    for name, p in got.named_parameters():
        if p.device.type != device.type:
            t.fail(ja=f"`{text}` が返したモデルのパラメータ `{name}` が {p.device} にあります。{device} に置いてください。`load_state_dict` は値をモデルの今のパラメータに写すだけで、モデルを移しはしません。`model.to(device)` でモデルも移してください。",
                   en=f"Parameter `{name}` of the model returned by `{text}` is on {p.device} but should be on {device}. `load_state_dict` copies values into the model's current parameters and does not move the model: move it with `model.to(device)` too.")


@check(ja="`load_into`: GPU (cuda:7) で保存した重みで、このデバイスのモデルになる", en="`load_into`: weights saved on a GPU (cuda:7) give a model on this device")
def load_into_here(t):
    model = _net(t)
    weights = _weights(t, model)
    text = f"load_into(model, path, {t.device})"
    with _file(weights, TAG) as path:
        with LoadLog().watching():
            got, exc = call(t, "load_into", model, path, t.device)
    if exc is not None:
        _explain(t, exc, text)
    _check_model(t, model, got, t.device, text)
    state = got.state_dict()
    for key, value in weights.items():
        t.tensor(state[key].detach().cpu(), value, name=f"{key} of the loaded model", atol=0.0, rtol=0.0)


@check(ja="`load_into`: どのデバイスにもモデルを移す (meta デバイスで確かめる)", en="`load_into`: moves the model to any device (tried with the meta device)")
def load_into_any_device(t):
    model = _net(t)
    weights = _weights(t, model)
    text = "load_into(model, path, meta)"
    with _file(weights) as path:
        with LoadLog().watching():
            got, exc = call(t, "load_into", model, path, META)
    if exc is not None:
        _explain(t, exc, text)
    _check_model(t, model, got, META, text)

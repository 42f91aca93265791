"""Hidden checks for exercise 6.4 (4-D (N, C, H, W) inputs: channels first, a batch even for one image)."""

import torch
from torch import nn

from tutor.checkkit import check

_from_numpy = torch.from_numpy
_is_grad_enabled = torch.is_grad_enabled


class _BadInput(Exception):
    """Raised by the probe model when it is fed a tensor of the wrong layout."""

    def __init__(self, kind, shape):
        super().__init__(kind)
        self.kind, self.shape = kind, shape


class _Probe(nn.Module):
    """A small CNN made by the check (conv -> ReLU -> global max pool -> fc) that
    stops with a clear reason when its input is not (N, C, H, W)."""

    def __init__(self, t, channels, classes):
        super().__init__()
        self.channels = channels
        self.conv = nn.Conv2d(channels, 6, 3, padding=1)
        self.drop = nn.Dropout(0.5)  # so a prediction in training mode shows
        self.fc = nn.Linear(6, classes)
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(t.randn(*p.shape))
        self.seen = []
        self.modes = []
        """(training, autograd on) of every forward."""

    def forward(self, x):
        shape = tuple(x.shape)
        self.seen.append(shape)
        self.modes.append((self.training, _is_grad_enabled()))
        if x.dim() != 4:
            raise _BadInput("ndim", shape)
        if shape[1] != self.channels:
            raise _BadInput("nhwc" if shape[3] == self.channels else "channels", shape)
        h = torch.relu(self.conv(x))
        return self.fc(self.drop(h.amax(dim=(2, 3))))


def _judge_modes(t, model, name):
    """Predictions run in evaluation mode and without autograd, as the stub asks."""
    t.mistake(any(training for training, _ in model.modes),
              ja=f"`{name}` がモデルを学習モードのまま予測に使っています (このモデルのドロップアウトが働いたままです)。予測の前に `model.eval()` を呼んでください。",
              en=f"`{name}` predicts with the model still in training mode (its dropout is on): call `model.eval()` before predicting.")
    t.mistake(any(grad for _, grad in model.modes),
              ja=f"`{name}` が勾配を記録しながら (with gradients on) モデルを計算しています。予測に勾配は要らないので、`with torch.no_grad():` の中で計算してください。",
              en=f"`{name}` runs the model with gradients on: predictions need no gradients, so compute them inside `with torch.no_grad():`.")


def _sizes(t, channels):
    while True:
        h, w = t.rng.randint(5, 12), t.rng.randint(5, 12)
        if h != w and channels not in (h, w):
            return h, w


def _images(t, n, h, w, c):
    return torch.randint(0, 256, (n, h, w, c), generator=t.gen, dtype=torch.uint8).numpy()


def _shape(s):
    return "(" + ", ".join(str(d) for d in s) + ")"


def _bad_input_failure(t, name, exc, c, h, w):
    if exc.kind == "ndim":
        t.fail(ja=f"`{name}` がモデルに {len(exc.shape)} 次元のテンソル {_shape(exc.shape)} を渡していて、バッチの次元がありません。`Conv2d` を使うモデルへの入力は、画像が 1 枚でも "
                  f"(N, C, H, W) の 4 次元です。`image.unsqueeze(0)` でバッチの次元を付けて (1, {c}, {h}, {w}) にしてください。"
                  "3 次元のままだと、PyTorch は「バッチのない 1 枚」と解釈することがあり、平坦化のところで形が合わなくなります。",
               en=f"`{name}` feeds the model a {len(exc.shape)}-D tensor {_shape(exc.shape)} (a 3-D input, missing the batch dimension). A model with `Conv2d` takes "
                  f"4-D input (N, C, H, W), even for one image: add the batch dimension with `image.unsqueeze(0)` to get (1, {c}, {h}, {w}). "
                  "Given 3-D input, PyTorch may treat it as one unbatched image, and the shapes stop fitting at the flatten step.")
    if exc.kind == "nhwc":
        t.fail(ja=f"`{name}` がモデルに形 {_shape(exc.shape)} のテンソルを渡しています。これはチャネルが最後に来る (N, H, W, C) の並び (channels-last) です。"
                  f"PyTorch の `Conv2d` は (N, C, H, W) を受け取るので、このままでは高さの {exc.shape[1]} をチャネル数と読んでしまいます。"
                  "`permute(0, 3, 1, 2)` で軸を並べ替えてから渡してください (`to_nchw` を使いましょう)。",
               en=f"`{name}` feeds the model a tensor of shape {_shape(exc.shape)}: channels-last (N, H, W, C). "
                  f"PyTorch's `Conv2d` takes (N, C, H, W), so it would read the height {exc.shape[1]} as the number of channels. "
                  "Reorder the axes with `permute(0, 3, 1, 2)` before the model (use your `to_nchw`).")
    t.fail(ja=f"`{name}` がモデルに形 {_shape(exc.shape)} のテンソルを渡しています。(N, {c}, {h}, {w}) にしてください。",
           en=f"`{name}` feeds the model a tensor of shape {_shape(exc.shape)}, but it should be (N, {c}, {h}, {w}).")


@check(ja="(N, H, W, C) の uint8 配列を (N, C, H, W) の float32 テンソルに", en="a uint8 (N, H, W, C) array to a float32 (N, C, H, W) tensor")
def nchw(t):
    for c in (3, 1):
        n = t.rng.randint(2, 5)
        h, w = _sizes(t, c)
        arr = _images(t, n, h, w, c)
        want = _from_numpy(arr.copy()).permute(0, 3, 1, 2).float() / 255.0
        name = f"to_nchw(array of shape ({n}, {h}, {w}, {c}))"
        got = t.call("to_nchw", arr.copy())
        if isinstance(got, torch.Tensor) and type(got) is torch.Tensor:
            shape = tuple(got.shape)
            t.mistake(shape == (n, h, w, c),
                      ja=f"`{name}` の形が {_shape(shape)} で、チャネルが最後にある (N, H, W, C) の並び (channels-last) のままです。PyTorch の画像は (N, C, H, W) です。"
                         "`permute(0, 3, 1, 2)` で軸を並べ替えてください。",
                      en=f"`{name}` has shape {_shape(shape)}: still channels-last (N, H, W, C). PyTorch images are (N, C, H, W): "
                         "reorder the axes with `permute(0, 3, 1, 2)`.")
            t.mistake(shape == (n, c, w, h),
                      ja=f"`{name}` の形が {_shape(shape)} で、高さと幅が入れ替わっています。(N, H, W, C) の軸 0, 3, 1, 2 をこの順に並べると (N, C, H, W) です。",
                      en=f"`{name}` has shape {_shape(shape)}: height and width are swapped. Taking the axes 0, 3, 1, 2 of (N, H, W, C) in this order gives (N, C, H, W).")
            if shape == (n, c, h, w) and c > 1:
                scrambled = _from_numpy(arr.copy()).reshape(n, c, h, w).double()
                g = got.detach().double()
                t.mistake(bool(torch.allclose(g, scrambled / 255.0, atol=1e-5)) or bool(torch.allclose(g, scrambled, atol=1e-3)),
                          ja=f"`{name}` の形は (N, C, H, W) ですが、`reshape` (または `view`) で作ったため画素がばらばらに並び替わっています。`reshape` はメモリ上の並びを"
                             "そのまま新しい形に詰め直すだけで、軸を入れ替えはしません。軸の入れ替えは `permute(0, 3, 1, 2)` です。",
                          en=f"`{name}` has the shape (N, C, H, W), but made with `reshape` (or `view`) the pixels are scrambled: `reshape` refills the new shape in memory order "
                             "and never moves an axis. Moving axes is `permute(0, 3, 1, 2)`.")
            if shape == (n, c, h, w):
                t.mistake(bool(torch.allclose(got.detach().double(), want.double() * 255, atol=1e-3)),
                          ja=f"`{name}` の値が 0 から 255 のままです。`ToTensor()` と同じく 255 で割って 0 から 1 にしてください。",
                          en=f"`{name}` still holds values from 0 to 255. Divide by 255 to get 0 to 1, as `ToTensor()` does.")
        t.tensor(got, want, name=name, atol=1e-6, rtol=1e-5)


@check(ja="1 枚の画像 (C, H, W) もバッチ (1, C, H, W) にしてから予測する", en="one image (C, H, W) goes into the model as a batch (1, C, H, W)")
def one_image(t):
    for c in (1, 3):
        h, w = _sizes(t, c)
        classes = t.rng.randint(3, 10)
        model = _Probe(t, c, classes).eval()
        image = t.randn(c, h, w)
        with torch.no_grad():
            want = int(model(image.unsqueeze(0)).argmax(dim=1))
        model.seen.clear()
        model.modes.clear()
        model.train()  # as it is right after training
        name = f"predict_one(model, image of shape ({c}, {h}, {w}))"
        try:
            got = t.call("predict_one", model, image.clone())
        except _BadInput as exc:
            _bad_input_failure(t, name, exc, c, h, w)
        t.expect(len(model.seen) > 0,
                 ja=f"`{name}` がモデルを呼んでいません。", en=f"`{name}` never calls the model.")
        _judge_modes(t, model, name)
        t.mistake(isinstance(got, torch.Tensor),
                  ja=f"`{name}` がテンソルを返しています。クラスの番号を Python の int で返してください (`.item()` で取り出せます)。",
                  en=f"`{name}` returns a tensor. Return the class number as a Python int (`.item()` gets it out).")
        t.equal(got, want, name=name)


@check(ja="(N, H, W, C) の画像をまとめて予測する (channels-last のまま渡さない)", en="predict a batch of (N, H, W, C) images (without feeding channels-last to the model)")
def batch(t):
    c = 3
    n = t.rng.randint(3, 8)
    h, w = _sizes(t, c)
    classes = t.rng.randint(3, 10)
    model = _Probe(t, c, classes).eval()
    arr = _images(t, n, h, w, c)
    with torch.no_grad():
        want = model(_from_numpy(arr.copy()).permute(0, 3, 1, 2).float() / 255.0).argmax(dim=1)
    model.modes.clear()
    model.train()  # as it is right after training
    name = f"predict_batch(model, array of shape ({n}, {h}, {w}, {c}))"
    try:
        got = t.call("predict_batch", model, arr.copy())
    except _BadInput as exc:
        _bad_input_failure(t, name, exc, c, h, w)
    _judge_modes(t, model, name)
    t.mistake(isinstance(got, torch.Tensor) and got.dim() == 0,
              ja=f"`{name}` が 1 つの数しか返しません。`argmax()` を `dim` なしで呼ぶと、バッチ全体を平らにした中で最大の位置を 1 つ返します。各画像のクラスは `argmax(dim=1)` で求めてください。",
              en=f"`{name}` returns a single number: `argmax()` without `dim` flattens the whole batch and gives one position. Take each image's class with `argmax(dim=1)`.")
    t.mistake(isinstance(got, torch.Tensor) and tuple(got.shape) == (classes,) and n != classes,
              ja=f"`{name}` の予測が {classes} 個 (クラスの数) あります。`argmax` がサンプルの次元 (`dim=0`) にかかっています。各画像のクラスの次元 `argmax(dim=1)` をとってください。",
              en=f"`{name}` gives {classes} predictions, one per class: `argmax` runs over the samples (`dim=0`). Take it over each image's classes, `argmax(dim=1)`.")
    t.tensor(got, want, name=name, atol=0, rtol=0)

"""Hidden checks for exercise 6.3 (the lecture's MNIST CNN, its flatten size and parameter count)."""

import torch
from torch import nn

from tutor.checkkit import check
from _cnn import build, flatten_failure, run_model  # checks/cnn/_cnn.py

_relu, _conv2d, _max_pool2d, _linear = torch.relu, torch.conv2d, torch.max_pool2d, torch._C._nn.linear
_softmax, _log_softmax = torch.softmax, torch.log_softmax

TOTAL = 1_199_882
BREAKDOWN = ("conv1: 32*1*3*3 + 32 = 320, conv2: 64*32*3*3 + 64 = 18,496, "
             "fc1: 9216*128 + 128 = 1,179,776, fc2: 128*10 + 10 = 1,290")


def _layers(model):
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return convs, linears


def _structure(t, model):
    convs, linears = _layers(model)
    got = [(m.in_channels, m.out_channels, tuple(m.kernel_size)) for m in convs]
    t.expect(got == [(1, 32, (3, 3)), (32, 64, (3, 3))],
             ja=f"`LectureCNN` の畳み込み層が {got} になっています。Conv2d(1, 32, 3) と Conv2d(32, 64, 3) の 2 つにしてください ((入力チャネル, 出力チャネル, カーネルサイズ) の順)。",
             en=f"The conv layers of `LectureCNN` are {got}, but should be Conv2d(1, 32, 3) and Conv2d(32, 64, 3) (in channels, out channels, kernel size).")
    for m in convs:
        t.expect(tuple(m.stride) == (1, 1) and tuple(m.padding) == (0, 0),
                 ja=f"講義の畳み込み層はストライド 1、パディング 0 (既定値) ですが、stride={tuple(m.stride)}, padding={tuple(m.padding)} になっています。",
                 en=f"The lecture's conv layers use stride 1 and padding 0 (the defaults), not stride={tuple(m.stride)}, padding={tuple(m.padding)}.")
    t.expect(len(linears) == 2,
             ja=f"`LectureCNN` の全結合層が {len(linears)} 個になっています。fc1 と fc2 の 2 つにしてください。",
             en=f"`LectureCNN` has {len(linears)} fully connected layer(s); it should have two, fc1 and fc2.")
    first = linears[0].in_features
    if first != 12 * 12 * 64:
        hint_ja, hint_en = "", ""
        if first == 24 * 24 * 64:
            hint_ja, hint_en = "24*24*64 は、プーリング (24 → 12) の前の大きさです。", "24*24*64 is the size before the pooling (24 -> 12)."
        elif first == 12 * 12:
            hint_ja, hint_en = "12*12 には、チャネル数 64 が掛かっていません。", "12*12 leaves out the 64 channels."
        elif first == 11 * 11 * 64:
            hint_ja, hint_en = "11*11*64 は、プーリングを 1 つ目の畳み込み層のすぐあとに置いたときの大きさです。", "11*11*64 is what you get with the pooling right after the first conv layer."
        flatten_failure(t, "LectureCNN",
                        f"最初の全結合層の入力数が {first} になっています。28 → 26 (conv1) → 24 (conv2) → 12 (プーリング) なので、64 チャネル × 12 × 12 = 9216 になります。{hint_ja}",
                        f"The first fully connected layer takes {first} inputs, but 28 -> 26 (conv1) -> 24 (conv2) -> 12 (pooling) leaves 64 channels x 12 x 12 = 9216. {hint_en}")
    got = [(m.in_features, m.out_features) for m in linears]
    t.expect(got == [(9216, 128), (128, 10)],
             ja=f"`LectureCNN` の全結合層が {got} になっています。Linear(9216, 128) と Linear(128, 10) にしてください。",
             en=f"The fully connected layers of `LectureCNN` are {got}, but should be Linear(9216, 128) and Linear(128, 10).")
    return convs, linears


def _reference(convs, linears, x, relu=True, skip=None):
    """The lecture's CNN on x with the layers' own weights; `relu=False` leaves out every ReLU,
    `skip` ("conv1", "conv2" or "fc1") only the one after that layer."""
    def act(z, after):
        return z if not relu or skip == after else _relu(z)
    c1, c2 = convs
    f1, f2 = linears
    h = act(_conv2d(x, c1.weight, c1.bias), "conv1")
    h = act(_conv2d(h, c2.weight, c2.bias), "conv2")
    h = _max_pool2d(h, 2)
    h = h.reshape(h.shape[0], -1)
    h = act(_linear(h, f1.weight, f1.bias), "fc1")
    return _linear(h, f2.weight, f2.bias)


@check(ja="講義の CNN の層と、パラメータ数 1,199,882", en="the lecture's CNN: its layers and 1,199,882 parameters")
def layers(t):
    model = build(t, "LectureCNN")
    _structure(t, model)
    count = sum(p.numel() for p in model.parameters())
    t.expect(count == TOTAL,
             ja=f"`LectureCNN()` に登録されたパラメータが {count:,} 個になっています。{TOTAL:,} 個にしてください ({BREAKDOWN})。",
             en=f"`LectureCNN()` has {count:,} registered parameters; it should have {TOTAL:,} ({BREAKDOWN}).")


@check(ja="順伝播: conv → ReLU → conv → ReLU → プーリング → 平坦化 → fc → ReLU → fc", en="forward: conv -> ReLU -> conv -> ReLU -> pool -> flatten -> fc -> ReLU -> fc")
def forward(t):
    model = build(t, "LectureCNN")
    convs, linears = _structure(t, model)
    with torch.no_grad():  # the run's own weights, so a copy of some other network cannot pass
        for m in convs + linears:
            fan_in = m.weight[0].numel()
            m.weight.copy_(t.randn(*m.weight.shape) * (2.0 / fan_in) ** 0.5)
            m.bias.copy_(t.randn(*m.bias.shape) * 0.05)
    model.eval()
    for n in (t.rng.randint(2, 6), 1):
        x = t.randn(n, 1, 28, 28)
        with torch.no_grad():
            out = run_model(t, model, x, "LectureCNN")
            want = _reference(convs, linears, x)
            plain = out.detach().double()
            close = lambda a: bool(torch.allclose(plain, a.double(), atol=1e-4, rtol=1e-3))
            if close(_log_softmax(want, dim=1)) and not close(want):
                continue  # the lecture's F.log_softmax at the end: the same prediction, fine for CrossEntropyLoss too
            t.mistake(close(_softmax(want, dim=1)),
                      ja="`LectureCNN` の出力にソフトマックス関数がかかっています。`nn.CrossEntropyLoss` は中でソフトマックス関数を計算するので、モデルは生の出力 (ロジット) を返してください "
                         "(講義のように `F.log_softmax` を返すのはかまいません)。",
                      en="The output of `LectureCNN` has been through a softmax. `nn.CrossEntropyLoss` contains the softmax, so return the raw outputs (logits) "
                         "(returning `F.log_softmax` as the lecture does is fine too).")
            t.mistake(close(_reference(convs, linears, x, relu=False)),
                      ja="`LectureCNN` の層の間に ReLU がありません。conv1、conv2、fc1 のあとに ReLU を入れてください。活性化関数がないと、いくつ層を重ねても 1 つの線形な変換と同じです。",
                      en="`LectureCNN` has no ReLU between its layers. Put a ReLU after conv1, conv2 and fc1: without an activation, any number of layers is one linear map.")
            for layer in ("conv1", "conv2", "fc1"):
                t.mistake(close(_reference(convs, linears, x, skip=layer)),
                          ja=f"`LectureCNN` の {layer} のあとに ReLU (活性化関数) がありません。講義の CNN は conv1、conv2、fc1 のどのあとにも ReLU を入れます。",
                          en=f"`LectureCNN` has no ReLU (activation) after {layer}. The lecture's CNN puts a ReLU after each of conv1, conv2 and fc1.")
            t.tensor(out, want, name=f"LectureCNN()(x) for x of shape ({n}, 1, 28, 28)", atol=1e-4, rtol=1e-3)


def _random_model(t):
    """A small CNN drawn per run (conv layers with and without bias, pooling, fully connected layers)."""
    c_in = t.rng.choice([1, 3])
    c1, c2 = t.rng.randint(2, 12), t.rng.randint(2, 12)
    k1, k2 = t.rng.choice([3, 5]), t.rng.choice([1, 3])
    hidden = t.rng.randint(5, 40)
    size = 16
    after = ((size - k1 + 1) // 2 - k2 + 1)
    return nn.Sequential(
        nn.Conv2d(c_in, c1, k1, bias=t.rng.random() < 0.7), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, k2, bias=t.rng.random() < 0.7), nn.ReLU(), nn.Flatten(),
        nn.Linear(c2 * after * after, hidden), nn.ReLU(), nn.Linear(hidden, t.rng.randint(2, 10)),
    )


@check(ja="`count_parameters` が講義の CNN と毎回ちがう CNN で正しい", en="`count_parameters` is right for the lecture's CNN and for CNNs drawn per run")
def count(t):
    lecture = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Linear(128, 10))
    for model, label in [(lecture, "the lecture's CNN"), (_random_model(t), "a CNN drawn for this run"), (_random_model(t), "another CNN drawn for this run")]:
        want = sum(p.numel() for p in model.parameters())
        got = t.call("count_parameters", model)
        name = f"count_parameters({label})"
        tensors = len(list(model.parameters()))
        linear_only = sum(p.numel() for m in model.modules() if isinstance(m, nn.Linear) for p in m.parameters())
        weights_only = sum(p.numel() for n, p in model.named_parameters() if n.endswith("weight"))
        t.mistake(got == tensors and got != want,
                  ja=f"`{name}` が {got} で、パラメータのテンソルの個数 (層 1 つにつき重みとバイアスの 2 個) を数えています。数えるのは、それぞれのテンソルの要素数 `numel()` の合計です。",
                  en=f"`{name}` is {got}, the number of parameter tensors (a weight and a bias per layer). Count the numbers inside them: the sum of each tensor's `numel()`.")
        t.mistake(got == linear_only and got != want,
                  ja=f"`{name}` が {got} で、全結合層の分しか数えていません。畳み込み層にも重み (out, in, kh, kw) とバイアス (out,) があります。",
                  en=f"`{name}` is {got}: only the fully connected layers are counted. Conv layers have a weight (out, in, kh, kw) and a bias (out,) too.")
        t.mistake(got == weights_only and got != want,
                  ja=f"`{name}` が {got} で、バイアスを数えていません。",
                  en=f"`{name}` is {got}: the biases are not counted.")
        t.mistake(isinstance(got, int) and got != want and got % tensors == 0 and got // tensors > 1,
                  ja=f"`{name}` が {got} で、{tensors} 個のパラメータのテンソルをどれも {got // tensors} 個の数値 (要素数) として数えています。テンソルごとに実際の要素数 `numel()` を足してください。",
                  en=f"`{name}` is {got}: each of the {tensors} parameter tensors counted as {got // tensors} numbers. Add up each tensor's actual number of elements, `numel()`.")
        t.equal(got, want, name=name)

"""Hidden checks for exercise 5.8 (torchvision transforms: constants, augmentation, v2).

The images are real MNIST training images drawn per run, as uint8 tensors and
as the PIL images `datasets.MNIST` hands to its transform.
"""

import torch

from tutor.checkkit import check
from _mnist import raw, subset  # checks/mnist/_mnist.py

_manual_seed = torch.manual_seed


def _plain(out):
    """v2 returns torchvision's own tensor subclass `tv_tensors.Image`; judge it as the plain tensor it wraps."""
    from torchvision import tv_tensors

    return out.as_subclass(torch.Tensor) if type(out) is tv_tensors.Image else out


def _pil(t, n):
    from PIL import Image

    data, _ = raw(True)
    idx = subset(t, True, n)
    return [Image.fromarray(data[int(i)].numpy(), mode="L") for i in idx], data[idx]


def _steps(transform):
    """The transforms inside a Compose (nested ones too), or the transform itself."""
    inner = getattr(transform, "transforms", None)
    if isinstance(inner, (list, tuple)):
        return [s for step in inner for s in _steps(step)]
    return [transform]


def _judge_steps(t, transform, name):
    t.expect(callable(transform),
             ja=f"`{name}` が変換 (呼び出せるもの) を返していません ({type(transform).__name__})。`v2.Compose([...])` を返してください。",
             en=f"`{name}` does not return a transform (something callable) but a {type(transform).__name__}: return a `v2.Compose([...])`.")
    steps = _steps(transform)
    old = [type(s).__name__ for s in steps if type(s).__module__.startswith("torchvision.transforms") and ".v2" not in type(s).__module__]
    t.expect(not old,
             ja=f"`{name}` に、古い `torchvision.transforms` の変換 ({', '.join(old)}) が入っています。この演習では `from torchvision.transforms import v2` の変換を使ってください"
                "(v2 では `ToTensor` の代わりに `v2.ToImage()` と `v2.ToDtype(torch.float32, scale=True)` を使います)。",
             en=f"`{name}` holds transforms of the old `torchvision.transforms` ({', '.join(old)}). This exercise uses those of `from torchvision.transforms import v2` "
                "(in v2, `v2.ToImage()` and `v2.ToDtype(torch.float32, scale=True)` replace `ToTensor`).")
    return steps


@check(ja="`channel_stats`: 訓練画像の全画素の平均と標準偏差 (0 から 1 の尺度)", en="`channel_stats`: mean and std of all pixels of the training images (0..1 scale)")
def stats(t):
    data, _ = raw(True)
    part = data[subset(t, True, 4000)]
    got = t.call("channel_stats", part.clone())
    t.expect(isinstance(got, (tuple, list)) and len(got) == 2,
             ja="`channel_stats` は (mean, std) の 2 つを返すようにしてください。", en="`channel_stats` should return two values, (mean, std).")
    x = part.double() / 255
    mean, std = float(x.mean()), float(x.std())
    value = [float(v) if isinstance(v, (int, float)) or (isinstance(v, torch.Tensor) and v.numel() == 1) else None for v in got]
    t.expect(None not in value, ja="`channel_stats` の mean と std は数値 (float) で返してください。", en="Return the mean and std of `channel_stats` as numbers (floats).")
    t.mistake(abs(value[0] - mean * 255) < 0.1,
              ja=f"`channel_stats` の平均が {value[0]:.4g} で、0 から 255 の尺度のままです。`v2.ToDtype(torch.float32, scale=True)` は画素を 255 で割るので、定数も 255 で割った値 (およそ {mean:.4f}) にしてください。",
              en=f"The mean from `channel_stats` is {value[0]:.4g}, still on the 0..255 scale. `v2.ToDtype(torch.float32, scale=True)` divides the pixels by 255, so the constants must be too (about {mean:.4f}).")
    per_image = float((part.double() / 255).flatten(1).std(dim=1).mean())
    t.mistake(abs(value[1] - per_image) < 1e-4 and abs(per_image - std) > 1e-3,
              ja="`channel_stats` の標準偏差が、画像ごとの標準偏差の平均になっています。正規化の定数は、すべての画像のすべての画素をまとめた標準偏差です。",
              en="The std from `channel_stats` is the mean of the images' own standard deviations. The normalization constant is the standard deviation of all pixels of all images together.")
    t.scalar(value[0], mean, name="channel_stats(data) mean", atol=1e-4, rtol=1e-4)
    t.scalar(value[1], std, name="channel_stats(data) std", atol=1e-4, rtol=1e-4)


@check(ja="`test_transform`: v2 で、0 から 1 にして正規化するだけ (ランダムな処理なし)", en="`test_transform`: v2, scaled to 0..1 and normalized, nothing random")
def testing(t):
    mean, std = t.uniform(0.1, 0.2), t.uniform(0.25, 0.35)
    transform = t.call("test_transform", mean, std)
    _judge_steps(t, transform, "test_transform(mean, std)")
    images, data = _pil(t, 6)
    for k, (image, raw_image) in enumerate(zip(images, data)):
        want = ((raw_image.float() / 255 - mean) / std).unsqueeze(0)
        _manual_seed(k)
        first = _plain(transform(image))
        _manual_seed(k + 100)
        second = _plain(transform(image))
        name = f"test_transform(mean, std)(image {k})"
        if isinstance(first, torch.Tensor) and first.shape == want.shape:
            t.mistake(bool(torch.allclose(first.float(), (raw_image.float() - mean) / std, atol=1e-3)) if first.dim() == 2 else
                      bool(torch.allclose(first.float(), ((raw_image.float() - mean) / std).unsqueeze(0), atol=1e-3)),
                      ja=f"`{name}` が 0 から 255 のまま正規化しています。`v2.ToDtype(torch.float32, scale=True)` の `scale=True` で 0 から 1 にしてから正規化してください。",
                      en=f"`{name}` normalizes values still on 0..255. Scale them to 0..1 first: the `scale=True` of `v2.ToDtype(torch.float32, scale=True)`.")
        t.expect(torch.equal(torch.as_tensor(first), torch.as_tensor(second)),
                 ja="`test_transform` の結果が呼ぶたびに変わります。テストデータの変換にはデータ拡張のようなランダムな処理を入れないでください。評価が毎回違う画像で行われてしまいます。",
                 en="The result of `test_transform` changes from call to call. Keep random steps such as augmentation out of the test transform: evaluation would see different images every time.")
        t.tensor(first, want, name=name, atol=1e-4, rtol=1e-4)


@check(ja="`train_transform`: 反転しないランダムな拡張のあとで、同じ正規化", en="`train_transform`: a random augmentation without flips, then the same normalization")
def training(t):
    mean, std = t.uniform(0.1, 0.2), t.uniform(0.25, 0.35)
    transform = t.call("train_transform", mean, std)
    steps = _judge_steps(t, transform, "train_transform(mean, std)")
    flips = [type(s).__name__ for s in steps if "Flip" in type(s).__name__]
    t.expect(not flips,
             ja=f"`train_transform` に反転 ({', '.join(flips)}) が入っています。左右や上下を反転した 2 や 7 は数字になりません。数字の画像の拡張は、少しずらす・回すくらいにしてください。",
             en=f"`train_transform` flips the images ({', '.join(flips)}). A mirrored 2 or 7 is no digit: augment digits with small shifts and rotations.")
    images, data = _pil(t, 12)
    changed, outputs = 0, []
    for k, image in enumerate(images):
        _manual_seed(t.seed + k)
        a = _plain(transform(image))
        _manual_seed(t.seed + k + 1000)
        b = _plain(transform(image))
        name = f"train_transform(mean, std)(image {k})"
        plain = t.shape(a, (1, 28, 28), name=name)
        t.dtype(a, torch.float32, name=name)
        changed += not torch.equal(torch.as_tensor(a), torch.as_tensor(b))
        outputs.append(plain)
    t.expect(changed >= 3,
             ja=f"`train_transform` の結果が、同じ画像で呼び直してもほとんど変わりません ({len(images)} 枚中 {changed} 枚だけ)。ランダムなデータ拡張 (v2.RandomAffine など) を入れてください。",
             en=f"`train_transform` gives almost the same result when called again on the same image (only {changed} of {len(images)} changed): put in a random augmentation (v2.RandomAffine or the like).")
    background = min(float(o.min()) for o in outputs)
    t.scalar(background, (0 - mean) / std, name="the background (a 0 pixel) after train_transform, (0 - mean) / std", atol=2e-3, rtol=1e-3)
    t.plot_images("augmented", ja="訓練データの拡張の例", en="examples of training augmentation",
                  images=torch.stack([o[0] for o in outputs[:8]]))

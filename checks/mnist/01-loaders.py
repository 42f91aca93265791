"""Hidden checks for exercise 5.1 (loading MNIST: the course's transforms and DataLoaders)."""

import torch
from torch.utils.data import DataLoader, RandomSampler, SequentialSampler

from tutor.checkkit import check
from tutor.checkkit.compare import plain_tensor
from _mnist import TEST_SIZE, TRAIN_SIZE, course_images, dataset, raw  # checks/mnist/_mnist.py

# Batch sizes that never divide 10,000, so the test loader always ends with a short batch.
BATCH_SIZES = (48, 64, 96, 128, 150, 256)
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081  # the usual MNIST standardization found online


def _close(a, b):
    return a.shape == b.shape and bool(torch.allclose(a.double(), b.double(), atol=1e-5))


def _values(t, got, raw_bytes, name):
    """Compare the student's image tensor with the course's, naming the usual transform mistakes."""
    plain_bytes = raw_bytes.double() / 255
    t.mistake(got.shape == raw_bytes.shape[-3:] and got.dtype == torch.uint8,
              ja=f"`{name}` が 0 から 255 の整数 (uint8) のままです。`transforms.ToTensor()` は画素値を 255 で割って 0 から 1 の float32 にします (`PILToTensor` は割りません)。",
              en=f"`{name}` still holds integers from 0 to 255 (uint8). `transforms.ToTensor()` divides the pixels by 255 into float32 between 0 and 1 (`PILToTensor` does not).")
    if got.shape != plain_bytes.shape or not got.is_floating_point():
        return
    t.mistake(_close(got, plain_bytes),
              ja=f"`{name}` の値が 0 から 1 の範囲にあります。`ToTensor()` だけで、`transforms.Normalize((0.5,), (1.0,))` がかかっていません。"
                 "この講義では 0.5 を引いて -0.5 から 0.5 にそろえます。",
              en=f"`{name}` lies between 0 and 1: only `ToTensor()` ran, `transforms.Normalize((0.5,), (1.0,))` is missing. "
                 "This course subtracts 0.5 to bring the values to -0.5 .. 0.5.")
    t.mistake(_close(got, (plain_bytes - 0.5) / 0.5),
              ja=f"`{name}` の値が -1 から 1 の範囲にあります。`Normalize((0.5,), (0.5,))` と、標準偏差に 0.5 を指定しています。"
                 "この講義の変換は `Normalize((0.5,), (1.0,))` で、0.5 を引くだけ (1.0 で割る) なので、値は -0.5 から 0.5 になります。",
              en=f"`{name}` lies between -1 and 1: you pass 0.5 as the standard deviation, `Normalize((0.5,), (0.5,))`. "
                 "The course's transform is `Normalize((0.5,), (1.0,))`: subtract 0.5 and divide by 1.0, which gives -0.5 .. 0.5.")
    t.mistake(_close(got, (plain_bytes - MNIST_MEAN) / MNIST_STD),
              ja=f"`{name}` は MNIST の平均と標準偏差 ((0.1307,), (0.3081,)) で標準化されています。よく見かける書き方ですが、この講義の変換は `Normalize((0.5,), (1.0,))` です。",
              en=f"`{name}` is standardized with MNIST's mean and standard deviation ((0.1307,), (0.3081,)). That is common, but the course's transform is `Normalize((0.5,), (1.0,))`.")


@check(ja="変換 `make_transform()` は ToTensor と Normalize((0.5,), (1.0,))", en="`make_transform()` is ToTensor then Normalize((0.5,), (1.0,))")
def transform(t):
    tf = t.call("make_transform")
    t.expect(callable(tf),
             ja=f"`make_transform()` が {type(tf).__name__} を返しています。画像に適用できる変換 (`transforms.Compose([...])`) を返してください。",
             en=f"`make_transform()` should return a transform you can apply to an image (`transforms.Compose([...])`), but returned a {type(tf).__name__}.")
    source = dataset(False)  # PIL images, as the dataset hands them to its transform
    data, _ = raw(False)
    for i in torch.randperm(TEST_SIZE, generator=t.gen)[:5].tolist():
        image, _ = source[i]
        try:
            got = tf(image)
        except TypeError as exc:
            if "should be a float tensor" in str(exc):
                t.fail(ja=f"変換でエラーになりました ({exc})。`Normalize` には float のテンソルが必要です。`PILToTensor()` は 0 から 255 の整数 (uint8) のままなので、"
                          "画素値を 255 で割って float32 にする `transforms.ToTensor()` を使ってください。",
                       en=f"The transform raised an error ({exc}). `Normalize` needs a float tensor. `PILToTensor()` keeps the integers 0 to 255 (uint8): "
                          "use `transforms.ToTensor()`, which divides by 255 into float32.")
            if "should be Tensor Image" in str(exc):
                t.fail(ja=f"変換でエラーになりました ({exc})。`Normalize` はテンソルにしか使えません。`transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (1.0,))])` のように、"
                          "先に `ToTensor()` で PIL 画像を float のテンソルにしてから `Normalize` をかけてください (順番が大事です)。",
                       en=f"The transform raised an error ({exc}). `Normalize` works on tensors only: first `ToTensor()` turns the PIL image into a float tensor, then `Normalize` runs, "
                          "as in `transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (1.0,))])` (the order matters).")
            raise
        t.mistake(not isinstance(got, torch.Tensor) and type(got).__module__.startswith("PIL"),
                  ja="変換の結果がテンソルではなく PIL 画像のままです。`transforms.ToTensor()` が入っていません。",
                  en="The transform returns a PIL image, not a tensor: `transforms.ToTensor()` is missing.")
        plain = t.shape(got, (1, 28, 28), name="make_transform()(image)")
        _values(t, plain, data[i].unsqueeze(0), "make_transform()(image)")
        expected, _ = course_images(False, [i])
        t.tensor(plain, expected[0], name="make_transform()(image)", atol=1e-6)


def _loaders(t, batch_size):
    got = t.call("make_loaders", batch_size)
    t.expect(isinstance(got, (tuple, list)) and len(got) == 2,
             ja="`make_loaders` は (train_loader, test_loader) の 2 つを組にして返してください。",
             en="`make_loaders` should return the pair (train_loader, test_loader).")
    train, test = got
    for name, loader in (("train_loader", train), ("test_loader", test)):
        t.expect(isinstance(loader, DataLoader),
                 ja=f"`{name}` が DataLoader ではなく {type(loader).__name__} です。`torch.utils.data.DataLoader(dataset, batch_size=..., shuffle=...)` で作ってください。",
                 en=f"`{name}` is a {type(loader).__name__}, not a DataLoader. Make it with `torch.utils.data.DataLoader(dataset, batch_size=..., shuffle=...)`.")
    t.mistake(len(train.dataset) == TEST_SIZE and len(test.dataset) == TRAIN_SIZE,
              ja="訓練用とテスト用が入れ替わっています (`train_loader` が 10,000 枚、`test_loader` が 60,000 枚)。訓練データは `train=True`、テストデータは `train=False` です。",
              en="Training and test are swapped (`train_loader` has 10,000 images, `test_loader` 60,000). Training data is `train=True`, test data `train=False`.")
    t.expect(len(train.dataset) == TRAIN_SIZE,
             ja=f"`train_loader` のデータが {len(train.dataset)} 枚ですが、MNIST の訓練データ (`train=True`) は 60,000 枚です。",
             en=f"`train_loader` holds {len(train.dataset)} images; MNIST's training data (`train=True`) has 60,000.")
    t.expect(len(test.dataset) == TEST_SIZE,
             ja=f"`test_loader` のデータが {len(test.dataset)} 枚ですが、MNIST のテストデータ (`train=False`) は 10,000 枚です。",
             en=f"`test_loader` holds {len(test.dataset)} images; MNIST's test data (`train=False`) has 10,000.")
    for name, loader in (("train_loader", train), ("test_loader", test)):
        t.expect(loader.batch_size == batch_size,
                 ja=f"`{name}` のバッチサイズが {loader.batch_size} ですが、引数の batch_size ({batch_size}) にしてください。",
                 en=f"`{name}` has batch size {loader.batch_size}; use the batch_size argument ({batch_size}).")
    return train, test


def _batch(t, loader, name, batch_size):
    images, labels = next(iter(loader))
    x = t.shape(images, (batch_size, 1, 28, 28), name=f"{name} images")
    t.dtype(x, torch.float32, name=f"{name} images")
    y = t.shape(labels, (batch_size,), name=f"{name} labels")
    t.dtype(y, torch.int64, name=f"{name} labels")
    t.expect(bool((y >= 0).all()) and bool((y <= 9).all()),
             ja=f"`{name}` のラベルに 0 から 9 以外の値があります ({int(y.min())} から {int(y.max())})。",
             en=f"`{name}` has labels outside 0..9 ({int(y.min())} to {int(y.max())}).")
    return x, y


@check(ja="`make_loaders`: 訓練用はシャッフルあり、テスト用はシャッフルなし", en="`make_loaders`: the training loader shuffles, the test loader does not")
def loaders(t):
    batch_size = t.rng.choice(BATCH_SIZES)
    train, test = _loaders(t, batch_size)
    t.mistake(isinstance(test.sampler, RandomSampler),
              ja="`test_loader` が `shuffle=True` になっています。テストデータの順番を混ぜると、予測を `test_set.targets` (元の順番のラベル) と並べて比べたときに、"
                 "別の画像のラベルと比べることになり、正解率が 10% 前後になってしまいます。テスト用は `shuffle=False` にしてください。",
              en="`test_loader` has `shuffle=True`. Shuffled test data no longer lines up with `test_set.targets` (the labels in their original order): "
                 "comparing predictions with them compares against other images' labels, and the accuracy drops to about 10%. Use `shuffle=False` for testing.")
    t.mistake(isinstance(train.sampler, SequentialSampler),
              ja="`train_loader` が順番どおり (`shuffle=False`) です。訓練データは `shuffle=True` にして、エポックごとに違う順番のミニバッチで学習させます。",
              en="`train_loader` goes in order (`shuffle=False`). Use `shuffle=True` for training, so each epoch sees the mini-batches in a new order.")
    t.mistake(test.drop_last,
              ja=f"`test_loader` が `drop_last=True` になっています。10,000 枚はバッチサイズ {batch_size} で割り切れないので、最後の {TEST_SIZE % batch_size} 枚が評価されなくなります。",
              en=f"`test_loader` has `drop_last=True`. 10,000 is not a multiple of {batch_size}, so the last {TEST_SIZE % batch_size} images would never be evaluated.")
    t.equal(len(test), -(-TEST_SIZE // batch_size), name="len(test_loader) (number of mini-batches)")

    x, y = _batch(t, test, "test_loader", batch_size)
    data, targets = raw(False)
    expected, _ = course_images(False, range(batch_size))
    _values(t, x, data[:batch_size].unsqueeze(1), "test_loader images")
    t.mistake(not torch.equal(y, targets[:batch_size]) and sorted(y.tolist()) != sorted(targets[:batch_size].tolist()),
              ja="`test_loader` の最初のミニバッチが、テストデータの先頭の画像になっていません。`shuffle=False` にして、データを順番どおりに返してください。",
              en="The first mini-batch of `test_loader` is not the first images of the test data. Use `shuffle=False` so it returns them in order.")
    t.tensor(y, targets[:batch_size], name="test_loader labels (first mini-batch)")
    t.tensor(x, expected, name="test_loader images (first mini-batch)", atol=1e-6)
    t.expect(float(x.min()) == -0.5 and float(x.max()) == 0.5,
             ja=f"`test_loader` の画素値の範囲が {float(x.min()):.3g} から {float(x.max()):.3g} になっています。-0.5 から 0.5 にしてください。",
             en=f"`test_loader`'s pixels range from {float(x.min()):.3g} to {float(x.max()):.3g}, but should range from -0.5 to 0.5.")

    x, y = _batch(t, train, "train_loader", batch_size)
    t.expect(float(x.min()) == -0.5 and float(x.max()) == 0.5,
             ja=f"`train_loader` の画素値の範囲が {float(x.min()):.3g} から {float(x.max()):.3g} になっています。-0.5 から 0.5 にしてください。訓練データにもテストデータと同じ変換をかけてください。",
             en=f"`train_loader`'s pixels range from {float(x.min()):.3g} to {float(x.max()):.3g}, but should range from -0.5 to 0.5. Give the training data the same transform as the test data.")


@check(ja="`flatten`: (N, 1, 28, 28) を (N, 784) に", en="`flatten`: (N, 1, 28, 28) to (N, 784)")
def flatten(t):
    for n in (t.rng.randint(2, 9), 1):
        x = t.randn(n, 1, 28, 28)
        got = t.call("flatten", x.clone())
        g = plain_tensor(got, f"flatten(x) for x of shape ({n}, 1, 28, 28)")
        t.mistake(tuple(g.shape) == (n * 784,),
                  ja=f"`flatten` の結果が形 ({n * 784},) で、バッチの次元まで 1 列にしてしまっています。1 行が 1 枚の画像になるよう、`x.view(-1, 28*28)` か `torch.flatten(x, start_dim=1)` と書いてください。",
                  en=f"`flatten` gives shape ({n * 784},): it flattens the batch dimension too. Keep one row per image: `x.view(-1, 28*28)` or `torch.flatten(x, start_dim=1)`.")
        t.mistake(n > 1 and tuple(g.shape) == (784, n),
                  ja=f"`flatten` の結果が形 (784, {n}) で、行と列が逆です。1 行が 1 枚の画像 (N, 784) になるようにしてください。",
                  en=f"`flatten` gives shape (784, {n}): rows and columns are swapped. One row per image, (N, 784).")
        t.tensor(g, x.reshape(n, 784), name=f"flatten(x) for x of shape ({n}, 1, 28, 28)", atol=0)

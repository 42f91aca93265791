"""Hidden checks for exercise 2.3 (Dataset, DataLoader and random_split)."""

import math

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, random_split

from tutor.checkkit import check


def _table(t, n=None):
    """An advertising-like table: TV, radio, newspaper spend -> sales (NumPy float64)."""
    rng = np.random.default_rng(t.rng.randrange(2**32))
    n = n or t.rng.randint(120, 240)
    tv = rng.uniform(0.0, 300.0, n)
    radio = rng.uniform(0.0, 50.0, n)
    news = rng.uniform(0.0, 100.0, n)
    sales = 3.0 + 0.045 * tv + 0.19 * radio + 0.0 * news + rng.normal(0.0, 1.5, n)
    return np.stack([tv, radio, news, sales], axis=1)


def _make(t, table):
    cls = t.fn("AdDataset")
    t.expect(isinstance(cls, type) and issubclass(cls, Dataset),
             ja="`AdDataset` は `torch.utils.data.Dataset` を継承したクラスにしてください。",
             en="`AdDataset` should be a class that inherits from `torch.utils.data.Dataset`.")
    return t.call("AdDataset", table.copy())


def _key(x):
    """A sample's identity: its three features, rounded (every row of the table differs)."""
    return tuple(round(float(v), 3) for v in x.reshape(-1)[:3])


def _item(t, ds, i, name):
    item = ds[i]
    t.expect(isinstance(item, (tuple, list)) and len(item) == 2,
             ja=f"`{name}[{i}]` が {type(item).__name__} を返しています。(x, y) の組を返してください。",
             en=f"`{name}[{i}]` should return a pair (x, y) but returns a {type(item).__name__}.")
    return item


@check(ja="`AdDataset`: `__len__` と `__getitem__`", en="`AdDataset`: `__len__` and `__getitem__`")
def dataset_items(t):
    table = _table(t)
    n = len(table)
    ds = _make(t, table)
    t.equal(len(ds), n, name=f"len(AdDataset(table)) for a table of {n} rows")
    for i in sorted(t.rng.sample(range(n), 5)):
        x, y = _item(t, ds, i, "dataset")
        x = t.dtype(x, torch.float32, name=f"dataset[{i}][0] (x)")
        y_plain = t.dtype(y, torch.float32, name=f"dataset[{i}][1] (y)")
        t.mistake(tuple(y_plain.shape) == (),
                  ja=f"`dataset[{i}][1]` (y) の形が () です。このままだと DataLoader がまとめたときに (B,) になり、モデルの出力 (B,1) との間でブロードキャストが起きます。`table[i, 3:4]` のように形 (1,) で返してください。",
                  en=f"`dataset[{i}][1]` (y) has shape (): the DataLoader then stacks the targets to (B,), which broadcasts against the model's output (B,1). Return it with shape (1,), e.g. from `table[i, 3:4]`.")
        t.tensor(x, torch.tensor(table[i, :3], dtype=torch.float32), name=f"dataset[{i}][0] (x)", rtol=1e-5)
        t.tensor(y_plain, torch.tensor(table[i, 3:4], dtype=torch.float32), name=f"dataset[{i}][1] (y)", rtol=1e-5)


def _keys_of(t, part, name):
    t.expect(hasattr(part, "__len__") and hasattr(part, "__getitem__"),
             ja=f"{name} がデータセットではありません ({type(part).__name__})。",
             en=f"{name} is not a dataset (a {type(part).__name__}).")
    return [_key(t.shape(_item(t, part, i, name)[0], (3,), name=f"{name}[{i}][0]")) for i in range(len(part))]


def _split(t, ds, seed):
    got = t.call("split_dataset", ds, seed)
    t.expect(isinstance(got, (tuple, list)) and len(got) == 3,
             ja="`split_dataset` は (train, val, test) の 3 つを返すようにしてください。",
             en="`split_dataset` should return three datasets (train, val, test).")
    return got


@check(ja="`split_dataset`: 8:1:1 に重なりなく分ける", en="`split_dataset`: 8:1:1 with no overlap")
def split_parts(t):
    table = _table(t)
    n = len(table)
    ds = _make(t, table)
    train, val, test = _split(t, ds, t.rng.randrange(10_000))
    names = ("train", "val", "test")
    keys = {nm: _keys_of(t, part, nm) for nm, part in zip(names, (train, val, test))}
    sets = {nm: set(k) for nm, k in keys.items()}
    for nm in names:
        t.mistake(len(sets[nm]) < len(keys[nm]),
                  ja=f"{nm} の中に同じサンプルが 2 回以上入っています。`random_split` を使えば、各サンプルはちょうど 1 回だけ使われます。",
                  en=f"{nm} holds the same sample more than once. With `random_split` every sample is used exactly once.")
    leak = sets["train"] & (sets["test"] | sets["val"])
    t.mistake(bool(leak),
              ja=f"訓練データと検証・テストデータに同じサンプルが {len(leak)} 個入っています。テストデータが訓練に漏れています (データリーク)。これでは未知のデータに対する性能を測れません。`random_split` を 1 回だけ呼んで、3 つに分けてください。",
              en=f"{len(leak)} sample(s) are in the training data and also in the validation or test data: test samples leak into training. Then you cannot measure how the model does on unseen data. Call `random_split` once to cut the data into three.")
    t.mistake(bool(sets["val"] & sets["test"]),
              ja="検証データとテストデータに同じサンプルが入っています。`random_split` を 1 回だけ呼んで、3 つに分けてください。",
              en="Some samples are in both the validation and the test data. Call `random_split` once to cut the data into three.")
    sizes = tuple(len(random_split(range(n), [0.8, 0.1, 0.1])[i]) for i in range(3))
    got_sizes = tuple(len(k) for k in keys.values())
    t.mistake(sum(got_sizes) < n,
              ja=f"3 つを合わせても {sum(got_sizes)} 個で、元の {n} 個に足りません。",
              en=f"The three parts hold {sum(got_sizes)} samples in all, fewer than the {n} of the dataset.")
    t.expect(sum(got_sizes) == n and all(abs(g - e) <= 2 for g, e in zip(got_sizes, sizes)),
             ja=f"3 つの大きさが {got_sizes} になっています。{n} 個を [0.8, 0.1, 0.1] の割合で分けて、{sizes} にしてください。",
             en=f"The three parts have sizes {got_sizes}; splitting {n} samples in the ratio [0.8, 0.1, 0.1] gives {sizes}.")


@check(ja="`split_dataset`: 同じ seed なら同じ分け方、違えば違う分け方", en="`split_dataset`: the same seed gives the same split, another seed another")
def split_seed(t):
    table = _table(t)
    ds = _make(t, table)
    seed = t.rng.randrange(10_000)
    first = [_keys_of(t, p, nm) for p, nm in zip(_split(t, ds, seed), ("train", "val", "test"))]
    torch.rand(t.rng.randint(1, 9))  # move the global random state on, as other code would
    again = [_keys_of(t, p, nm) for p, nm in zip(_split(t, ds, seed), ("train", "val", "test"))]
    t.expect(first == again,
             ja=f"`split_dataset(ds, {seed})` を 2 回呼ぶと、分け方が変わりました。`generator=torch.Generator().manual_seed(seed)` を `random_split` に渡して、seed で分け方が決まるようにしてください。",
             en=f"Calling `split_dataset(ds, {seed})` twice gave two different splits. Pass `generator=torch.Generator().manual_seed(seed)` to `random_split` so that the seed decides the split.")
    other = [_keys_of(t, p, nm) for p, nm in zip(_split(t, ds, seed + 1), ("train", "val", "test"))]
    t.expect(first[2] != other[2],
             ja=f"`split_dataset` の seed を {seed} から {seed + 1} に変えても、テストデータが同じでした。ランダムに分けていないか、seed を使っていません。",
             en=f"Changing the seed of `split_dataset` from {seed} to {seed + 1} left the test data the same: the split is not random, or it ignores the seed.")


def _epoch(t, loader, name, size):
    """Run one pass over the loader; return the sample keys in order and the batch sizes."""
    keys, sizes = [], []
    for b, batch in enumerate(loader):
        t.expect(isinstance(batch, (tuple, list)) and len(batch) == 2,
                 ja=f"{name} のミニバッチが (x, y) の組になっていません。(x, y) の組にしてください。",
                 en=f"A mini-batch of {name} should be a pair (x, y).")
        xb, yb = batch
        m = xb.shape[0] if isinstance(xb, torch.Tensor) and xb.dim() > 0 else -1
        t.shape(xb, (m, 3), name=f"x of mini-batch {b} of {name}")
        t.shape(yb, (m, 1), name=f"y of mini-batch {b} of {name}")
        t.expect(m <= size,
                 ja=f"{name} のミニバッチが {m} 個のサンプルをもっていて、batch_size = {size} を超えています。",
                 en=f"A mini-batch of {name} holds {m} samples, more than batch_size = {size}.")
        keys += [_key(row) for row in xb]
        sizes.append(m)
    return keys, sizes


@check(ja="`make_loaders`: ミニバッチ、1 エポックで全サンプル、訓練だけシャッフル", en="`make_loaders`: mini-batches, every sample once per epoch, only training shuffled")
def loaders(t):
    table = _table(t)
    ds = _make(t, table)
    train, val, test = random_split(ds, [0.8, 0.1, 0.1], generator=torch.Generator().manual_seed(t.seed))
    # a batch size that leaves a smaller last mini-batch, so a dropped one shows
    size = t.rng.choice([s for s in (8, 10, 12, 16, 32, 7, 9) if len(train) % s] or [7])
    got = t.call("make_loaders", train, val, test, size)
    t.expect(isinstance(got, (tuple, list)) and len(got) == 3 and all(isinstance(g, DataLoader) for g in got),
             ja="`make_loaders` は DataLoader を 3 つ (train_loader, val_loader, test_loader) 返すようにしてください。",
             en="`make_loaders` should return three DataLoaders (train_loader, val_loader, test_loader).")
    train_loader, val_loader, test_loader = got
    first, sizes = _epoch(t, train_loader, "train_loader", size)
    t.mistake(len(first) < len(train) and len(sizes) == len(train) // size,
              ja=f"1 エポックで {len(first)} 個のサンプルしか出てきません (訓練データは {len(train)} 個です)。`drop_last=True` で端数のミニバッチを捨てていませんか。",
              en=f"One epoch yields only {len(first)} samples instead of {len(train)}. Did you drop the last, smaller mini-batch with `drop_last=True`?")
    t.expect(sorted(first) == sorted(_keys_of(t, train, "train")),
             ja="train_loader の 1 エポックで、訓練データの各サンプルがちょうど 1 回ずつ出てきません。train_loader は訓練データから作ってください。",
             en="One epoch of train_loader does not yield every training sample exactly once. Build train_loader from the training data.")
    t.equal(len(sizes), math.ceil(len(train) / size),
            name=f"the number of iterations in one epoch ({len(train)} samples, batch_size={size})")
    second, _ = _epoch(t, train_loader, "train_loader", size)
    t.mistake(first == second,
              ja="train_loader が 2 エポック続けて同じ順番でサンプルを出しています。訓練用の DataLoader は `shuffle=True` にして、エポックごとに順番を変えてください。",
              en="train_loader gives the samples in the same order in two epochs in a row. Make the training DataLoader `shuffle=True` so the order changes every epoch.")
    for loader, part, name in ((val_loader, val, "val_loader"), (test_loader, test, "test_loader")):
        keys, _ = _epoch(t, loader, name, size)
        t.mistake(sorted(keys) == sorted(_keys_of(t, train, "train")),
                  ja=f"{name} が訓練データを出しています。{name} はそれぞれのデータから作ってください。",
                  en=f"{name} yields the training data. Build {name} from its own part of the data.")
        t.expect(keys == _keys_of(t, part, name.replace("_loader", "")),
                 ja=f"{name} がデータを元の順番どおりに出していません。検証・テスト用の DataLoader はシャッフルしなくてかまいません (`shuffle=False`)。評価のたびに同じ順番になるほうが扱いやすいからです。",
                 en=f"{name} does not give its data in the original order. Validation and test loaders need no shuffling (`shuffle=False`): the same order at every evaluation is easier to work with.")

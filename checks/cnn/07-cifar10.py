"""Hidden checks for exercise 6.7 (optional: a CNN for CIFAR-10, 3x32x32 colour images).

The course never depends on CIFAR-10: it is not shipped. The first check runs
offline (the model's shape); the second needs the data. When the data is not in
the folder and the network cannot be reached, it raises `Unavailable` with the
reason, so the exercise is shown as unavailable, never as passed. When the network
is there, it downloads the data (170 MB) once, within a time limit.
"""

import pickle
import socket
import threading
from pathlib import Path

import numpy as np
import torch
from torch import nn

from tutor.checkkit import TrainWatch, Unavailable, check
from _contract import loss_error, training_contract  # checks/cnn/_contract.py
from _cnn import (build, draw_losses, draw_model, loader, macs_per_image, run_model, snapshot,  # checks/cnn/_cnn.py
                  softmax_failure, spy_losses)

HOST = "www.cs.toronto.edu"
FOLDER = "cifar-10-batches-py"
N_TRAIN, N_TEST = 5000, 1000
EPOCHS = 2
THRESHOLD = 0.30       # ten classes (chance is 10%); a small CNN gets about 40% after 2 epochs on 5000 images
MAX_MACS = 6_000_000
DOWNLOAD_S = 35        # the most a check spends downloading; the rest of the time limit is for training


def cifar_root() -> Path:
    """Where the course keeps CIFAR-10 (the stub downloads to the same folder)."""
    from tutor.checkkit import cache_root

    return cache_root() / "cifar10"


def _complete(root: Path) -> bool:
    base = root / FOLDER
    return all((base / f"data_batch_{i}").is_file() for i in range(1, 6)) and (base / "test_batch").is_file()


def _reachable() -> str | None:
    """None when the download server answers; otherwise why not."""
    try:
        socket.create_connection((HOST, 443), timeout=3).close()
        return None
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"


def _unavailable(root, why_ja, why_en):
    raise Unavailable(
        ja=f"CIFAR-10 のデータが使えないため、この演習 (任意) はここではチェックできません: {why_ja} "
           f"データの置き場所は {root} です。ネットワークにつながる環境で `python 07-cifar10.py` を一度実行するとダウンロードされます (約 170 MB)。"
           "このレッスンのほかの演習は CIFAR-10 がなくても進められます。",
        en=f"CIFAR-10 is not available here, so this (optional) exercise cannot be checked: {why_en} "
           f"The data belongs in {root}. Run `python 07-cifar10.py` once where the network is available and it downloads the data (about 170 MB). "
           "The other exercises of this lesson do not need CIFAR-10.")


def _ensure_data(t) -> Path:
    root = cifar_root()
    if _complete(root):
        return root
    why = _reachable()
    if why:
        _unavailable(root, f"データがまだなく、ダウンロード元 ({HOST}) にもつながりません ({why})。",
                     f"the data is not there yet and the download server ({HOST}) cannot be reached ({why}).")
    done = {}

    def fetch():
        try:
            from torchvision import datasets

            root.mkdir(parents=True, exist_ok=True)
            datasets.CIFAR10(root=str(root), train=True, download=True)
            done["ok"] = True
        except BaseException as exc:  # reported below
            done["error"] = f"{type(exc).__name__}: {exc}"

    worker = threading.Thread(target=fetch, daemon=True)
    worker.start()
    worker.join(DOWNLOAD_S)
    if "error" in done:
        _unavailable(root, f"ダウンロードに失敗しました ({done['error']})。", f"the download failed ({done['error']}).")
    if not done.get("ok") or not _complete(root):
        _unavailable(root, f"ダウンロードが {DOWNLOAD_S} 秒で終わりませんでした。", f"the download did not finish within {DOWNLOAD_S} s.")
    return root


def _load(root: Path, names):
    images, labels = [], []
    for name in names:
        try:
            with open(root / FOLDER / name, "rb") as fh:
                entry = pickle.load(fh, encoding="latin1")
            images.append(np.asarray(entry["data"], dtype=np.uint8).reshape(-1, 3, 32, 32))
            labels.extend(entry["labels"] if "labels" in entry else entry["fine_labels"])
        except (OSError, KeyError, ValueError, pickle.UnpicklingError, EOFError) as exc:
            _unavailable(root, f"{name} が読めません ({type(exc).__name__}: {exc})。", f"{name} cannot be read ({type(exc).__name__}: {exc}).")
    return torch.from_numpy(np.concatenate(images)), torch.tensor(labels, dtype=torch.int64)


def _as_input(images_uint8):
    """(N, 3, 32, 32) uint8 -> float32, ToTensor() + Normalize((0.5,)*3, (0.5,)*3): values in [-1, 1]."""
    return (images_uint8.float() / 255.0 - 0.5) / 0.5


def _validate(t, net):
    """The offline part: a CNN for 3-channel 32x32 images with a (N, 10) output, not too heavy."""
    convs = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    t.expect(bool(convs),
             ja="`CifarCNN` に畳み込み層 (`nn.Conv2d`) がありません。",
             en="`CifarCNN` has no convolution layer (`nn.Conv2d`).")
    t.expect(convs[0].in_channels == 3,
             ja=f"最初の畳み込み層の入力チャネル数が {convs[0].in_channels} になっています。CIFAR-10 の画像はカラー (RGB) なので 3 にしてください。",
             en=f"The first conv layer takes {convs[0].in_channels} input channel(s); CIFAR-10 images are colour (RGB): 3 channels.")
    was = net.training
    net.eval()
    with torch.no_grad():
        for n in (t.rng.randint(2, 9), 1):
            run_model(t, net, t.randn(n, 3, 32, 32) * 0.5, "CifarCNN")
    net.train(was)
    macs = macs_per_image(net, torch.zeros(2, 3, 32, 32))
    t.expect(macs <= MAX_MACS,
             ja=f"`CifarCNN` は 1 枚あたり約 {macs / 1e6:.1f} 百万回の積和を計算します。チェックは CPU で学習させるので、{MAX_MACS / 1e6:.0f} 百万回以下にしてください。",
             en=f"`CifarCNN` computes about {macs / 1e6:.1f} million multiply-adds per image. The checks train it on a CPU: stay below {MAX_MACS / 1e6:.0f} million.")


@check(ja="`CifarCNN`: 3 チャネルの 32x32 画像を (N, 10) に変える CNN", en="`CifarCNN` is a CNN that maps 3-channel 32x32 images to (N, 10)")
def model(t):
    torch.manual_seed(t.seed)
    _validate(t, build(t, "CifarCNN"))


@check(ja="CIFAR-10 の一部で学習し、テスト画像で正解率を測る (データが必要)", en="trained on part of CIFAR-10, judged on test images (needs the data)")
def trains(t):
    root = _ensure_data(t)
    Xall, yall = _load(root, [f"data_batch_{i}" for i in range(1, 6)])
    Tall, tall = _load(root, ["test_batch"])
    tr = torch.randperm(len(yall), generator=t.gen)[:N_TRAIN]
    Xtr, ytr = _as_input(Xall[tr]), yall[tr]
    torch.manual_seed(t.seed)
    net = build(t, "CifarCNN")
    _validate(t, net)
    before = snapshot(net)
    seen, batch_losses = set(), []
    name = f"train_cifar(model, loader, {EPOCHS})"
    train_loader = loader(t, Xtr, ytr, batch_size=32)
    try:
        with TrainWatch() as watch, spy_losses(seen, batch_losses):
            losses = t.call("train_cifar", net, train_loader, EPOCHS)
    except (RuntimeError, ValueError) as exc:
        loss_error(t, exc, seen, name)
    # The test images only now, from a source the seed does not give away.
    te = torch.randperm(len(tall), generator=t.unseen_gen())[:N_TEST]
    Xte, yte = _as_input(Tall[te]), tall[te]
    draw_losses(t, losses, batch_losses)  # before any verdict: a failing run's curves are shown too
    draw_model(t, net, Xte, yte, digits=False)  # colour pictures: the kernels (R, G, B) and one feature map
    training_contract(t, watch, net, name, train_loader, EPOCHS, losses, seen)
    if "softmax" in seen:
        softmax_failure(t)
    t.expect(isinstance(losses, (list, tuple)) and len(losses) == EPOCHS,
             ja=f"`train_cifar(model, loader, {EPOCHS})` はエポックごとの平均損失のリスト (長さ {EPOCHS}) を返すようにしてください。",
             en=f"`train_cifar(model, loader, {EPOCHS})` should return the list of mean losses per epoch ({EPOCHS} values).")
    t.expect(any(not torch.equal(before[k], v) for k, v in net.state_dict().items()),
             ja="`train_cifar` のあとも、渡した model のパラメータが変わっていません。",
             en="After `train_cifar` the parameters of the model it was given have not changed.")
    net.eval()
    with torch.no_grad():
        acc = float((net(Xte).argmax(dim=1) == yte).float().mean())
    t.expect(acc >= THRESHOLD,
             ja=f"学習に使っていないテスト画像 {N_TEST} 枚での正解率が {acc:.1%} で、合格の {THRESHOLD:.0%} に届きません (でたらめに答えると 10% です)。",
             en=f"The accuracy on {N_TEST} test images it never saw is {acc:.1%}, short of the {THRESHOLD:.0%} needed (guessing gets 10%).")

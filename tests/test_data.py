"""MNIST ships with the package and works offline through torchvision's own dataset class."""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.machine import data
from tutor.machine.data import MNIST_MD5, DataError, mnist_root, mnist_status

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DLTUTOR_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DLTUTOR_MNIST", raising=False)
    return tmp_path / "cache"


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_first_use_unpacks_verified_files_then_reuses_them(cache):
    assert mnist_status().source == "packaged"
    root = mnist_root()
    raw = root / "MNIST" / "raw"
    assert root == cache
    for name, digest in MNIST_MD5.items():
        assert md5(raw / name) == digest
    assert not list(raw.glob(".*.tmp"))
    stamp = (raw / "train-images-idx3-ubyte").stat().st_mtime_ns
    assert mnist_root() == root and (raw / "train-images-idx3-ubyte").stat().st_mtime_ns == stamp
    assert mnist_status().source == "cache"


def test_torchvision_reads_it_without_download(cache):
    torchvision = pytest.importorskip("torchvision")
    from torchvision import transforms

    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (1.0,))])
    train = torchvision.datasets.MNIST(root=mnist_root(), train=True, download=False, transform=tf)
    test = torchvision.datasets.MNIST(root=mnist_root(), train=False, download=False, transform=tf)
    assert (len(train), len(test)) == (60000, 10000)
    image, label = train[0]
    assert tuple(image.shape) == (1, 28, 28) and 0 <= label <= 9
    assert -0.5 <= float(image.min()) and float(image.max()) <= 0.5


def test_damaged_package_copy_is_refused(cache, tmp_path, monkeypatch):
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in MNIST_MD5:
        src = data.packaged_mnist() / f"{name}.gz"
        (bad / f"{name}.gz").write_bytes(src.read_bytes())
    with gzip.open(bad / "t10k-labels-idx1-ubyte.gz", "wb") as fh:
        fh.write(b"\0" * data.MNIST_SIZES["t10k-labels-idx1-ubyte"])
    monkeypatch.setattr(data, "packaged_mnist", lambda: bad)
    with pytest.raises(DataError, match="MD5"):
        mnist_root()
    assert not (cache / "MNIST/raw/t10k-labels-idx1-ubyte").exists()


def test_an_existing_folder_can_be_used(cache, monkeypatch):
    root = mnist_root()
    for given in (root, root / "MNIST", root / "MNIST" / "raw"):
        monkeypatch.setenv("DLTUTOR_MNIST", str(given))
        assert mnist_root() == root
        assert mnist_status().source == "env"
    monkeypatch.setenv("DLTUTOR_MNIST", str(root / "nowhere"))
    with pytest.raises(DataError, match="DLTUTOR_MNIST"):
        mnist_root()
    assert mnist_status().source == "missing"


def test_two_processes_unpacking_at_once(cache):
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from tutor.machine.data import mnist_root; print(mnist_root())"
    procs = [subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ), stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs) and outs == [str(cache)] * 2
    for name, digest in MNIST_MD5.items():
        assert md5(cache / "MNIST/raw" / name) == digest


def test_attribution_travels_with_the_data():
    readme = (data.packaged_mnist() / "README.md").read_text()
    assert "LeCun" in readme and "CC BY-SA 3.0" in readme
    assert "LeCun" in (ROOT / "README.md").read_text()

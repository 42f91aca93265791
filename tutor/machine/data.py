"""Data the course needs, offline: the MNIST copy shipped with the package.

`mnist_root()` is what students and checks pass as `root` to
`torchvision.datasets.MNIST(root=..., train=..., download=False)`. On first
use the four gzip files shipped in `tutor/_data/mnist/` are unpacked into the
user's cache (`<cache>/MNIST/raw/`, the layout torchvision reads), each
checked against its MD5, and moved into place atomically so two tutors never
see half a file. Shared course servers often have MNIST already: point
`DLTUTOR_MNIST` at that folder (the root, its `MNIST/` or its `raw/`).

This module uses only the standard library: the tutor's own process may call
it (doctor), and so may the checked child.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

MNIST_MD5 = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}
"""MD5 of the uncompressed files (see tutor/_data/mnist/README.md for provenance)."""

MNIST_SIZES = {
    "train-images-idx3-ubyte": 47040016, "train-labels-idx1-ubyte": 60008,
    "t10k-images-idx3-ubyte": 7840016, "t10k-labels-idx1-ubyte": 10008,
}


class DataError(Exception):
    """The data cannot be provided; the message says why and what to do."""


@dataclass(frozen=True)
class DataStatus:
    """Where MNIST comes from, for `dltutor doctor`."""

    source: str  # "env" (DLTUTOR_MNIST), "cache" (unpacked copy), "packaged" (not unpacked yet), "missing"
    root: Path | None
    detail: str = ""


def packaged_mnist() -> Path:
    """The folder of gzip files shipped inside the package."""
    return Path(__file__).resolve().parents[1] / "_data" / "mnist"


def cache_root() -> Path:
    """Where data is unpacked: `DLTUTOR_DATA_DIR`, or the user's cache dir."""
    chosen = os.environ.get("DLTUTOR_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_cache_dir("dltutor", appauthor=False)) / "data"


def _complete(root: Path) -> bool:
    raw = root / "MNIST" / "raw"
    return all((raw / name).is_file() and (raw / name).stat().st_size == size for name, size in MNIST_SIZES.items())


def _explicit_root(value: str) -> Path:
    given = Path(value).expanduser().resolve()
    if not given.is_dir():
        raise DataError(f"DLTUTOR_MNIST={value}: no such folder")
    # Accept the root itself, its MNIST/ folder, or the raw/ folder.
    for candidate in (given, given.parent, given.parent.parent):
        if _complete(candidate):
            return candidate
    raise DataError(f"DLTUTOR_MNIST={value}: no complete MNIST/raw/ folder (the four uncompressed files) there")


def _unpack(name: str, raw: Path) -> None:
    source = packaged_mnist() / f"{name}.gz"
    fd, tmp = tempfile.mkstemp(dir=raw, prefix=f".{name}.", suffix=".tmp")
    digest = hashlib.md5()
    try:
        with os.fdopen(fd, "wb") as out, gzip.open(source, "rb") as src:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != MNIST_MD5[name]:
            raise DataError(f"{source}: MD5 {digest.hexdigest()} is not {MNIST_MD5[name]}; the package is damaged, reinstall it")
        os.replace(tmp, raw / name)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def mnist_root() -> Path:
    """The `root` for `torchvision.datasets.MNIST(..., download=False)`; unpacks on first use."""
    explicit = os.environ.get("DLTUTOR_MNIST")
    if explicit:
        return _explicit_root(explicit)
    root = cache_root()
    if _complete(root):
        return root
    raw = root / "MNIST" / "raw"
    try:
        raw.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"cannot create {raw}: {exc.strerror}; set DLTUTOR_DATA_DIR to a writable folder") from exc
    for name, size in MNIST_SIZES.items():
        target = raw / name
        if not (target.is_file() and target.stat().st_size == size):
            _unpack(name, raw)
    return root


def mnist_status() -> DataStatus:
    """Which MNIST the course would use, without unpacking anything."""
    explicit = os.environ.get("DLTUTOR_MNIST")
    if explicit:
        try:
            return DataStatus("env", _explicit_root(explicit))
        except DataError as exc:
            return DataStatus("missing", None, str(exc))
    if _complete(cache_root()):
        return DataStatus("cache", cache_root())
    if all((packaged_mnist() / f"{name}.gz").is_file() for name in MNIST_MD5):
        return DataStatus("packaged", packaged_mnist())
    return DataStatus("missing", None, "the MNIST copy is missing from the package")

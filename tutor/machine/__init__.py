"""The machine the tutor runs on: where things are, which GPUs there are, the shipped data.

`locations` (workspace, store, course and state folders, with their
overrides), `gpus` (reading the cards with nvidia-smi, `CUDA_VISIBLE_DEVICES`,
choosing one) and `data` (MNIST unpacked from the package, offline). It may
import only `tutor.i18n`, and never torch: asking torch is `tutor.check.probe`.
"""

from tutor.machine.data import DataError, cache_root, mnist_root, mnist_status
from tutor.machine.gpus import DEVICES, CachedReader, GpuInfo, GpuReading, Placement, parse_device, place, read_gpus
from tutor.machine.locations import builtin_course_root, course_root, state_dir, store_path, workspace_root

__all__ = ["DEVICES", "CachedReader", "DataError", "GpuInfo", "GpuReading", "Placement", "builtin_course_root",
           "cache_root", "course_root", "mnist_root", "mnist_status", "parse_device", "place", "read_gpus",
           "state_dir", "store_path", "workspace_root"]

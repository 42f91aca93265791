"""The GPU part of `dltutor doctor`: every visible card, how full it is, and which one checks use."""

from __future__ import annotations

import os
from dataclasses import dataclass

from tutor.machine.gpus import MIN_FREE, GpuReading, place
from tutor.check.probe import Environment


@dataclass(frozen=True)
class Line:
    """One doctor finding: status ("ok", "warn", "fail"), what, its value, and a fix if not ok."""

    status: str
    label: str
    value: str
    fix: str = ""


def gb(n: int) -> str:
    """Bytes as GiB with one decimal."""
    return f"{n / 2**30:.1f} GiB"


def gpu_lines(reading: GpuReading, env: Environment, t) -> list[Line]:
    """Lines about CUDA_VISIBLE_DEVICES, each visible GPU, and the choice `--device auto` makes."""
    lines: list[Line] = []
    visible = reading.visible
    shown = visible if visible is not None else t("doctor.all")
    if reading.hidden:
        shown += " " + t("doctor.gpu_hidden", count=reading.hidden)
    if reading.source != "none" or visible is not None:
        lines.append(Line("ok", "CUDA_VISIBLE_DEVICES", shown))
    for number, gpu in enumerate(reading.gpus):
        procs = t("doctor.gpu_procs_unknown") if gpu.processes is None else t("doctor.gpu_procs", count=gpu.processes)
        status = "warn" if gpu.free < MIN_FREE else "ok"
        lines.append(Line(status, f"GPU {gpu.index} (cuda:{number})",
                          t("doctor.gpu_value", name=gpu.name, free=gb(gpu.free), total=gb(gpu.total), procs=procs),
                          t("doctor.fix_gpu_full")))
    names = {g.name for g in reading.gpus}
    if len(names) > 1 and os.environ.get("CUDA_DEVICE_ORDER") != "PCI_BUS_ID":
        lines.append(Line("warn", t("doctor.gpu_order"), t("doctor.gpu_order_value"), t("doctor.fix_gpu_order")))
    choice = place("auto", reader=lambda: reading)
    if choice.reason == "most_free":
        gpu = choice.gpu
        lines.append(Line("ok", t("doctor.gpu_choice"), t("doctor.gpu_choice_value", index=gpu.index, name=gpu.name,
                                                          free=gb(gpu.free))))
    elif choice.reason == "all_full":
        lines.append(Line("warn", t("doctor.gpu_choice"), t("doctor.gpu_all_full", free=gb(choice.gpu.free)),
                          t("doctor.fix_gpu_full")))
    elif reading.source == "none" and env.cuda_available:
        lines.append(Line("warn", t("doctor.gpu_choice"), t("doctor.gpu_no_reading", reason=reading.error),
                          t("doctor.fix_gpu_reading")))
    if reading.gpus and env.torch and not env.cuda_build:
        lines.append(Line("warn", "CUDA", t("doctor.cpu_torch_with_gpus"), t("doctor.fix_cuda_torch")))
    elif not reading.gpus and not env.cuda_available:
        why = t("doctor.no_cuda_build") if env.torch and not env.cuda_build else t("doctor.no_gpu")
        lines.append(Line("warn" if env.torch else "fail", "CUDA", why, t("doctor.fix_cuda")))
    lines.append(Line("ok", t("doctor.device_default"), t("doctor.device_default_value")))
    return lines

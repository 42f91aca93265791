"""`dltutor doctor`: what the tutor will use, each line ok / warn / fail with a fix."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field

from tutor import __version__
from tutor.doctor.gpu import Line, gpu_lines
from tutor.machine.gpus import GpuReading, read_gpus
from tutor.i18n import tr
from tutor.check.probe import Environment, probe_environment
from tutor.session import Tutor
from tutor.progress.watching import filesystem_type, needs_polling


@dataclass
class Report:
    """All findings, plus the raw environment for `--json`."""

    lines: list[Line] = field(default_factory=list)
    env: Environment | None = None
    gpus: GpuReading | None = None

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return all(line.status != "fail" for line in self.lines)


def diagnose(tutor: Tutor, env: Environment | None = None, gpus: GpuReading | None = None) -> Report:
    """Collect every finding for `tutor`'s course, workspace and store."""
    lang = tutor.lang
    t = lambda key, **p: tr(key, lang, **p)  # noqa: E731 - a short local alias
    env = env or probe_environment()
    rep = Report(env=env)
    add = rep.lines.append
    add(Line("ok" if sys.version_info >= (3, 10) else "fail", "Python (tutor)", f"{sys.version.split()[0]} {sys.executable}",
             t("doctor.fix_python")))
    add(Line("ok", "dltutor", __version__))
    add(Line("ok", t("doctor.course"), t("doctor.course_value", id=tutor.course.id, count=len(tutor.course.exercises),
                                           lessons=len(tutor.course.lessons), root=tutor.course.root)))
    if "python" in env.errors:
        add(Line("fail", t("doctor.check_python"), env.errors["python"], t("doctor.fix_check_python")))
    else:
        add(Line("ok", t("doctor.check_python"), f"{env.python} {env.executable}"))
    for name, version in (("torch", env.torch), ("torchvision", env.torchvision), ("numpy", env.numpy)):
        if version:
            add(Line("ok", name, version))
        else:
            add(Line("fail", name, env.errors.get(name, t("doctor.missing")), t("doctor.fix_install", package=name)))
    rep.gpus = gpus if gpus is not None else read_gpus()
    rep.lines.extend(gpu_lines(rep.gpus, env, t))
    ws = tutor.workspace.root
    if ws.exists() and not os.access(ws, os.W_OK):
        add(Line("fail", t("doctor.workspace"), str(ws), t("doctor.fix_workspace")))
    elif not ws.exists() and not os.access(_existing_parent(ws), os.W_OK):
        add(Line("fail", t("doctor.workspace"), str(ws), t("doctor.fix_workspace")))
    else:
        state = t("doctor.exists") if ws.exists() else t("doctor.created_on_first_use")
        add(Line("ok", t("doctor.workspace"), f"{ws} ({state})"))
    fs = filesystem_type(ws if ws.exists() else _existing_parent(ws))
    add(Line("ok", t("doctor.watching"), t("doctor.polling", fs=fs or "?") if needs_polling(_existing_parent(ws)) else t("doctor.events", fs=fs or "?")))
    store = tutor.store
    if store.read_only or store.path is None:
        add(Line("warn", t("doctor.store"), str(store.path or ":memory:"), t("doctor.fix_store")))
    else:
        add(Line("ok", t("doctor.store"), str(store.path)))
    for notice in tutor.notices:
        add(Line("warn", t("doctor.notice"), notice.render(lang)))
    add(_data_line(t))
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor:
        add(Line("ok", t("doctor.editor"), editor))
    else:
        fallback = next((e for e in ("nano", "vim", "vi") if shutil.which(e)), None)
        add(Line("warn", t("doctor.editor"), t("doctor.editor_fallback", editor=fallback or "-"), t("doctor.fix_editor")))
    add(Line("ok", t("doctor.language"), lang))
    return rep


def _data_line(t) -> Line:
    """Which MNIST the course would use (nothing is unpacked by asking)."""
    from tutor.machine.data import mnist_status

    status = mnist_status()
    if status.source == "missing":
        return Line("fail", t("doctor.data"), status.detail, t("doctor.fix_data"))
    return Line("ok", t("doctor.data"), t(f"doctor.data_{status.source}", path=status.root))


def _existing_parent(path):
    while not path.exists() and path != path.parent:
        path = path.parent
    return path

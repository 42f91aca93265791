"""Writing figures as PNG files with matplotlib, when it is installed (`pip install "dltutor[plots]"`).

matplotlib is optional: the terminal and the HTML report do not need it. It
is imported on first use, with the non-interactive Agg backend, so it never
tries to open a window over ssh.
"""

from __future__ import annotations

import re
from pathlib import Path

from tutor.figures.model import Figure
from tutor.figures.terminal import COLORS, boundary_points


class PlotsUnavailable(RuntimeError):
    """matplotlib is not installed."""


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:
        raise PlotsUnavailable(str(exc)) from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def write_pngs(figures: list[Figure], folder: Path, prefix: str, lang: str) -> list[Path]:
    """One PNG per figure, named `<prefix>-<figure id>.png`; returns the paths written."""
    plt = _pyplot()
    if lang == "ja" and not _use_japanese_font(plt):
        lang = "en"  # without a Japanese font the titles would be empty boxes
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fig in figures:
        path = folder / f"{_safe(prefix)}-{_safe(fig.id)}.png"
        canvas = plt.figure(figsize=(6, 4) if fig.kind != "images" else (8, 1 + 1.1 * ((len(fig.images) + 7) // 8)))
        try:
            _draw(canvas, fig, lang)
            canvas.savefig(path, dpi=110, bbox_inches="tight")
        finally:
            plt.close(canvas)
        paths.append(path)
    return paths


def _draw(canvas, fig: Figure, lang: str) -> None:
    title = fig.title.get(lang)
    if fig.kind == "images":
        cols = min(8, len(fig.images))
        rows = (len(fig.images) + cols - 1) // cols
        for i, pic in enumerate(fig.images):
            ax = canvas.add_subplot(rows, cols, i + 1)
            cmap, vmin, vmax = ("bwr", 0, 255) if fig.cmap == "diverging" else ("gray", 0, 255)
            ax.imshow(pic.pixels, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if pic.label:
                ax.set_title(pic.label, fontsize=8, color="red" if pic.mark else "black")
        canvas.suptitle(title)
        return
    ax = canvas.add_subplot(1, 1, 1)
    if fig.field is not None:
        f = fig.field
        ax.imshow(f.values, extent=(f.x0, f.x1, f.y0, f.y1), cmap="coolwarm", vmin=0, vmax=255, alpha=0.35,
                  aspect="auto", origin="upper")
        bx, by = boundary_points(fig)
        ax.scatter(bx, by, s=2, color="black", label="p=0.5")
    for i, s in enumerate(fig.series):
        pts = [(x, y) for x, y in zip(s.x, s.y) if y is not None]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        color = COLORS[i % len(COLORS)]
        if fig.kind == "line":
            ax.plot(xs, ys, label=s.name, color=color)
        else:
            ax.scatter(xs, ys, label=s.name, s=10, color=color)
    for s in fig.lines:
        ax.plot(s.x, [y if y is not None else float("nan") for y in s.y], label=s.name, color="green")
    ax.set_title(title)
    if fig.x_label:
        ax.set_xlabel(fig.x_label.get(lang))
    if fig.y_label:
        ax.set_ylabel(fig.y_label.get(lang))
    ax.legend(fontsize=8)


_JA_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic", "Hiragino Sans",
             "Yu Gothic", "MS Gothic", "VL Gothic")


def _use_japanese_font(plt) -> bool:
    """Switch matplotlib to an installed Japanese font; False if there is none."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in _JA_FONTS:
        if name in installed:
            plt.rcParams["font.family"] = name
            return True
    return False


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:60] or "figure"

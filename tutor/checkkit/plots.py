"""Building figures in a check, from the student's own run.

Each function turns tensors, lists or numbers into the plain data of
`tutor.figures.model` (see there for the kinds and limits). A figure is an
extra: whatever the student's code returned, building one never fails the
check; `Ctx` drops a figure that cannot be built.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import torch

from tutor.figures.model import MAX_FIELD, MAX_IMAGES, MAX_POINTS, MAX_SERIES, MAX_SIDE


def _text(value: str | tuple[str, str] | None) -> dict | None:
    if value is None:
        return None
    ja, en = (value, value) if isinstance(value, str) else value
    return {"ja": str(ja)[:200], "en": str(en)[:200]}


def _floats(values: object) -> list[float | None]:
    """Numbers from a tensor, a list of numbers or of one-element tensors; not finite -> None."""
    if isinstance(values, torch.Tensor):
        flat = values.detach().to("cpu", torch.float64).reshape(-1).tolist()
    else:
        flat = [float(v.detach().cpu().item()) if isinstance(v, torch.Tensor) else float(v) for v in values]
    return [v if math.isfinite(v) else None for v in flat]


def _thin(x: list, y: list) -> tuple[list, list]:
    """Keep at most MAX_POINTS points, evenly spaced, always the last one."""
    if len(x) <= MAX_POINTS:
        return x, y
    step = len(x) / MAX_POINTS
    idx = sorted({min(len(x) - 1, int(i * step)) for i in range(MAX_POINTS - 1)} | {len(x) - 1})
    return [x[i] for i in idx], [y[i] for i in idx]


def series(name: str, y: object, x: object | None = None) -> dict:
    """One named series; `x` defaults to 1, 2, ... (epochs)."""
    ys = _floats(y)
    xs = _floats(x) if x is not None else [float(i + 1) for i in range(len(ys))]
    xs = [v if v is not None else 0.0 for v in xs][: len(ys)]
    xs, ys = _thin(xs, ys[: len(xs)])
    return {"name": str(name)[:40], "x": xs, "y": ys}


def line(fig_id: str, title: tuple[str, str], lines: dict[str, object], *, x_label=None, y_label=None) -> dict:
    """A line figure from {name: values}."""
    return {"kind": "line", "id": fig_id, "title": _text(title), "x_label": _text(x_label), "y_label": _text(y_label),
            "series": [series(n, v) for n, v in list(lines.items())[:MAX_SERIES]]}


def points(fig_id: str, title: tuple[str, str], x: object, y: object | None = None, *, classes: object | None = None,
           class_names: Sequence[str] | None = None, fit: tuple[object, object] | None = None,
           boundary: Callable[[torch.Tensor], torch.Tensor] | None = None, x_label=None, y_label=None,
           fit_name: str = "fit") -> dict:
    """A scatter figure.

    `x` is either (N, 2) (two features, y omitted) or (N,) with `y` (N,);
    `classes` (N,) integer labels split the points into groups; `fit` is a
    line (xs, ys), named `fit_name` in the legend; `boundary(grid)` maps (M, 2) points to the probability of
    class 1 (or any score in [0, 1]) and is drawn as a field.
    """
    xt = torch.as_tensor(x).detach().to("cpu", torch.float64)
    if y is None:
        xt = xt.reshape(len(xt), -1)
        px, py = xt[:, 0], xt[:, 1]
    else:
        px, py = xt.reshape(-1), torch.as_tensor(y).detach().to("cpu", torch.float64).reshape(-1)
    groups = []
    if classes is None:
        groups.append(series("data", py, px))
    else:
        labels = torch.as_tensor(classes).detach().to("cpu").reshape(-1).long()
        for k in sorted(set(labels.tolist()))[:MAX_SERIES]:
            name = class_names[k] if class_names and 0 <= k < len(class_names) else f"class {k}"
            groups.append(series(name, py[labels == k], px[labels == k]))
    fig = {"kind": "scatter", "id": fig_id, "title": _text(title), "x_label": _text(x_label),
           "y_label": _text(y_label), "series": groups, "lines": []}
    if fit is not None:
        fig["lines"].append(series(fit_name, fit[1], fit[0]))
    if boundary is not None:
        fig["field"] = field(boundary, px, py)
    return fig


def field(boundary: Callable[[torch.Tensor], torch.Tensor], px: torch.Tensor, py: torch.Tensor, n: int = 48) -> dict:
    """Evaluate `boundary` on an n x n grid covering the points (with a margin)."""
    n = min(n, MAX_FIELD)
    pad_x = 0.1 * float(px.max() - px.min()) or 1.0
    pad_y = 0.1 * float(py.max() - py.min()) or 1.0
    x0, x1 = float(px.min()) - pad_x, float(px.max()) + pad_x
    y0, y1 = float(py.min()) - pad_y, float(py.max()) + pad_y
    gx = torch.linspace(x0, x1, n)
    gy = torch.linspace(y1, y0, n)  # row 0 is the top
    grid = torch.stack(torch.meshgrid(gy, gx, indexing="ij")[::-1], dim=-1).reshape(-1, 2)
    with torch.no_grad():
        p = torch.as_tensor(boundary(grid.float())).detach().to("cpu", torch.float64).reshape(n, n)
    values = (p.nan_to_num(0.5).clamp(0, 1) * 255).round().long().tolist()
    return {"x0": x0, "x1": x1, "y0": y0, "y1": y1, "values": values}


def images(fig_id: str, title: tuple[str, str], pictures: object, *, labels: Sequence[str] | None = None,
           marks: Sequence[bool] | None = None, cmap: str = "gray") -> dict:
    """A grid of pictures from a (K, H, W) tensor (or (K, 1, H, W), or (K, H*W) square).

    "gray" scales each picture from its own min..max to 0..255; "diverging"
    maps 0 to 128 and the largest magnitude to 0 or 255 (weights, kernels).
    """
    t = torch.as_tensor(pictures).detach().to("cpu", torch.float64)[:MAX_IMAGES]
    if t.dim() == 2:
        side = math.isqrt(t.shape[1])
        t = t.reshape(len(t), side, side)
    t = t.reshape(len(t), t.shape[-2], t.shape[-1])[:, :MAX_SIDE, :MAX_SIDE].nan_to_num(0.0)
    out = []
    for i, img in enumerate(t):
        if cmap == "diverging":
            scale = float(img.abs().max()) or 1.0
            q = (img / scale * 127.5 + 127.5)
        else:
            lo, hi = float(img.min()), float(img.max())
            q = (img - lo) / ((hi - lo) or 1.0) * 255
        out.append({"pixels": q.round().clamp(0, 255).long().tolist(),
                    "label": str(labels[i])[:40] if labels is not None and i < len(labels) else "",
                    "mark": bool(marks[i]) if marks is not None and i < len(marks) else False})
    return {"kind": "images", "id": fig_id, "title": _text(title), "images": out, "cmap": cmap}

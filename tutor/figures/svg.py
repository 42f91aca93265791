"""Figures as inline SVG for the HTML report: no scripts, no fonts or files from elsewhere.

Plots are drawn as SVG paths and circles; pictures and the probability field
of a decision boundary are PNG images (made with Pillow) embedded as data
URIs, drawn pixel-sharp. Everything the student's run produced is escaped.
"""

from __future__ import annotations

import base64
import io
from html import escape

from tutor.figures.model import Field, Figure, Picture
from tutor.figures.terminal import COLORS as ORDER  # the same series order as in the terminal

COLORS = {"blue": "#1f5fbf", "red": "#c62828", "green": "#2e7d32", "magenta": "#8e24aa", "cyan": "#00838f",
          "yellow": "#b58900", "white": "#555555", "orange": "#e65100"}
W, H, PAD_L, PAD_R, PAD_T, PAD_B = 520, 300, 56, 12, 12, 36


def figure_svg(fig: Figure, lang: str) -> str:
    """One figure as an SVG element (a <figure> with a caption around it)."""
    body = _pictures(fig) if fig.kind == "images" else _plot(fig, lang)
    return f'<figure class="fig"><figcaption>{escape(fig.title.get(lang))}</figcaption>{body}</figure>'


def png_data_uri(rows: list[list[int]], cmap: str = "gray") -> str:
    """Rows of 0..255 as a PNG data URI ("diverging": blue below 128, red above)."""
    from PIL import Image

    h, w = len(rows), len(rows[0])
    img = Image.frombytes("L", (w, h), bytes(v for row in rows for v in row))
    if cmap == "diverging":
        red = img.point(lambda v: 255 - max(0, 128 - v) * 2)
        blue = img.point(lambda v: 255 - max(0, v - 128) * 2)
        green = img.point(lambda v: 255 - abs(v - 128) * 2)
        img = Image.merge("RGB", (red, green, blue))
    elif cmap == "field":
        # Class 0 blue, class 1 red, pale, so the points stay readable on top.
        red = img.point(lambda v: 200 + v // 5)
        blue = img.point(lambda v: 255 - v // 5)
        img = Image.merge("RGB", (red, img.point(lambda v: 215), blue))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _pictures(fig: Figure) -> str:
    cells = []
    for pic in fig.images:
        cells.append(_picture(pic, fig.cmap))
    return f'<div class="pics">{"".join(cells)}</div>'


def _picture(pic: Picture, cmap: str) -> str:
    h, w = pic.size
    scale = max(1, 56 // max(h, w))
    cls = "pic mark" if pic.mark else "pic"
    label = f"<span>{escape(pic.label)}</span>" if pic.label else ""
    return (f'<div class="{cls}"><img alt="{escape(pic.label)}" width="{w * scale}" height="{h * scale}" '
            f'src="{png_data_uri(pic.pixels, cmap)}">{label}</div>')


def pictures_svg(fig: Figure, per_row: int = 8) -> str:
    """An images figure as one SVG grid (for places that take an image, such as Markdown)."""
    cell, gap = 60, 16
    rows = (len(fig.images) + per_row - 1) // per_row
    width, height = per_row * cell, rows * (cell + gap)
    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}">']
    for i, pic in enumerate(fig.images):
        x, y = (i % per_row) * cell, (i // per_row) * (cell + gap)
        color = "#c62828" if pic.mark else "#444"
        parts.append(f'<image x="{x + 2}" y="{y + 2}" width="{cell - 4}" height="{cell - 4}" style="image-rendering:pixelated" '
                     f'href="{png_data_uri(pic.pixels, fig.cmap)}"/>'
                     f'<text x="{x + cell / 2}" y="{y + cell + 11}" font-size="11" text-anchor="middle" fill="{color}">'
                     f'{escape(pic.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bounds(fig: Figure) -> tuple[float, float, float, float]:
    xs = [x for s in fig.series + fig.lines for x, y in zip(s.x, s.y) if y is not None]
    ys = [y for s in fig.series + fig.lines for y in s.y if y is not None]
    if fig.field is not None:
        xs += [fig.field.x0, fig.field.x1]
        ys += [fig.field.y0, fig.field.y1]
    if not xs:
        return 0.0, 1.0, 0.0, 1.0
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    if y1 == y0:
        y0, y1 = y0 - 1, y1 + 1
    return x0, x1, y0, y1


def _plot(fig: Figure, lang: str) -> str:
    x0, x1, y0, y1 = _bounds(fig)
    pw, ph = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def sx(x: float) -> float:
        return PAD_L + (x - x0) / (x1 - x0) * pw

    def sy(y: float) -> float:
        return PAD_T + (1 - (y - y0) / (y1 - y0)) * ph

    parts = [f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img">']
    if fig.field is not None:
        parts.append(_field(fig.field, sx, sy))
    parts.append(f'<rect x="{PAD_L}" y="{PAD_T}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>')
    for i in range(5):
        vx, vy = x0 + (x1 - x0) * i / 4, y0 + (y1 - y0) * i / 4
        parts.append(f'<text x="{sx(vx):.1f}" y="{H - PAD_B + 16}" class="tick" text-anchor="middle">{vx:.3g}</text>')
        parts.append(f'<text x="{PAD_L - 4}" y="{sy(vy) + 4:.1f}" class="tick" text-anchor="end">{vy:.3g}</text>')
    legend = []
    for i, s in enumerate(fig.series):
        color = COLORS[ORDER[i % len(ORDER)]]
        legend.append((s.name, color))
        pts = [(sx(x), sy(y)) for x, y in zip(s.x, s.y) if y is not None]
        if fig.kind == "line":
            parts.append(_path(pts, color))
        else:
            parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>' for x, y in pts)
    for s in fig.lines:
        legend.append((s.name, COLORS["green"]))
        parts.append(_path([(sx(x), sy(y)) for x, y in zip(s.x, s.y) if y is not None], COLORS["green"]))
    for i, (name, color) in enumerate(legend):
        y = PAD_T + 14 + 14 * i
        parts.append(f'<rect x="{W - PAD_R - 110}" y="{y - 9}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{W - PAD_R - 96}" y="{y}" class="tick">{escape(name)}</text>')
    labels = [f"x: {fig.x_label.get(lang)}" if fig.x_label else "", f"y: {fig.y_label.get(lang)}" if fig.y_label else ""]
    if any(labels):
        parts.append(f'<text x="{PAD_L}" y="{H - 4}" class="tick">{escape("  ".join(l for l in labels if l))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _path(points: list[tuple[float, float]], color: str) -> str:
    if not points:
        return ""
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<path d="{d}" fill="none" stroke="{color}" stroke-width="1.8"/>'


def _field(f: Field, sx, sy) -> str:
    x, y = sx(f.x0), sy(f.y1)
    w, h = sx(f.x1) - x, sy(f.y0) - y
    return (f'<image x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" preserveAspectRatio="none" '
            f'style="image-rendering:pixelated" href="{png_data_uri(f.values, "field")}"/>')

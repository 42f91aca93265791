"""Drawing figures in a terminal, as Rich renderables (the CLI prints them, the TUI shows them).

Plots come from plotext (braille lines, ASCII markers so classes stay apart
even without colour) and pictures from rich-pixels (two pixels per cell with
the upper-half block). Colours are plain named ones and grey levels, which
Rich maps down to 256 or 16 colours as the terminal allows. Titles, axis
names and the legend are drawn by Rich, outside plotext, because plotext
counts a Japanese character as one column; the legend's names are the
student's language (`figures.series.*`: 損失, 検証損失).

What the axes say must be true: epochs, steps and other whole-number x
values get whole-number ticks; a series of a few points shows each point;
and the y range is never narrower than a tenth of the values' size, so
that a change of 1 % is drawn as the small change it is, not as a cliff.
"""

from __future__ import annotations

import math
import re
import threading

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from tutor.figures.model import Figure, Picture
from tutor.i18n import catalogue, tr

_PLOTEXT = threading.Lock()
"""plotext keeps one global figure: build one plot at a time."""

COLORS = ("blue", "red", "green", "magenta", "cyan", "yellow", "white", "orange")
MARKERS = ("o", "x", "+", "*", "#", "@", "%", "&")
MAX_WIDTH = 78
FEW_POINTS = 15
"""A line series of at most this many points also marks each point."""
MIN_SPAN = 0.1
"""The y range is at least this share of the largest |y| (an honest scale for nearly flat curves)."""


def render_figures(figures: list[Figure], lang: str, *, height: int = 14) -> RenderableType:
    """All figures, one under another, each sized to the width it is given."""
    return Group(*(FigureView(f, lang, height=height) for f in figures))


class FigureView:
    """One figure as a Rich renderable; it sizes itself when rendered."""

    def __init__(self, figure: Figure, lang: str, *, height: int = 14):
        self.figure = figure
        self.lang = lang
        self.height = height

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        fig = self.figure
        width = max(20, min(options.max_width, MAX_WIDTH))
        yield Text(fig.title.get(self.lang), style="bold")
        try:
            parts = list(self._body(fig, width, console))
        except Exception as exc:  # a picture is an extra: never let it take the tutor down
            parts = [Text(f"({type(exc).__name__}: {exc})"[:width], style="dim")]
        yield from parts

    def _body(self, fig: Figure, width: int, console: Console):
        if fig.kind == "images":
            yield picture_grid(fig, width, plain=console.color_system is None or console.no_color)
            return
        yield Text.from_ansi(plot_text(fig, width, self.height), no_wrap=True, overflow="crop")
        legend = legend_text(fig, self.lang)
        if legend.plain:
            yield legend
        axes = [f"x: {fig.x_label.get(self.lang)}" if fig.x_label else "",
                f"y: {fig.y_label.get(self.lang)}" if fig.y_label else ""]
        if any(axes):
            yield Text("  ".join(a for a in axes if a), style="dim")


def plot_text(fig: Figure, width: int, height: int) -> str:
    """The plot as text with ANSI colours (line and scatter figures)."""
    import plotext as plt

    with _PLOTEXT:
        plt.clear_figure()
        plt.plotsize(width, height)
        plt.theme("clear")
        if fig.field is not None:
            bx, by = boundary_points(fig)
            if bx:
                plt.scatter(bx, by, marker=".", color="yellow")
        xs: list[float] = []
        ys: list[float] = []
        for i, s in enumerate(fig.series):
            x, y = _finite(s.x, s.y)
            if not x:
                continue
            xs += x
            ys += y
            if fig.kind == "line":
                plt.plot(x, y, marker="braille", color=COLORS[i % len(COLORS)])
                if len(x) <= FEW_POINTS:
                    plt.scatter(x, y, marker=MARKERS[i % len(MARKERS)], color=COLORS[i % len(COLORS)])
            else:
                plt.scatter(x, y, marker=MARKERS[i % len(MARKERS)], color=COLORS[i % len(COLORS)])
        for s in fig.lines:
            x, y = _finite(s.x, s.y)
            if x:
                xs += x
                ys += y
                plt.plot(x, y, marker="braille", color="green")
        if ys and fig.field is None:
            plt.ylim(*y_range(ys))
        ticks = integer_ticks(xs, max(2, width // 10))
        if ticks:
            plt.xticks(ticks, [str(t) for t in ticks])
        text = plt.build()
        plt.clear_figure()
    return text


def y_range(ys: list[float]) -> tuple[float, float]:
    """The y limits: the data's, widened to at least MIN_SPAN of the largest |y| (never below 0 for data that is not)."""
    lo, hi = min(ys), max(ys)
    need = MIN_SPAN * max(abs(lo), abs(hi))
    if hi - lo >= need and hi > lo:
        pad = 0.05 * (hi - lo)
    else:
        pad = (max(need, 1e-12) - (hi - lo)) / 2
    low, high = lo - pad, hi + pad
    if lo >= 0 > low:
        low, high = 0.0, high - low
    return low, high


def integer_ticks(xs: list[float], most: int) -> list[int]:
    """Whole-number ticks (epochs, steps) when every x is a whole number; [] otherwise."""
    if not xs or any(not math.isfinite(x) or x != int(x) for x in xs):
        return []
    lo, hi = int(min(xs)), int(max(xs))
    step = max(1, math.ceil((hi - lo) / max(1, most - 1)))
    return list(range(lo, hi + 1, step))


def series_name(name: str, lang: str) -> str:
    """A series' name in `lang` ("val_loss" -> 検証損失, "class 1" -> クラス 1); unknown names as they are."""
    texts = catalogue()
    key = f"figures.series.{name}"
    if key in texts:
        return tr(key, lang)
    match = re.fullmatch(r"(class|seed) (\d+)( again)?", name)
    if match:
        family = match.group(1) + ("_again" if match.group(3) else "")
        return tr(f"figures.series.{family}", lang, n=match.group(2))
    return name


def legend_text(fig: Figure, lang: str) -> Text:
    """The legend, one entry per series, in each series' colour and marker."""
    legend = Text()
    entries = [(s.name, COLORS[i % len(COLORS)], "▬" if fig.kind == "line" else MARKERS[i % len(MARKERS)])
               for i, s in enumerate(fig.series)]
    entries += [(s.name, "green", "▬") for s in fig.lines]
    if fig.field is not None:
        entries.append(("boundary", "yellow", "."))
    for name, color, mark in entries:
        if legend.plain:
            legend.append("  ")
        legend.append(f"{mark} ", style=color)
        legend.append(series_name(name, lang))
    return legend


def _finite(xs: list[float], ys: list[float | None]) -> tuple[list[float], list[float]]:
    pairs = [(x, y) for x, y in zip(xs, ys) if y is not None]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def boundary_points(fig: Figure) -> tuple[list[float], list[float]]:
    """Grid points where the field crosses the middle (the decision boundary)."""
    f = fig.field
    if f is None:
        return [], []
    rows, cols = len(f.values), len(f.values[0])
    dx = (f.x1 - f.x0) / max(1, cols - 1)
    dy = (f.y1 - f.y0) / max(1, rows - 1)
    xs, ys = [], []
    for r in range(rows):
        for c in range(cols):
            here = f.values[r][c] >= 128
            right = c + 1 < cols and (f.values[r][c + 1] >= 128) != here
            below = r + 1 < rows and (f.values[r + 1][c] >= 128) != here
            if right or below:
                xs.append(f.x0 + c * dx)
                ys.append(f.y1 - r * dy)
    return xs, ys


# ---------------------------------------------------------------- pictures


RAMP = " .:-=+*#%@"
"""Dark to light, for terminals without colour (and output to a file): one character per two pixels."""


def ascii_picture(pic: Picture, cmap: str, side: int) -> Text:
    """The picture as characters from RAMP; "diverging" shows the size of a weight, its sign as +/- at the ends."""
    img = to_image(pic, "gray", side).convert("L")
    w, h = img.size
    img = img.resize((w, max(1, h // 2)))
    rows = []
    for y in range(img.size[1]):
        row = []
        for x in range(w):
            v = img.getpixel((x, y))
            if cmap == "diverging":
                level = abs(v - 128) * 2 * (len(RAMP) - 1) // 256
                row.append(" " if level == 0 else ("+" if v > 128 and level >= 6 else "-" if level >= 6 else RAMP[level]))
            else:
                row.append(RAMP[v * (len(RAMP) - 1) // 255])
        rows.append("".join(row))
    return Text("\n".join(rows), no_wrap=True)


def picture_grid(fig: Figure, width: int, plain: bool = False) -> RenderableType:
    """Pictures side by side, as many per row as fit, each with its label under it.

    `plain`: no colours to be had (a file, NO_COLOR, TERM=dumb): characters instead of coloured cells.
    """
    from rich_pixels import Pixels

    if not fig.images:
        return Text("")
    side = display_side(fig.images[0], width)
    per_row = max(1, (width + 1) // (side + 1))
    grid = Table.grid(padding=(0, 1))
    for _ in range(min(per_row, len(fig.images))):
        grid.add_column(width=side, no_wrap=True)
    cells = []
    for pic in fig.images:
        label = Text(pic.label[:side], style="bold red reverse" if pic.mark else "dim")
        if plain:
            label = Text(("*" if pic.mark else "") + pic.label[: side - 1 if pic.mark else side])
            cells.append(Group(ascii_picture(pic, fig.cmap, side), label))
        else:
            cells.append(Group(Pixels.from_image(to_image(pic, fig.cmap, side)), label))
    for start in range(0, len(cells), per_row):
        grid.add_row(*cells[start:start + per_row])
    return grid


def display_side(pic: Picture, width: int) -> int:
    """How many pixels (= columns) wide to draw a picture: small kernels grow, digits shrink to fit."""
    h, w = pic.size
    side = max(h, w)
    if side <= 8:
        return side * max(1, 8 // side)
    if width >= 4 * (side + 1):
        return side
    return max(8, side // 2)


def to_image(pic: Picture, cmap: str, side: int):
    """The picture as a PIL image of `side` x `side` pixels (nearest neighbour, no smoothing)."""
    from PIL import Image

    h, w = pic.size
    flat = bytes(v for row in pic.pixels for v in row)
    img = Image.frombytes("L", (w, h), flat)
    if cmap == "diverging":
        # Negative blue, zero black, positive red: readable in 16 colours too.
        red = img.point(lambda v: max(0, v - 128) * 2)
        blue = img.point(lambda v: max(0, 128 - v) * 2)
        img = Image.merge("RGB", (red, Image.new("L", (w, h), 0), blue))
    else:
        img = img.convert("RGB")
    scale = side / max(h, w)
    return img.resize((max(1, round(w * scale)), max(2, round(h * scale))), Image.NEAREST)

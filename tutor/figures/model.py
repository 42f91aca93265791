"""Figures as plain data: what a check may send along with its verdict.

A check draws from the student's own run (the loss per epoch, the fitted
line, the digits it got wrong) and sends the figure as JSON over the result
channel. The tutor rebuilds it here with `Figure.from_json`, which accepts
only the shapes below and only within the limits below: the data comes from a
process that ran student code, so it is validated like any other input and
never unpickled. Front ends (terminal, PNG, HTML) draw from these classes.

Kinds:
    line     series of (x, y), e.g. the loss and validation loss per epoch;
    scatter  groups of points (one per class), optional lines (a fitted line)
             and an optional field (a decision boundary's probabilities on a grid);
    images   a grid of small grey-scale pictures with labels, mistakes marked;
             `cmap` "gray" (0 black .. 255 white) or "diverging" (0 most
             negative, 128 zero, 255 most positive, e.g. weights).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field as _default

from tutor.i18n import Text

KINDS = ("line", "scatter", "images")
CMAPS = ("gray", "diverging")

MAX_FIGURES = 8
"""Figures kept per run; more are dropped."""
MAX_SERIES = 8
MAX_POINTS = 2000
"""Points per series (the check side thins longer series evenly)."""
MAX_IMAGES = 64
MAX_SIDE = 64
"""Largest side of one picture, in pixels."""
MAX_FIELD = 96
"""Largest side of a scatter plot's probability grid."""
MAX_NAME = 40


class BadFigure(ValueError):
    """The data does not describe a figure within the limits."""


@dataclass(frozen=True)
class Series:
    """A named list of points; `y` may hold None where the value was not finite."""

    name: str
    x: list[float]
    y: list[float | None]

    def to_json(self) -> dict:
        """Plain dict form."""
        return {"name": self.name, "x": self.x, "y": self.y}


@dataclass(frozen=True)
class Field:
    """Values 0..255 on a grid over [x0, x1] x [y0, y1]; row 0 is the top (y1)."""

    x0: float
    x1: float
    y0: float
    y1: float
    values: list[list[int]]

    def to_json(self) -> dict:
        """Plain dict form."""
        return {"x0": self.x0, "x1": self.x1, "y0": self.y0, "y1": self.y1, "values": self.values}


@dataclass(frozen=True)
class Picture:
    """One small image (rows of 0..255), its label, and whether to mark it (a mistake)."""

    pixels: list[list[int]]
    label: str = ""
    mark: bool = False

    @property
    def size(self) -> tuple[int, int]:
        """(height, width) in pixels."""
        return len(self.pixels), len(self.pixels[0])

    def to_json(self) -> dict:
        """Plain dict form."""
        return {"pixels": self.pixels, "label": self.label, "mark": self.mark}


@dataclass(frozen=True)
class Figure:
    """One figure of a run; see the module docstring for the kinds."""

    kind: str
    id: str
    title: Text
    check: str = ""
    x_label: Text | None = None
    y_label: Text | None = None
    series: list[Series] = _default(default_factory=list)
    lines: list[Series] = _default(default_factory=list)
    field: Field | None = None
    images: list[Picture] = _default(default_factory=list)
    cmap: str = "gray"

    def to_json(self) -> dict:
        """Plain dict form (what the store and `--json` keep)."""
        return {
            "kind": self.kind, "id": self.id, "title": self.title.to_json(), "check": self.check,
            "x_label": self.x_label.to_json() if self.x_label else None,
            "y_label": self.y_label.to_json() if self.y_label else None,
            "series": [s.to_json() for s in self.series], "lines": [s.to_json() for s in self.lines],
            "field": self.field.to_json() if self.field else None,
            "images": [p.to_json() for p in self.images], "cmap": self.cmap,
        }

    @classmethod
    def from_json(cls, data: object) -> "Figure":
        """Validate and rebuild; raises `BadFigure` for anything outside the format."""
        d = _dict(data, "figure")
        kind = d.get("kind")
        if kind not in KINDS:
            raise BadFigure(f"unknown kind {kind!r}")
        cmap = d.get("cmap", "gray")
        if cmap not in CMAPS:
            raise BadFigure(f"unknown cmap {cmap!r}")
        fig = cls(
            kind=kind, id=_name(d.get("id"), "id"), title=_text(d.get("title")), check=_name(d.get("check", ""), "check"),
            x_label=_text(d["x_label"]) if d.get("x_label") else None,
            y_label=_text(d["y_label"]) if d.get("y_label") else None,
            series=[_series(s) for s in _list(d.get("series", []), MAX_SERIES, "series")],
            lines=[_series(s) for s in _list(d.get("lines", []), MAX_SERIES, "lines")],
            field=_field(d["field"]) if d.get("field") else None,
            images=[_picture(p) for p in _list(d.get("images", []), MAX_IMAGES, "images")],
            cmap=cmap,
        )
        if kind == "line" and not fig.series:
            raise BadFigure("a line figure needs a series")
        if kind == "images" and not fig.images:
            raise BadFigure("an images figure needs images")
        if kind == "scatter" and not (fig.series or fig.lines):
            raise BadFigure("a scatter figure needs points")
        return fig


def figures_from_json(items: object) -> list[Figure]:
    """The valid figures of a list (invalid ones are dropped, at most MAX_FIGURES kept)."""
    out = []
    for item in items if isinstance(items, list) else []:
        try:
            out.append(Figure.from_json(item))
        except (BadFigure, KeyError, TypeError):
            continue
        if len(out) == MAX_FIGURES:
            break
    return out


# ------------------------------------------------------------- validation


def _dict(data: object, what: str) -> dict:
    if not isinstance(data, dict):
        raise BadFigure(f"{what} is not an object")
    return data


def _list(data: object, limit: int, what: str) -> list:
    if not isinstance(data, list) or len(data) > limit:
        raise BadFigure(f"{what} is not a list of at most {limit}")
    return data


def _name(value: object, what: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_NAME:
        raise BadFigure(f"{what} is not a short string")
    return value


def _text(value: object) -> Text:
    if isinstance(value, str):
        value = {"ja": value, "en": value}
    d = _dict(value, "text")
    ja, en = d.get("ja", ""), d.get("en", "")
    if not (isinstance(ja, str) and isinstance(en, str)) or len(ja) > 200 or len(en) > 200:
        raise BadFigure("text is not two short strings")
    return Text(ja=ja, en=en)


def _number(value: object) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise BadFigure("not a finite number")
    return float(value)


def _series(data: object) -> Series:
    d = _dict(data, "series")
    x = [_number(v) for v in _list(d.get("x"), MAX_POINTS, "x")]
    y = [None if v is None else _number(v) for v in _list(d.get("y"), MAX_POINTS, "y")]
    if len(x) != len(y):
        raise BadFigure("x and y differ in length")
    return Series(name=_name(d.get("name", ""), "name"), x=x, y=y)


def _grid(rows: object, limit: int) -> list[list[int]]:
    rows = _list(rows, limit, "rows")
    if not rows:
        raise BadFigure("empty grid")
    width = None
    out = []
    for row in rows:
        row = _list(row, limit, "row")
        if not row or (width is not None and len(row) != width):
            raise BadFigure("rows differ in length")
        width = len(row)
        if any(type(v) is not int or not 0 <= v <= 255 for v in row):
            raise BadFigure("pixel values must be integers 0..255")
        out.append(list(row))
    return out


def _field(data: object) -> Field:
    d = _dict(data, "field")
    x0, x1, y0, y1 = (_number(d.get(k)) for k in ("x0", "x1", "y0", "y1"))
    if not (x0 < x1 and y0 < y1):
        raise BadFigure("field bounds are empty")
    return Field(x0=x0, x1=x1, y0=y0, y1=y1, values=_grid(d.get("values"), MAX_FIELD))


def _picture(data: object) -> Picture:
    d = _dict(data, "picture")
    label = d.get("label", "")
    if not isinstance(label, str) or len(label) > MAX_NAME:
        raise BadFigure("label is not a short string")
    return Picture(pixels=_grid(d.get("pixels"), MAX_SIDE), label=label, mark=d.get("mark") is True)

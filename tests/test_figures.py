"""Figures: drawn by checks in the child, validated in the tutor, drawn in the terminal, as PNG and SVG."""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style

from tutor.check.checker import Checker
from tutor.course.manifest import load_course
from tutor.figures import BadFigure, Figure, figures_from_json
from tutor.figures.model import MAX_FIGURES, MAX_POINTS
from tutor.figures.svg import figure_svg, pictures_svg
from tutor.figures.terminal import boundary_points, render_figures

FIGCOURSE = Path(__file__).parent / "fixtures" / "figcourse"


@pytest.fixture(scope="module")
def passing_verdict():
    """One real check run of the figure fixture's solution (cold: about a second)."""
    course = load_course(FIGCOURSE)
    ex = course.exercises[0]
    return Checker().check(ex, ex.solution_path, seed=11)


def test_a_check_sends_each_figure_kind_as_plain_data(passing_verdict):
    v = passing_verdict
    assert v.passed
    kinds = {f.id: f.kind for f in v.figures}
    # The fixture's check also tries a figure from a non-series (`object()`): dropped, verdict unchanged.
    assert kinds == {"loss": "line", "boundary": "scatter", "fit": "scatter", "digits": "images", "weights": "images"}
    loss = next(f for f in v.figures if f.id == "loss")
    assert [s.name for s in loss.series] == ["loss", "val_loss"] and len(loss.series[0].y) == 20
    assert loss.series[0].x[:3] == [1.0, 2.0, 3.0]  # epochs count from 1
    assert loss.title.ja == "損失の推移" and loss.x_label.en == "epoch" and loss.check == "figs"
    boundary = next(f for f in v.figures if f.id == "boundary")
    assert {s.name for s in boundary.series} == {"class 0", "class 1"}
    assert sum(len(s.x) for s in boundary.series) == 200
    assert boundary.field is not None and len(boundary.field.values) == 48
    digits = next(f for f in v.figures if f.id == "digits")
    assert len(digits.images) == 10 and digits.images[0].size == (28, 28)
    assert [p.mark for p in digits.images[:4]] == [True, False, False, True]
    weights = next(f for f in v.figures if f.id == "weights")
    assert weights.cmap == "diverging" and weights.images[0].size == (28, 28)  # (10, 784) became 28x28
    # The verdict (with its figures) survives JSON, as `check --json` and the store keep it.
    again = type(v).from_json(json.loads(json.dumps(v.to_json())))
    assert [f.to_json() for f in again.figures] == [f.to_json() for f in v.figures]


def test_a_failing_run_still_shows_its_figures(tmp_path):
    course = load_course(FIGCOURSE)
    ex = course.exercises[0]
    wrong = tmp_path / "wrong.py"
    wrong.write_text("def f(n):\n    return [float(i) for i in range(n + 1)]\n", encoding="utf-8")
    v = Checker().check(ex, wrong, seed=3)
    assert v.kind == "failed"
    loss = next(f for f in v.figures if f.id == "loss")
    assert loss.series[0].y[-1] == 20.0  # the rising curve the student drew


GOOD = {"kind": "line", "id": "loss", "title": {"ja": "損失", "en": "loss"},
        "series": [{"name": "loss", "x": [1, 2, 3], "y": [1.0, None, 0.5]}]}


@pytest.mark.parametrize("mutate, why", [
    (lambda d: d.update(kind="pickle"), "unknown kind"),
    (lambda d: d["series"][0].update(y=[1.0, float("nan"), 0.5]), "not finite"),
    (lambda d: d["series"][0].update(y=[1.0, "2", 0.5]), "a string as a number"),
    (lambda d: d["series"][0].update(x=[1, 2]), "x and y differ"),
    (lambda d: d["series"][0].update(x=list(range(MAX_POINTS + 1)), y=[0.0] * (MAX_POINTS + 1)), "too many points"),
    (lambda d: d.update(series=[]), "no series"),
    (lambda d: d.update(id="x" * 100), "long id"),
    (lambda d: d.update(kind="images", images=[{"pixels": [[0, 256]]}]), "pixel out of range"),
    (lambda d: d.update(kind="images", images=[{"pixels": [[0, 1], [2]]}]), "ragged picture"),
    (lambda d: d.update(kind="images", images=[{"pixels": [[0] * 65]}]), "picture too wide"),
    (lambda d: d.update(kind="scatter", field={"x0": 1, "x1": 0, "y0": 0, "y1": 1, "values": [[0]]}), "empty field"),
    (lambda d: d.update(title={"ja": "t" * 300, "en": "t"}), "long title"),
])
def test_the_tutor_rejects_figure_data_outside_the_format(mutate, why):
    assert Figure.from_json(copy.deepcopy(GOOD)).series[0].y == [1.0, None, 0.5]
    bad = copy.deepcopy(GOOD)
    mutate(bad)
    with pytest.raises(BadFigure):
        Figure.from_json(bad)


def test_invalid_figures_are_dropped_and_the_count_is_capped():
    items = [GOOD, {"kind": "line"}, "not a dict", None] + [GOOD] * (MAX_FIGURES + 3)
    kept = figures_from_json(items)
    assert len(kept) == MAX_FIGURES and all(f.id == "loss" for f in kept)
    assert figures_from_json({"kind": "line"}) == []


@pytest.mark.parametrize("system", ["256", "standard"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_kind_renders_at_80_columns_in_256_and_16_colours(passing_verdict, system, lang):
    # Rich keeps each Style's escape codes once rendered, and Style.parse is
    # cached: forget them, as a fresh process (one terminal) would have.
    Style.parse.cache_clear()
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=system, force_terminal=True, legacy_windows=False)
    console.print(render_figures(passing_verdict.figures, lang))
    ansi = out.getvalue()
    text = re.sub(r"\x1b\[[0-9;]*m", "", ansi)
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    for fig in passing_verdict.figures:
        assert fig.title.get(lang) in text
    names = {"ja": ("損失", "検証損失", "クラス 0", "クラス 1"), "en": ("loss", "val_loss", "class 0", "class 1")}[lang]
    assert all(name in text for name in names), names  # the legend in the student's language
    if lang == "ja":
        assert "val_loss" not in text and "class 0" not in text
    assert "▄" in text or "▀" in text  # pictures drawn with half-block cells
    assert any(ch in text for ch in "⠁⠂⠄⡀⢀⠈⠐⠠")  # lines drawn with braille cells
    assert "0→1" in text  # a digit's label
    codes = set(re.findall(r"\x1b\[([0-9;]*)m", ansi))
    if system == "standard":  # 16 colours: only the basic SGR codes, no 256-colour or RGB ones
        assert not [c for c in codes if "38;5" in c or "48;5" in c or "38;2" in c or "48;2" in c]
        assert any(c.startswith("3") and c != "30" for c in codes) and "97;40" in codes  # colours, white on black
    else:
        assert any("38;5" in c for c in codes)


def test_without_colour_pictures_are_characters(passing_verdict):
    """A file, NO_COLOR or TERM=dumb: grey levels as a character ramp, mistakes starred, weights signed."""
    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(render_figures(passing_verdict.figures, "en"))
    text = out.getvalue()
    assert "\x1b[" not in text and "▄" not in text
    assert "%%%%%%%%" in text and "*0→1" in text and " 1 " in text  # the bars of the fake digits; marked labels
    weights = text[text.index("Weights"):]
    assert "+" in weights and "-" in weights


def test_the_decision_boundary_is_where_the_field_crosses_one_half():
    fig = Figure.from_json({"kind": "scatter", "id": "b", "title": "b",
                            "series": [{"name": "class 0", "x": [0.0], "y": [0.0]}],
                            "field": {"x0": 0, "x1": 3, "y0": 0, "y1": 1, "values": [[0, 0, 255, 255], [0, 0, 255, 255]]}})
    xs, ys = boundary_points(fig)
    assert set(xs) == {1.0} and sorted(ys) == [0.0, 1.0]


def test_svg_escapes_what_the_run_sent():
    fig = Figure.from_json({"kind": "images", "id": "d", "title": {"ja": "<b>", "en": "<script>"},
                            "images": [{"pixels": [[0, 255], [255, 0]], "label": "<img src=x>", "mark": True}]})
    html = figure_svg(fig, "en") + pictures_svg(fig)
    assert "<script>" not in html and "<img src=x>" not in html and "&lt;img src=x&gt;" in html
    assert html.count("data:image/png;base64,") == 2


def test_png_files_with_matplotlib_or_a_clear_error(passing_verdict, tmp_path, monkeypatch):
    from tutor.figures import png

    pytest.importorskip("matplotlib", reason="matplotlib is optional (pip install .[plots])")
    paths = png.write_pngs(passing_verdict.figures, tmp_path / "out", "l-01-fig", "en")
    assert [p.name for p in paths] == [f"l-01-fig-{f.id}.png" for f in passing_verdict.figures]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 2000 for p in paths)
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(png.PlotsUnavailable):
        png.write_pngs(passing_verdict.figures, tmp_path / "none", "x", "en")
    assert not (tmp_path / "none").exists()


def test_a_figure_that_cannot_be_drawn_is_a_line_not_a_crash(passing_verdict, monkeypatch):
    """Whatever goes wrong drawing a figure (a plotting library with another API, say), the rest shows."""
    from tutor.figures import terminal

    monkeypatch.setattr(terminal, "plot_text", lambda *a: (_ for _ in ()).throw(AttributeError("no clear_figure")))
    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(render_figures(passing_verdict.figures, "en"))
    text = out.getvalue()
    assert "(AttributeError: no clear_figure)" in text and "Loss per epoch" in text
    assert "%%%%" in text  # the pictures after it are still drawn


def test_axes_tell_the_truth():
    """Whole-number epochs get whole-number ticks; a 1 % change is not drawn as a cliff; names are localised."""
    from tutor.figures.terminal import integer_ticks, series_name, y_range

    assert integer_ticks([1.0, 2.0, 3.0, 4.0, 5.0], 8) == [1, 2, 3, 4, 5]
    assert integer_ticks([float(i) for i in range(1, 101)], 6) == [1, 21, 41, 61, 81]
    assert integer_ticks([0.5, 1.0], 8) == []
    low, high = y_range([0.700, 0.697, 0.693])  # a 1 % fall
    assert high - low >= 0.1 * 0.7 - 1e-9 and low <= 0.693 and high >= 0.700
    low, high = y_range([2.3, 1.0, 0.05])  # a real fall keeps its own range, padded a little
    assert 0 <= low < 0.05 and 2.3 < high < 2.5
    assert y_range([0.001, 0.002])[0] >= 0  # losses are never drawn below zero for want of range
    assert series_name("val_loss", "ja") == "検証損失" and series_name("val_loss", "en") == "val_loss"
    assert series_name("class 3", "ja") == "クラス 3" and series_name("seed 7 again", "ja") == "シード 7 (もう一度)"
    assert series_name("y = x", "ja") == "y = x"

"""Figures a check sends with its verdict, and the ways to draw them.

`model` (plain data, validated) is all the core needs; `terminal` draws with
Rich and plotext, `png` with matplotlib when it is installed, `svg` for the
report. Importing this package loads none of them.
"""

from tutor.figures.model import BadFigure, Field, Figure, Picture, Series, figures_from_json

__all__ = ["BadFigure", "Field", "Figure", "Picture", "Series", "figures_from_json"]

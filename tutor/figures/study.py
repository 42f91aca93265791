"""An experiment's figures, drawn by the tutor from its stored rows (not sent by a check).

Learning curves of every setting (validation accuracy and training loss per
epoch, at most `MAX_SERIES` settings to a figure) and, for each factor of the
design, the accuracies against that factor's values (a category's position
stands for it: the title names them). Input is the plain rows of
`tutor.study.Row.to_json`; out come `Figure`s that every front end draws.
"""

from __future__ import annotations

from tutor.figures.model import MAX_NAME, MAX_SERIES, Figure, Series
from tutor.i18n import Text


def _name(label: str) -> str:
    return label if len(label) <= MAX_NAME else label[: MAX_NAME - 1] + "…"


def learning_curves(rows: list[dict]) -> list[Figure]:
    """Validation accuracy and training loss per epoch, one series per finished setting."""
    done = [r for r in rows if r.get("status") == "ok" and r.get("history")]
    figures = []
    for part, start in enumerate(range(0, len(done), MAX_SERIES)):
        chunk = done[start:start + MAX_SERIES]
        suffix = f" ({part + 1})" if len(done) > MAX_SERIES else ""
        for key, ja, en in (("val_acc", "検証正解率の推移", "Validation accuracy per epoch"),
                            ("train_loss", "訓練損失の推移", "Training loss per epoch")):
            series = [Series(name=_name(r.get("label", "")), x=[float(i + 1) for i in range(len(r["history"]))],
                             y=[_num(h.get(key)) for h in r["history"]]) for r in chunk]
            figures.append(Figure(kind="line", id=f"study_{key}_{part + 1}", title=Text(ja=ja + suffix, en=en + suffix),
                                  x_label=Text(ja="エポック", en="epoch"),
                                  y_label=Text(ja="正解率" if key == "val_acc" else "損失", en="accuracy" if key == "val_acc" else "loss"),
                                  series=series))
    return figures


def factor_figures(rows: list[dict], factors: list[str]) -> list[Figure]:
    """For each factor: test and validation accuracy of every finished setting against its value."""
    done = [r for r in rows if r.get("status") == "ok" and r.get("history") and r.get("test_acc") is not None]
    figures = []
    for factor in factors:
        values = [r["config"].get(factor) for r in done]
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        cats = [] if numeric else sorted({repr(v) for v in values})
        xs = [float(v) if numeric else float(cats.index(repr(v))) for v in values]
        order = sorted(range(len(done)), key=lambda i: xs[i])
        note = "" if numeric else " (" + ", ".join(f"{i}={c.strip(chr(39))}" for i, c in enumerate(cats)) + ")"
        series = [Series(name=name, x=[xs[i] for i in order], y=[_num(get(done[i])) for i in order])
                  for name, get in (("test acc", lambda r: r["test_acc"]), ("val acc", lambda r: r["history"][-1].get("val_acc")))]
        figures.append(Figure(kind="scatter", id=f"study_factor_{factor}"[:MAX_NAME],
                              title=Text(ja=f"{factor} と正解率{note}", en=f"Accuracy against {factor}{note}"),
                              x_label=Text(ja=factor, en=factor), y_label=Text(ja="正解率", en="accuracy"), series=series))
    return figures


def study_figures(rows: list[dict], factors: list[str]) -> list[Figure]:
    """Every figure of a study: learning curves first, then one per factor."""
    return learning_curves(rows) + factor_figures(rows, factors)


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

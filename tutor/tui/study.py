"""An experiment in the exercise panel: the study's table, its discussion, the running study's line.

Drawn from what `tutor.session` hands over (a `Study` read from the store, the
discussion as read from the student's `<exercise>.md`); nothing here runs anything.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text as RText

from tutor.i18n import tr
from tutor.tui.texts import duration

COLUMNS = ("setting", "status", "epochs", "val_acc", "test_acc", "seconds")


def _pct(value) -> str:
    return f"{100 * value:.2f}%" if isinstance(value, (int, float)) else "-"


def study_table(study, lang: str) -> Table:
    """One row per stored setting; the one chosen on validation accuracy marked with *."""
    table = Table(expand=False, pad_edge=False)
    for col in COLUMNS:
        table.add_column(tr(f"study.col_{col}", lang), justify="left" if col in ("setting", "status") else "right",
                         no_wrap=col != "setting")
    ok = [r for r in study.rows if r.status == "ok"]
    best = max(ok, key=lambda r: r.final.get("val_acc", 0)) if ok else None
    for row in study.rows:
        table.add_row(("* " if row is best else "") + row.label, tr(f"study.status_{row.status}", lang),
                      str(len(row.history) or "-"), _pct(row.final.get("val_acc")), _pct(row.test_acc), f"{row.seconds:.1f}",
                      style=None if row.status == "ok" else "red")
    return table


def study_body(body: RenderableType, study, discussion: dict, lang: str) -> RenderableType:
    """The exercise panel of an experiment: its usual body, then the study and the discussion."""
    parts: list[RenderableType] = [body, RText(""), RText(tr("tui.study.heading", lang), style="bold")]
    if study is None or not study.rows:
        parts.append(RText(tr("tui.study.none", lang), style="dim"))
    else:
        parts.append(study_table(study, lang))
    parts += [RText(""), RText(tr("study.discussion", lang), style="bold")]
    if not discussion.get("exists"):
        parts.append(RText(tr("study.no_discussion", lang, path=discussion.get("path", "")), style="yellow"))
    elif not discussion.get("utf8"):
        parts.append(RText(tr("study.discussion_not_utf8", lang, path=discussion.get("path", "")), style="red"))
    else:
        parts.append(Markdown(discussion.get("text") or ""))
    return Group(*parts)


def progress_line(event, lang: str) -> str:
    """setting i of n, the epoch, loss, accuracy and the time left, on one line."""
    if event.kind == "plan":
        return tr("study.cached", lang, cached=event.total - event.to_run, run=event.to_run)
    line = tr("study.progress", lang, i=event.index, n=event.total, label=event.label)
    if event.kind == "epoch":
        loss = f"{event.train_loss:.4f}" if isinstance(event.train_loss, (int, float)) else "-"
        line += "  " + tr("study.epoch", lang, epoch=event.epoch, of=f"/{event.epochs}" if event.epochs else "",
                          loss=loss, acc=_pct(event.val_acc))
    if event.eta_s is not None:
        line += "  " + tr("study.eta", lang, eta=duration(event.eta_s, lang))
    return line

"""`dltutor run EX` of an experiment: its study with live progress (Rich), its table, then its checks.

`tutor.cli.working.cmd_run` sends experiments here; any other exercise's file
is run there and its output shown, without checking.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text as RText

from tutor.cli import render
from tutor.i18n import tr
from tutor.session import Tutor
from tutor.study import Study, StudyEvent


def run_study_command(tutor: Tutor, ex, args) -> int:
    """`dltutor run` of an experiment: the study with live progress, its table, then its checks
    (`--no-check`: not). Exit 0 on a pass (or a complete study with `--no-check`), 130 on Ctrl-C."""
    out = render.console_for()
    lang = args.lang
    done: list[int] = []
    live = out.is_terminal and not args.json
    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[info]}"),
                        console=out, transient=True, disable=not live)
    task = None

    def on_event(event: StudyEvent) -> None:
        nonlocal task
        if event.kind == "plan":
            if not args.json and event.to_run < event.total:
                out.print(RText(tr("study.cached", lang, cached=event.total - event.to_run, run=event.to_run), style="dim"))
            task = progress.add_task("", total=max(1, event.to_run), info="")
            return
        head = tr("study.progress", lang, i=event.index, n=event.total, label=event.label)
        eta = tr("study.eta", lang, eta=_duration(event.eta_s)) if event.eta_s is not None else ""
        if event.kind == "epoch":
            line = tr("study.epoch", lang, epoch=event.epoch, of=f"/{event.epochs}" if event.epochs else "",
                      loss=_f(event.train_loss, 4), acc=_pct(event.val_acc))
            progress.update(task, description=head, info=f"{line}  {eta}")
            if not live and not args.json:
                out.print(f"{head}  {line}  {eta}")
        elif event.kind == "start":
            progress.update(task, description=head, info=eta)
        elif event.kind == "done":
            done.append(event.index)
            progress.advance(task)
            if not args.json:
                row = event.row
                out.print(RText(f"{head}: {_status(row.status, lang)}" + (f"  test {_pct(row.test_acc)}" if row.test_acc is not None else "")
                                + (f"  ({row.message.get(lang)})" if row.message else ""),
                                style="green" if row.status == "ok" else "red"))

    try:
        with progress:
            study = tutor.run_study(ex, device=args.device, on_event=on_event)
    except KeyboardInterrupt:
        render.console_for(stderr=True).print(RText(tr("study.interrupted", lang, count=len(done)), style="yellow"))
        return 130
    if study.error is not None:
        if args.json:
            print(json.dumps({"study": study.to_json(), "verdict": None}, ensure_ascii=False, indent=2))
        else:
            out.print(RText(study.error.get(lang), style="red"))
            if study.output.strip():
                out.print(RText(study.output[-2000:], style="dim"))
        return 1
    if not args.json:
        out.print(study_table(study, ex.key, lang))
        out.print(RText(tr("study.run_done", lang, ran=study.ran, cached=len(study.rows) - study.ran), style="dim"))
    _write_pngs(study, ex, args, out)
    if args.no_check:
        if args.json:
            print(json.dumps({"study": study.to_json(), "verdict": None}, ensure_ascii=False, indent=2))
        return 0 if study.complete else 1
    if not args.json:
        out.print(RText(tr("study.now_checking", lang), style="dim"))
    verdict = tutor.check(ex, device=args.device)
    if args.json:
        print(json.dumps({"study": study.to_json(), "verdict": verdict.to_json()}, ensure_ascii=False, indent=2))
    else:
        out.print(render.verdict_renderable(verdict, ex, lang))
        out.print(render.next_steps(verdict, ex, lang, tutor.workspace.path(ex)))
    return 0 if verdict.passed else 1


def study_table(study: Study, key: str, lang: str) -> Table:
    """The results table: one row per setting, the chosen one marked."""
    table = Table(title=tr("study.heading", lang, ex=key, n=len(study.rows), factors=", ".join(study.factors) or "-"))
    for col in ("setting", "status", "epochs", "train_loss", "val_acc", "test_acc", "seconds", "memory"):
        table.add_column(tr(f"study.col_{col}", lang), justify="left" if col in ("setting", "status") else "right",
                         min_width=24 if col == "setting" else None, no_wrap=col != "setting")
    ok = [r for r in study.rows if r.status == "ok"]
    best = max(ok, key=lambda r: r.final.get("val_acc", 0)) if ok else None
    for row in study.rows:
        mark = "* " if row is best else ""
        table.add_row(mark + row.label, _status(row.status, lang), str(len(row.history) or "-"), _f(row.final.get("train_loss"), 4),
                      _pct(row.final.get("val_acc")), _pct(row.test_acc), _f(row.seconds, 1), _f(row.peak_rss_mb, 0),
                      style=None if row.status == "ok" else "red")
    if best is not None:
        table.caption = "* " + tr("study.chosen", lang, label=best.label, test=_pct(best.test_acc))
    return table


def _write_pngs(study: Study, ex, args, out: Console) -> None:
    if not args.png:
        return
    from tutor.figures.png import PlotsUnavailable, write_pngs
    from tutor.figures.study import study_figures

    figures = study_figures([r.to_json() for r in study.rows], study.factors)
    try:
        paths = write_pngs(figures, Path(args.png), ex.key.replace("/", "-"), args.lang)
    except PlotsUnavailable:
        out.print(RText(tr("cli.png_unavailable", args.lang), style="yellow"))
        return
    for path in paths:
        out.print(RText(tr("cli.png_written", args.lang, path=path), style="dim"))


def _status(status: str, lang: str) -> str:
    return tr(f"study.status_{status}", lang)


def _pct(value) -> str:
    return f"{100 * value:.2f}%" if isinstance(value, (int, float)) else "-"


def _f(value, digits: int) -> str:
    return f"{value:.{digits}f}" if isinstance(value, (int, float)) else "-"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"

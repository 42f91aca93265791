"""Rich renderings of the core's objects for the command line.

Everything that came from student code (output, exception messages, source
lines) is passed as `rich.text.Text`, never as markup, so `[red]` or escape
sequences in it are shown as they are.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RText

from tutor.course.manifest import Exercise
from tutor.i18n import Text, tr
from tutor.i18n.richtext import Prose
from tutor.i18n.richtext import install as install_line_breaking
from tutor.check.verdict import KIND_STYLE, Verdict

MARKS = {"passed": ("✓", "green"), "failed": ("✗", "red"), "todo": ("…", "yellow"), "error": ("!", "red"),
         "needs_gpu": ("-", "yellow"), "unavailable": ("-", "yellow"), "not_run": ("·", "bright_black")}
STATUS_MARK = {"passed": ("✓", "green"), "attempted": ("✗", "yellow"), "not_started": ("·", "bright_black")}


def verdict_renderable(verdict: Verdict, exercise: Exercise, lang: str):
    """The whole verdict as one Rich renderable: headline, per-check lines, error, output."""
    parts = []
    head = RText()
    head.append(f"{exercise.short} {exercise.key}  ", style="bold")
    head.append(verdict.headline(lang), style=KIND_STYLE.get(verdict.kind, "bold"))
    head.append(f"  ({verdict.duration_s:.1f} s, {verdict.device or '-'})", style="dim")
    parts.append(Prose(head))
    if verdict.detail:
        parts.append(Prose(verdict.detail.get(lang)))
    for line in verdict.checks:
        mark, style = MARKS.get(line.status, ("?", "red"))
        # Continuation lines hang under the title, after the mark.
        status = None
        if line.status not in ("passed",):
            status = RText(f"  [{tr(f'status.{line.status}', lang)}]", style=style)
        parts.append(Prose(line.title.get(lang), prefix=RText(f"  {mark} ", style=style), suffix=status))
        if line.message and line.status != "passed":
            parts.append(Prose(line.message.get(lang), prefix="      "))
    if verdict.error:
        parts.append(error_renderable(verdict, lang))
    if verdict.output.strip():
        tail = "\n".join(verdict.output.rstrip().splitlines()[-15:])
        parts.append(Panel(RText(tail), title=tr("cli.output", lang), title_align="left", border_style="bright_black"))
    return Group(*parts)


def error_renderable(verdict: Verdict, lang: str):
    """The exception, trimmed to the student's file, with a caret for syntax errors."""
    err = verdict.error
    lines = [RText(f"{err.exc_type}: {err.message}", style="red")]
    for frame in err.frames:
        func = frame.get("func")  # none for a syntax error: the file never ran
        where = tr("cli.frame", lang, line=frame.get("line"), func=func) if func else tr("cli.frame_line", lang, line=frame.get("line"))
        lines.append(RText(f"  {where}", style="dim"))
        code = str(frame.get("code") or "")
        if code:
            lines.append(RText(f"    {code}"))
            col = int(frame.get("col") or 0)
            if verdict.kind == "syntax_error" and col > 0:
                lines.append(RText("    " + " " * (col - 1) + "^", style="bold red"))
    if err.hint:
        prefix = RText(tr("cli.hint_prefix", lang), style="bold cyan")
        lines.append(Prose(err.hint.get(lang), prefix=prefix, hang=2))
    return Group(*lines)


def next_steps(verdict: Verdict, exercise: Exercise, lang: str, path, watching: bool = False) -> Prose:
    """A one-line suggestion of what to do next."""
    key = "cli.next_passed" if verdict.passed else "cli.next_failed"
    if watching and not verdict.passed:
        key = "cli.next_failed_watch"
    return Prose(tr(key, lang, ex=exercise.short, path=path), style="dim")


def hint_renderable(level: int, total: int, text: Text, lang: str):
    """One hint level in a panel."""
    return Panel(Prose(text.get(lang)), title=tr("cli.hint_title", lang, level=level, total=total),
                 title_align="left", border_style="cyan")


def exercises_table(tutor, lang: str) -> Table:
    """Every lesson and exercise with its status."""
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column(tr("cli.col_id", lang))
    table.add_column(tr("cli.col_title", lang))
    table.add_column(tr("cli.col_status", lang))
    for lp in tutor.lessons_progress():
        table.add_row(str(lp.lesson.number), RText(lp.lesson.id, style="bold"),
                      Prose(lp.lesson.title.get(lang), style="bold"), f"{lp.passed}/{lp.total}")
        for ex, prog in zip(lp.lesson.exercises, lp.exercises):
            mark, style = STATUS_MARK[prog.status]
            label = f"{mark} {tr('progress.' + prog.status, lang)}"
            if prog.passed and tutor.foreign_pass(ex):  # judged by another pack's checks
                label, style = f"{label} {tr('progress.foreign_pass', lang)}", "yellow"
            table.add_row(ex.short, ex.key, Prose(ex.title.get(lang)), RText(label, style=style))
    return table


def console_for(stderr: bool = False) -> Console:
    """A console that degrades to plain text when not on a terminal, breaking lines by the tutor's rule."""
    install_line_breaking()
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def mutate_report(out: Console, report, lang: str, *, verbose: bool = False) -> None:
    """One exercise of `dev mutate`: the reference's verdict and time, the counts, then the
    survivors, the rejections that do not name the mistake and stale equivalents."""
    if report.skipped:
        print_line(out, RText(tr("dev.mutate_skipped", lang, ex=report.key, kind=report.skipped), style="yellow"))
        return
    m, k, e, s, n = report.count()
    share = f"{report.reference_s / report.timeout_s:.0%}" if report.reference_s and report.timeout_s else "-"
    print_line(out, RText(tr("dev.mutate_exercise", lang, ex=report.key, mutants=m, killed=k, equivalent=e, survived=s,
                       named=n, seconds=f"{report.reference_s or 0:.1f}", limit=f"{report.timeout_s:g}", share=share),
                    style="bold red" if s else "bold"))
    if report.untested:
        print_line(out, RText(f"  - {tr('dev.mutate_untested', lang, count=report.untested)}", style="yellow"))
    for o in report.outcomes:
        where = f"{o.mutant.id} (line {o.mutant.line}): {o.mutant.what}"
        if o.untested:
            if verbose:
                print_line(out, RText(f"  - {where}", style="dim"))
        elif not o.killed and o.equivalent is None:
            print_line(out, RText(f"  ✗ {tr('dev.mutate_survived', lang)} {where}", style="red"))
        elif not o.killed:
            if verbose:
                print_line(out, RText(f"  = {tr('dev.mutate_equivalent', lang)} {where}: {o.equivalent}", style="dim"))
        elif not o.named:
            print_line(out, RText(f"  ? {tr('dev.mutate_unnamed', lang)} [{o.missing}] {where} -> {o.kind}: {o.message[:200]}",
                                  style="yellow"))
        elif verbose:
            print_line(out, RText(f"  ✓ {where} -> {o.kind}", style="dim"))
    for line in report.stale:
        print_line(out, RText(f"  ! {tr('dev.mutate_stale', lang)} {line}", style="yellow"))


def print_line(out: Console, text: RText) -> None:
    """One report line, never wrapped (reports are read in wide terminals and grepped)."""
    out.print(text, soft_wrap=True)

"""Rich renderings of what the exercise panel shows: header, verdict, hints.

Pure functions of the core's objects and a language, so they are easy to test
and the widgets stay small. Anything that came from student code (output,
exception messages, source lines) goes in as `rich.text.Text`, never as
markup: `[red]` or escape sequences in it are shown as they are.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Group, RenderableType
from rich.text import Text as RText

from tutor.course.manifest import Exercise
from tutor.i18n import Text, tr
from tutor.i18n.richtext import Prose, inline
from tutor.progress.store import ExerciseProgress
from tutor.tui.texts import CHECK_MARK, STATUS_MARK, short_path
from tutor.check.verdict import KIND_STYLE, Verdict

OUTPUT_LINES = 12
"""Lines of the student's output shown under a verdict (the end is where errors are)."""


def exercise_header(exercise: Exercise, progress: ExerciseProgress, path: Path, lang: str) -> RenderableType:
    """Title, file path, and the attempts and hints used so far."""
    title = Prose(tr("tui.ex.heading", lang, short=exercise.short, title=exercise.title.get(lang)), style="bold")
    file_line = RText(tr("tui.ex.file", lang, path=short_path(path)), style="dim")
    mark, style = STATUS_MARK[progress.status]
    stats = RText(f"{mark} ", style=style)
    stats.append(tr("tui.ex.stats", lang, status=tr(f"progress.{progress.status}", lang), attempts=progress.attempts,
                   hints=progress.hints_revealed, total=len(exercise.hints)))
    if progress.solution_revealed:
        stats.append(tr("tui.ex.solution_seen", lang))
    parts: list[RenderableType] = [title, file_line, stats]
    if exercise.gpu:
        parts.append(RText(tr("tui.ex.gpu", lang), style="dim"))
    return Group(*parts)


def verdict_renderable(verdict: Verdict, lang: str) -> RenderableType:
    """The verdict check by check: headline, detail, per-check lines, error, output tail."""
    head = inline(verdict.headline(lang), style=KIND_STYLE.get(verdict.kind, "bold"))
    head.append("  " + tr("tui.ex.meta", lang, duration=verdict.duration_s, device=verdict.device or "-"), style="dim")
    parts: list[RenderableType] = [Prose(head)]
    if verdict.detail:
        parts.append(Prose(verdict.detail.get(lang)))
    for line in verdict.checks:
        mark, style = CHECK_MARK.get(line.status, ("?", "red"))
        status = None
        if line.status != "passed":
            status = RText(f"  [{tr(f'status.{line.status}', lang)}]", style=style)
        # Continuation lines hang under the title, after the mark; the message under the title too.
        parts.append(Prose(line.title.get(lang), prefix=RText(f" {mark} ", style=style), suffix=status))
        if line.message and line.status != "passed":
            parts.append(Prose(line.message.get(lang), prefix="   "))
    if verdict.error:
        parts.extend(_error_lines(verdict, lang))
    if verdict.output.strip():
        parts.append(RText(tr("tui.ex.output", lang), style="bold dim"))
        tail = verdict.output.rstrip().splitlines()[-OUTPUT_LINES:]
        parts.append(RText("\n".join(tail), style="dim"))
    return Group(*parts)


def _error_lines(verdict: Verdict, lang: str) -> list[RenderableType]:
    err = verdict.error
    lines: list[RenderableType] = [RText(f"{err.exc_type}: {err.message}", style="red")]
    for frame in err.frames:
        lines.append(RText("  " + tr("tui.ex.frame", lang, line=frame.get("line"), func=frame.get("func") or "-"),
                           style="dim"))
        code = str(frame.get("code") or "")
        if code:
            lines.append(RText(f"    {code}"))
            col = int(frame.get("col") or 0)
            if verdict.kind == "syntax_error" and col > 0:
                lines.append(RText("    " + " " * (col - 1) + "^", style="bold red"))
    if err.hint:
        lines.append(Prose(err.hint.get(lang), prefix=RText(tr("tui.ex.error_hint", lang), style="bold cyan"), hang=2))
    return lines


def hints_renderable(hints: list[Text], total: int, lang: str) -> RenderableType:
    """The hints revealed so far, in order, each under its level."""
    parts: list[RenderableType] = []
    for level, hint in enumerate(hints, start=1):
        parts.append(RText(tr("tui.ex.hint", lang, level=level, total=total), style="bold cyan"))
        parts.append(Prose(hint.get(lang)))
    return Group(*parts)


def exercise_body(exercise: Exercise, progress: ExerciseProgress, path: Path, verdict: Verdict | None,
                  from_store: bool, hints: list[Text], lang: str) -> RenderableType:
    """Everything in the exercise panel, top to bottom."""
    parts: list[RenderableType] = [exercise_header(exercise, progress, path, lang), RText("")]
    if verdict is None:
        parts.append(Prose(tr("tui.ex.no_verdict", lang), style="dim"))
    else:
        if from_store:
            parts.append(RText(tr("tui.ex.previous", lang), style="dim"))
        parts.append(verdict_renderable(verdict, lang))
    if hints:
        parts.append(RText(""))
        parts.append(hints_renderable(hints, len(exercise.hints), lang))
    if verdict is not None and verdict.figures:
        # Last: plots are tall, and the panel scrolls (`z` gives it the whole screen).
        from tutor.figures.terminal import render_figures

        parts.append(RText(""))
        parts.append(Prose(tr("tui.ex.figures", lang), style="bold"))
        parts.append(render_figures(verdict.figures, lang, height=12))
    return Group(*parts)

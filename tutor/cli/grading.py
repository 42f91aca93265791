"""`dltutor grade`: the instructor's command (it opens no student store or workspace)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text as RText

from tutor.cli import render
from tutor.course.manifest import ContentError
from tutor.i18n import tr


def add_parser(sub, common) -> None:
    """The `grade` subcommand's options."""
    p = sub.add_parser("grade", parents=[common],
                       help="instructors: re-check a class's hand-ins and write grades.csv, grades.json, class.html")
    p.add_argument("handins", nargs="+", metavar="HANDIN",
                   help="hand-in files (.html, .json), folders, globs or zips as downloaded from an LMS")
    p.add_argument("--out", metavar="DIR", required=True, help="where the grades, the class page and the cache go")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="local checks at a time (default: one per core)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="a Dask scheduler (tcp://HOST:PORT) whose workers have dltutor and the course installed")
    p.add_argument("--device", choices=("cpu", "cuda", "auto"), default="cpu", help="where the checks run (default: cpu)")


def cmd_grade(args) -> int:
    """Grade, show progress with an ETA on stderr, write the three files, print a summary."""
    from tutor.grade.outputs import write_all
    from tutor.grade.pool import default_jobs
    from tutor.grade.run import grade

    lang = args.lang
    err = render.console_for(stderr=True)
    out = render.console_for()
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("ETA"), TimeRemainingColumn(), console=err, transient=False,
                   disable=not sys.stderr.isatty())
    task = bar.add_task(tr("grade.progress", lang), total=None)

    def progress(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    err.print(RText(tr("grade.reading", lang), style="dim"))
    try:
        with bar:
            result = grade(args.handins, Path(args.out), course_root=getattr(args, "course", None),
                           jobs=args.jobs or default_jobs(), scheduler=args.scheduler, device=args.device,
                           progress=progress)
        paths = write_all(result, Path(args.out), lang)
    except (ContentError, OSError, RuntimeError) as exc:
        err.print(RText(tr("grade.failed", lang, reason=exc), style="red"))
        return 1
    if not result.students and not result.unreadable:
        err.print(RText(tr("grade.no_handins", lang, paths=" ".join(args.handins)), style="red"))
        return 1
    for hand in result.unreadable:
        err.print(RText(tr("grade.unreadable_line", lang, origin=hand.origin, problem=hand.problem), style="yellow"))
    for path in paths:
        out.print(RText(tr("grade.written", lang, path=path.resolve())))
    out.print(tr("grade.summary", lang, students=len(result.students), checks=result.checks_run + result.checks_cached,
                 seconds=result.seconds, flags=sum(len(s.flags) for s in result.students),
                 unreadable=len(result.unreadable)))
    return 0

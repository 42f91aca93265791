"""The `dltutor` subcommands. Each takes parsed args and returns an exit code."""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
from dataclasses import asdict
from pathlib import Path

from rich.syntax import Syntax
from rich.text import Text as RText

from tutor.cli import render, working
from tutor.course.manifest import ContentError, UnknownExercise
from tutor.i18n import tr
from tutor.i18n.codediff import diff_text
from tutor.i18n.richtext import Prose
from tutor.session import SolutionLocked, Tutor
from tutor.progress.workspace import WorkspaceError


WARM_COMMANDS = ("start", "watch", "run")
"""Commands that check more than once and so keep a warm worker."""


def run(args) -> int:
    """Open the tutor for `args` and dispatch to the subcommand."""
    lang = args.lang
    err = render.console_for(stderr=True)
    try:
        # Long-running commands keep a warm worker; a one-shot check does not,
        # since starting the worker costs as much as one cold check.
        warm = (args.command in WARM_COMMANDS or (args.command == "dev" and not getattr(args, "no_run", False))
                or (args.command == "check" and args.all))
        tutor = Tutor.open(course=getattr(args, "course", None), workspace=getattr(args, "workspace", None),
                           lang=lang, warm=warm)
    except ContentError as exc:
        err.print(Prose(tr("cli.course_error", lang, error=exc), style="red"))
        return 2
    try:
        full_screen = args.command == "start" and ((sys.stdin.isatty() and sys.stdout.isatty()) or served()
                                                   or getattr(args, "tui", False))
        if not full_screen:  # the full-screen tutor shows them itself
            for notice in tutor.notices:
                err.print(RText(notice.render(lang), style="yellow"))
        if warm and not full_screen:
            tutor.warm_up()
        handler = HANDLERS[args.command if args.command != "dev" else f"dev_{args.dev_command}"]
        return handler(tutor, args)
    except UnknownExercise as exc:
        err.print(Prose(tr("cli.unknown_exercise", lang, query=exc.query), style="red"))
        if exc.suggestions:
            err.print(Prose(tr("cli.did_you_mean", lang, suggestions=", ".join(exc.suggestions))))
        err.print(Prose(tr("cli.list_hint", lang)))
        return 2
    except WorkspaceError as exc:
        err.print(RText(exc.render(lang), style="red"))
        return 1
    finally:
        tutor.close()


def cmd_list(tutor: Tutor, args) -> int:
    """`dltutor list`: lessons and exercises in course order, with status."""
    if args.json:
        data = {"course": tutor.course.id, "title": tutor.course.title.to_json(), "lessons": []}
        for lp in tutor.lessons_progress():
            data["lessons"].append({
                "id": lp.lesson.id, "number": lp.lesson.number, "title": lp.lesson.title.to_json(),
                "passed": lp.passed, "total": lp.total,
                "exercises": [{"id": ex.key, "short": ex.short, "title": ex.title.to_json(), "status": p.status,
                               "foreign_pass": bool(p.passed and tutor.foreign_pass(ex)),
                               "gpu": ex.gpu, "optional": ex.optional, "figures": list(ex.figures),
                               "timeout_s": ex.timeout_s, "hints": len(ex.hints),
                               "path": str(tutor.workspace.path(ex))}
                              for ex, p in zip(lp.lesson.exercises, lp.exercises)],
            })
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    out = render.console_for()
    out.print(RText(tutor.course.title.get(args.lang), style="bold"))
    out.print(render.exercises_table(tutor, args.lang))
    return 0


def cmd_check(tutor: Tutor, args) -> int:
    """`dltutor check [EX] [--all]`: run the hidden checks once (the current exercise without EX);
    exit 0 only on a pass."""
    if args.all:
        return working.cmd_check_all(tutor, args)
    ex = working.chosen_exercise(tutor, args)
    verdict = tutor.check(ex, device=args.device, seed=args.seed)
    if args.json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False, indent=2))
    else:
        out = render.console_for()
        out.print(render.verdict_renderable(verdict, ex, args.lang))
        show_figures(verdict, ex, args, out)
        out.print(render.next_steps(verdict, ex, args.lang, tutor.workspace.path(ex)))
    if verdict.unsaved is not None:
        render.console_for(stderr=True).print(RText(verdict.unsaved.render(args.lang), style="yellow"))
    return 0 if verdict.passed else 1


def show_figures(verdict, ex, args, out) -> None:
    """Draw the run's figures (unless --no-plots) and write them as PNGs with --png DIR."""
    if verdict.figures and not args.no_plots:
        from tutor.figures.terminal import render_figures

        out.print(render_figures(verdict.figures, args.lang))
    if args.png and verdict.figures:
        from tutor.figures.png import PlotsUnavailable, write_pngs

        try:
            paths = write_pngs(verdict.figures, Path(args.png), ex.key.replace("/", "-"), args.lang)
        except PlotsUnavailable:
            out.print(Prose(tr("cli.png_unavailable", args.lang), style="yellow"))
        except OSError as exc:
            out.print(Prose(tr("cli.png_failed", args.lang, reason=exc), style="yellow"))
        else:
            for path in paths:
                out.print(Prose(tr("cli.png_written", args.lang, path=path), style="dim"))


def cmd_solution(tutor: Tutor, args) -> int:
    """`dltutor solution EX`: the reference solution, after a pass or with --give-up."""
    ex = tutor.find(args.exercise)
    out = render.console_for()
    was_passed = tutor.progress(ex).passed
    try:
        code = tutor.solution(ex, give_up=args.give_up)
    except SolutionLocked:
        render.console_for(stderr=True).print(Prose(tr("cli.solution_locked", args.lang, ex=ex.short), style="yellow"))
        return 1
    mine = tutor.workspace.path(ex)
    if getattr(args, "diff", False) and not mine.is_file():
        render.console_for(stderr=True).print(Prose(tr("cli.solution_diff_no_file", args.lang, path=mine), style="yellow"))
    if getattr(args, "diff", False) and mine.is_file():
        diff = diff_text(mine.read_text(encoding="utf-8", errors="replace"), code, str(mine),
                         f"{tr('cli.solution_title', args.lang, ex=ex.key)}")
        out.print(Prose(tr("cli.solution_diff_title", args.lang, ex=ex.key), style="bold"))
        # Lines are never wrapped by Rich: a continuation line without its +/- would mislead.
        out.print(diff if diff is not None else Prose(tr("cli.solution_diff_same", args.lang), style="green"),
                  soft_wrap=True)
    else:
        out.print(Prose(tr("cli.solution_title", args.lang, ex=ex.key), style="bold"))
        out.print(Syntax(code, "python", line_numbers=True, theme="ansi_dark"))
    if not was_passed:
        out.print(Prose(tr("cli.solution_gave_up", args.lang), style="yellow"))
    return 0


def cmd_reset(tutor: Tutor, args) -> int:
    """`dltutor reset EX`: restore the stub; the student's version is kept as a backup."""
    ex = tutor.find(args.exercise)
    backup = tutor.reset(ex)
    out = render.console_for()
    out.print(Prose(tr("cli.reset_done", args.lang, path=tutor.workspace.path(ex))))
    if backup:
        out.print(Prose(tr("cli.reset_backup", args.lang, backup=backup)))
    return 0


def cmd_progress(tutor: Tutor, args) -> int:
    """`dltutor progress`: per exercise attempts, hints, solution reveals, first pass."""
    lessons = tutor.lessons_progress()
    # The totals count the required exercises, as the hand-in's do (`tutor.report.build`); optional ones apart.
    pairs = [(ex, p) for lp in lessons for ex, p in zip(lp.lesson.exercises, lp.exercises)]
    required = [p for ex, p in pairs if not ex.optional]
    optional = [p for ex, p in pairs if ex.optional]
    passed, total = sum(p.passed for p in required), len(required)
    if args.json:
        data = {"course": tutor.course.id, "totals": {"exercises": total, "passed": passed}, "exercises": []}
        for lp in lessons:
            for p in lp.exercises:
                data["exercises"].append(asdict(p) | {"status": p.status, "last_detail": None})
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    out = render.console_for()
    out.print(Prose(tr("cli.progress_title", args.lang, passed=passed, total=total), style="bold"))
    if optional:
        out.print(Prose(tr("cli.progress_optional", args.lang, passed=sum(p.passed for p in optional), total=len(optional))))
    for lp in lessons:
        out.print(Prose(f"{lp.lesson.number}. {lp.lesson.title.get(args.lang)}  {lp.passed}/{lp.total}", style="bold"))
        for ex, p in zip(lp.lesson.exercises, lp.exercises):
            mark, style = render.STATUS_MARK[p.status]
            status = tr(f"progress.{p.status}", args.lang)
            if p.passed and tutor.foreign_pass(ex):  # judged by another pack's checks
                status, style = f"{status} {tr('progress.foreign_pass', args.lang)}", "yellow"
            line = tr("cli.progress_line", args.lang, short=ex.short, key=ex.key,
                      status=status, attempts=p.attempts, hints=p.hints_revealed,
                      solution=tr("cli.progress_solution", args.lang) if p.solution_revealed else "")
            out.print(Prose(line, prefix=RText(f"  {mark} ", style=style)))
    return 0


def cmd_report(tutor: Tutor, args) -> int:
    """`dltutor report`: the hand-in (HTML with the report inside, and Markdown), or JSON on stdout with --json."""
    import getpass
    import time

    from tutor.progress.privatefile import write_private
    from tutor.report.build import build_report
    from tutor.report.html import render_html, render_markdown

    student_id, name = _student(tutor, args)
    report = build_report(tutor, student=name, student_id=student_id)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    out = render.console_for()
    if not student_id:
        out.print(Prose(tr("report.no_id", args.lang, login=getpass.getuser()), style="yellow"))
    folder = Path(args.out)
    who = re.sub(r"[^\w.-]+", "_", student_id or getpass.getuser()).strip("._") or "student"
    base = f"dltutor-{who}-{tutor.course.id}-{time.strftime('%Y%m%d')}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # a folder made for the hand-in is private too
        for suffix, text in ((".html", render_html(report, args.lang)), (".md", render_markdown(report, args.lang))):
            path = write_private(folder / (base + suffix), text)  # 0600, whole or not at all, never through a link
            out.print(Prose(tr("report.written", args.lang, path=path.resolve())))
    except OSError as exc:
        render.console_for(stderr=True).print(Prose(tr("report.failed", args.lang, reason=exc), style="red"))
        return 1
    return 0


def _student(tutor: Tutor, args) -> tuple[str | None, str | None]:
    """The student number and name: from the options (then remembered), the store, or asked once on a terminal."""
    values = {}
    for key, given, prompt in (("student_id", args.student_id, "report.ask_id"), ("student_name", args.name, "report.ask_name")):
        value = (given or "").strip() or tutor.store.get_setting(key)
        if not value and not args.json and sys.stdin.isatty() and sys.stdout.isatty():
            try:
                value = input(tr(prompt, args.lang)).strip()
            except EOFError:
                value = ""
        if value and value != tutor.store.get_setting(key):
            tutor.store.set_setting(key, value)
        values[key] = value or None
    return values["student_id"], values["student_name"]


def cmd_doctor(tutor: Tutor, args) -> int:
    """`dltutor doctor`: environment report, each line ok / warn / fail with a fix."""
    from tutor.doctor.findings import diagnose, probe_environment, read_gpus

    if args.json:
        report = diagnose(tutor)
    else:
        # Importing torch in the checking Python takes seconds (tens on a busy server): say so while it runs.
        # The spinner goes to stderr and only on a terminal (Rich draws nothing otherwise), so stdout stays the report.
        with render.console_for(stderr=True).status(tr("doctor.probing", args.lang), spinner="dots"):
            env = probe_environment()
        with render.console_for(stderr=True).status(tr("doctor.reading_gpus", args.lang), spinner="dots"):
            gpus = read_gpus()
        report = diagnose(tutor, env=env, gpus=gpus)
    if args.json:
        print(json.dumps({"ok": report.ok, "lines": [asdict(line) for line in report.lines],
                          "environment": asdict(report.env) if report.env else None,
                          "gpus": asdict(report.gpus) if report.gpus else None}, ensure_ascii=False, indent=2))
        return 0 if report.ok else 1
    out = render.console_for()
    styles = {"ok": "green", "warn": "yellow", "fail": "red"}
    for line in report.lines:
        row = RText(f"{line.status:>4}  ", style=styles[line.status])
        row.append(f"{line.label}: ", style="bold")
        row.append(line.value)
        out.print(row)
        if line.fix and line.status != "ok":
            out.print(RText(f"      → {line.fix}", style="dim"))
    return 0 if report.ok else 1


def cmd_dev_verify(tutor: Tutor, args) -> int:
    """`dltutor dev verify`: the course's files, texts, solutions and stubs, for authors."""
    from tutor.dev.verify import behaviour, structure

    out = render.console_for()
    course = tutor.course
    problems = structure(course)
    if not args.no_run and not problems:
        if args.only:
            keep = {tutor.find(q).key for q in args.only}
            from dataclasses import replace

            lessons = tuple(replace(l, exercises=tuple(e for e in l.exercises if e.key in keep)) for l in course.lessons)
            course = replace(course, lessons=tuple(l for l in lessons if l.exercises))

        def report(key: str, kind: str, result: str) -> None:
            out.print(RText(f"  {key} {kind}: {result}", style="dim"))

        problems += behaviour(course, tutor.checker, report, studies=not getattr(args, "no_studies", False))
    for problem in problems:
        out.print(RText(f"✗ {problem.where}: {problem.what}", style="red"))
    if problems:
        out.print(Prose(tr("cli.verify_problems", args.lang, count=len(problems)), style="bold red"))
        return 1
    out.print(Prose(tr("cli.verify_ok", args.lang, exercises=len(course.exercises)), style="bold green"))
    return 0


def cmd_dev_mutate(tutor: Tutor, args) -> int:
    """`dltutor dev mutate`: mutants of the reference solutions through the real checks."""
    from tutor.dev.mutants import OPERATORS
    from tutor.dev import mutate

    out, err = render.console_for(), render.console_for(stderr=True)
    unknown = [op for op in args.op or [] if op not in OPERATORS]
    if unknown:
        err.print(Prose(tr("dev.mutate_unknown_op", args.lang, ops=", ".join(unknown), known=", ".join(OPERATORS)), style="red"))
        return 2
    try:
        equivalents = mutate.load_equivalents(tutor.course.root)
    except mutate.EquivalentsError as exc:
        err.print(RText(str(exc), style="red"))
        return 2
    chosen = mutate.exercises_to_mutate(tutor.course, [tutor.find(q) for q in args.exercises])
    seed = mutate.DEFAULT_SEED if args.seed is None else args.seed
    status = getattr(tutor.checker.runner, "status", None)
    if status:  # wait for the warm worker, so the reference's time is its own
        status()
    reports = []
    for ex in chosen:
        report = mutate.run_exercise(ex, tutor.checker, equivalents=equivalents, seed=seed, ops=args.op,
                                     sample=args.sample)
        reports.append(report)
        render.mutate_report(out, report, args.lang, verbose=args.verbose)
    out.print(mutate.summary_line(reports))
    return 1 if mutate.totals(reports)[3] else 0


def served(env: dict | None = None) -> bool:
    """True when Textual's web driver runs us (`textual serve`, `dltutor serve`): no terminal, yet a screen."""
    env = os.environ if env is None else env
    return "web_driver" in env.get("TEXTUAL_DRIVER", "")


def cmd_serve(tutor: Tutor, args) -> int:
    """`dltutor serve`: the full-screen tutor in a browser, through textual-serve (the optional [web] extra)."""
    try:
        from textual_serve.server import Server
    except ImportError:
        render.console_for(stderr=True).print(Prose(tr("cli.serve_missing", args.lang), style="red"))
        return 1
    command = f"{shlex.quote(sys.executable)} -m tutor start"
    if getattr(args, "lang_explicit", None):  # only a chosen language skips the browser student's chooser
        command += f" --lang {args.lang_explicit}"
    if getattr(args, "course", None):
        command += f" --course {shlex.quote(str(args.course))}"
    Server(command, host=args.host, port=args.port, title="dltutor").serve()
    return 0


def cmd_start(tutor: Tutor, args) -> int:
    """`dltutor start`: the full-screen tutor in a terminal or behind textual-serve; a short guide otherwise."""
    if (sys.stdin.isatty() and sys.stdout.isatty()) or served() or getattr(args, "tui", False):
        try:
            from tutor.tui.app import run_app
        except ImportError:
            run_app = None
        if run_app is not None:
            return run_app(tutor, device=args.device, lang=getattr(args, "lang_explicit", None))
    ex = tutor.current()
    path, _ = tutor.prepare(ex)
    out = render.console_for()
    out.print(Prose(tr("cli.start_welcome", args.lang, ex=f"{ex.short} {ex.key}", title=ex.title.get(args.lang)), style="bold"))
    out.print(Prose(tr("cli.start_file", args.lang, path=path)))
    out.print(Prose(tr("cli.start_next", args.lang, ex=ex.short)))
    return 0


HANDLERS = {
    "start": cmd_start, "serve": cmd_serve, "list": cmd_list, "check": cmd_check, "watch": working.cmd_watch,
    "hint": working.cmd_hint, "run": working.cmd_run, "next": working.cmd_next,
    "solution": cmd_solution, "reset": cmd_reset, "progress": cmd_progress, "doctor": cmd_doctor, "report": cmd_report,
    "dev_verify": cmd_dev_verify, "dev_mutate": cmd_dev_mutate,
}

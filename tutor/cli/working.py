"""The commands a student works with between edits: `check` (one, the current, or `--all`),
`run`, `next`, `hint` without an id, and `watch`.

"The current exercise" is `Tutor.working_on()` everywhere: the one the student is on until
it is passed, then the first unfinished. A command that picks it says which it picked, so
nobody checks 1.3 believing it is 1.2.
"""

from __future__ import annotations

import json
import threading

from rich.text import Text as RText

from tutor.check.verdict import KIND_STYLE
from tutor.cli import render
from tutor.i18n import tr
from tutor.i18n.richtext import Prose
from tutor.session import Tutor, tally

SHORT_MARK = {"passed": ("✓", "green"), "not_started": ("·", "bright_black"), "ran": ("•", "cyan")}
"""A summary line's mark by verdict kind; every other kind is a ✗."""


def chosen_exercise(tutor: Tutor, args, out=None):
    """The exercise `args.exercise` names, or the current one (said on stderr, so `--json` stays clean)."""
    if getattr(args, "exercise", None):
        return tutor.find(args.exercise)
    ex = tutor.working_on()
    (out or render.console_for(stderr=True)).print(
        Prose(tr("work.current", args.lang, ex=f"{ex.short} {ex.key}", title=ex.title.get(args.lang)), style="dim"))
    return ex


def short_kind(kind: str, lang: str) -> str:
    """A verdict kind in one or two words (the summary's column)."""
    return tr(f"work.kind.{kind}", lang)


def summary_line(ex, verdict, lang: str) -> RText:
    """One exercise of `check --all`: mark, id, title, the verdict in a word."""
    mark, style = SHORT_MARK.get(verdict.kind, ("✗", "red"))
    row = RText(f"{mark} ", style=style)
    row.append(f"{ex.short:>5} ", style="bold")
    row.append(ex.title.get(lang))
    row.append("  ")
    row.append(short_kind(verdict.kind, lang), style=KIND_STYLE.get(verdict.kind, "bold"))
    return row


def cmd_check_all(tutor: Tutor, args) -> int:
    """`dltutor check --all`: every exercise once, a line each as it is judged, then the totals.
    Exit 0 only when every required exercise passed."""
    lang = args.lang
    out = render.console_for()
    if args.json:
        results = tutor.check_all(device=args.device)
        data = {"totals": tally(results),
                "exercises": [{"id": ex.key, "short": ex.short, "optional": ex.optional, "kind": v.kind,
                               "passed": v.passed} for ex, v in results]}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0 if data["totals"]["passed"] == data["totals"]["total"] else 1
    status = out.status(tr("work.checking_all", lang, count=len(tutor.course.exercises)))
    status.start()
    try:
        results = tutor.check_all(device=args.device, on_result=lambda ex, v: out.print(summary_line(ex, v, lang)))
    finally:
        status.stop()
    counts = tally(results)
    out.print(Prose(tr("work.all_totals", lang, **counts), style="bold"))
    if counts["opt_total"]:
        out.print(Prose(tr("work.all_optional", lang, **counts)))
    failed = [ex for ex, v in results if not ex.optional and not v.passed and v.kind != "not_started"]
    if failed:
        out.print(Prose(tr("work.all_next", lang, ex=failed[0].short), style="dim"))
    return 0 if counts["passed"] == counts["total"] else 1


def cmd_run(tutor: Tutor, args) -> int:
    """`dltutor run [EX]`: run the student's file (as `python file.py`, under the check's limits)
    and show what it printed; nothing is checked or recorded. Exit 0 when it ran to its end.
    An experiment's study is run by `tutor.cli.study.run_study_command` instead."""
    lang = args.lang
    out = render.console_for()
    ex = chosen_exercise(tutor, args)
    if ex.is_experiment:  # an experiment's file is a study: run it setting by setting, then check it
        from tutor.cli.study import run_study_command

        return run_study_command(tutor, ex, args)
    with out.status(tr("work.running", lang, ex=ex.short)):
        verdict = tutor.run_file(ex, device=args.device)
    out.print(run_renderable(verdict, ex, lang))
    return 0 if verdict.kind == "ran" else 1


def run_renderable(verdict, ex, lang: str):
    """What `run` shows: the whole output kept (its last 8000 characters), then how the run ended."""
    from rich.console import Group

    parts = []
    if verdict.output.strip():
        if verdict.output_truncated:
            parts.append(Prose(tr("work.output_cut", lang), style="dim"))
        parts.append(RText(verdict.output.rstrip("\n")))
    elif verdict.kind == "ran":
        parts.append(Prose(tr("work.no_output", lang), style="dim"))
    head = RText()
    head.append(f"{ex.short} {ex.key}  ", style="bold")
    head.append(tr("work.ran", lang) if verdict.kind == "ran" else verdict.headline(lang),
                style=KIND_STYLE.get(verdict.kind, "bold"))
    head.append(f"  ({verdict.duration_s:.1f} s, {verdict.device or '-'})", style="dim")
    parts.append(head)
    if verdict.detail:
        parts.append(RText(verdict.detail.get(lang)))
    if verdict.error:
        parts.append(render.error_renderable(verdict, lang))
    parts.append(Prose(tr("work.run_not_checked", lang, ex=ex.short), style="dim"))
    return Group(*parts)


def cmd_next(tutor: Tutor, args) -> int:
    """`dltutor next`: go on to the next unfinished exercise (its file written if missing) and say how to start."""
    lang = args.lang
    out = render.console_for()
    left, target = tutor.advance()
    if target is None:
        out.print(Prose(tr("work.all_done", lang), style="bold green"))
        return 0
    if left is not None and left.key != target.key and not tutor.progress(left).passed:
        out.print(Prose(tr("work.left_unfinished", lang, ex=left.short), style="yellow"))
    path, _ = tutor.prepare(target)
    out.print(Prose(tr("work.next", lang, ex=f"{target.short} {target.key}", title=target.title.get(lang)), style="bold"))
    out.print(Prose(tr("cli.start_file", lang, path=path)))
    out.print(Prose(tr("work.next_commands", lang), style="dim"))
    return 0


def cmd_watch(tutor: Tutor, args) -> int:
    """`dltutor watch [EX]`: check on every save of any exercise file, until Ctrl-C.

    The screen is cleared before each verdict (on a terminal, unless --no-clear), so the one
    shown is the latest; after a pass the next unfinished exercise is written out and followed."""
    from tutor.progress.watching import Watcher

    out = render.console_for()
    lang = args.lang
    first = tutor.find(args.exercise) if args.exercise else tutor.working_on()
    tutor.set_position(first)
    path, _ = tutor.prepare(first)
    by_path = {tutor.workspace.path(ex).resolve(): ex for ex in tutor.course.exercises}
    watch_root = tutor.workspace.root
    # Made before the first check, so a save during that check is not missed.
    watcher = Watcher([watch_root], poll=args.poll if args.poll else None)
    clear = out.is_terminal and not args.no_clear
    header = [tr("cli.watching", lang, target=watch_root)]
    if watcher.polling:
        header.append(tr("cli.watch_polling", lang))

    own: dict = {}  # stubs we wrote ourselves, by mtime: their events are not the student's saves

    def show(ex) -> None:
        if clear:
            out.clear()
        for line in header:
            out.print(RText(line, style="dim"))
        if _check_and_show(tutor, ex, args, out):
            written = _move_on(tutor, ex, args, out)
            if written is not None:
                own[written.resolve()] = _mtime(written)

    show(first)
    stop = threading.Event()
    try:
        for changed in watcher.saves(stop):
            for p in sorted(changed):
                p = p.resolve()
                ex = by_path.get(p)
                if ex is not None and not (p in own and own[p] == _mtime(p)):
                    show(ex)
    except KeyboardInterrupt:
        stop.set()
    out.print(Prose(tr("cli.watch_stopped", lang)))
    return 0


def _mtime(path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _move_on(tutor: Tutor, done, args, out):
    """After a pass, as rustlings does: write out the next unfinished exercise and follow it;
    returns the file if it was written now (its save event is ours, not the student's)."""
    nxt = tutor.next_unfinished(done)
    if nxt is None:
        out.print(Prose(tr("work.all_done", args.lang), style="bold green"))
        return None
    tutor.set_position(nxt)
    path, written = tutor.prepare(nxt)
    out.print(Prose(tr("cli.watch_next", args.lang, ex=f"{nxt.short} {nxt.key}", title=nxt.title.get(args.lang),
                       path=path), style="bold cyan"))
    return path if written else None


def _check_and_show(tutor: Tutor, ex, args, out) -> bool:
    """Check `ex`, print the verdict; True if it passed."""
    from tutor.cli.commands import show_figures

    with out.status(tr("cli.checking", args.lang, ex=ex.short)):
        verdict = tutor.check(ex, device=args.device)
    out.rule()
    out.print(render.verdict_renderable(verdict, ex, args.lang))
    show_figures(verdict, ex, args, out)
    out.print(render.next_steps(verdict, ex, args.lang, tutor.workspace.path(ex), watching=True))
    return verdict.passed


def cmd_hint(tutor: Tutor, args) -> int:
    """`dltutor hint [EX]`: reveal the next hint level (or all with --all); without EX, the current exercise's."""
    ex = chosen_exercise(tutor, args)
    out = render.console_for()
    total = len(ex.hints)
    if args.all:
        for level, text in enumerate(tutor.all_hints(ex), start=1):
            out.print(render.hint_renderable(level, total, text, args.lang))
        return 0
    revealed = tutor.next_hint(ex)
    if revealed is None:
        for level, text in enumerate(tutor.hints_shown(ex), start=1):
            out.print(render.hint_renderable(level, total, text, args.lang))
        out.print(Prose(tr("cli.no_more_hints", args.lang, ex=ex.short)))
        return 0
    level, text = revealed
    out.print(render.hint_renderable(level, total, text, args.lang))
    return 0

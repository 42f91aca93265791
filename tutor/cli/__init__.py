"""The `dltutor` command: a thin, headless front end to `tutor.session.Tutor`.

Exit codes: 0 success (and a passing check), 1 a check that did not pass or a
problem found (doctor, dev verify), 2 a usage error (bad option, unknown
exercise, unusable course), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from tutor import __version__
from tutor.i18n import LANGS, detect_lang, tr


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help="language: ja or en (default: from the locale)")
    parser.add_argument("--course", metavar="PATH", default=argparse.SUPPRESS, help="course pack folder (default: the built-in course; env DLTUTOR_COURSE)")
    parser.add_argument("--workspace", metavar="PATH", default=argparse.SUPPRESS, help="where exercise files are written (default: ~/dltutor; env DLTUTOR_WORKSPACE)")
    parser.add_argument("--mnist", metavar="PATH", default=argparse.SUPPRESS, help="an existing MNIST folder to use instead of the bundled copy (env DLTUTOR_MNIST)")


def _device(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", type=_device_value, default="default", metavar="DEVICE",
                        help="where checks run: cpu, cuda, cuda:N, auto (the GPU with the most free memory), "
                             "or default (the CPU; GPU exercises as auto)")


def _plots(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-plots", action="store_true", help="do not draw the run's figures in the terminal")
    parser.add_argument("--png", metavar="DIR", default=None,
                        help="also write the run's figures as PNG files into DIR (needs matplotlib: pip install 'dltutor[plots]')")


def _device_value(text: str) -> str:
    from tutor.machine.gpus import parse_device

    try:
        return parse_device(text)
    except ValueError:
        from tutor.cli.helptext import lang_from_argv

        raise argparse.ArgumentTypeError(tr("cli.invalid_device", lang_from_argv(sys.argv[1:]), text=repr(text))) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and shell completion)."""
    common = argparse.ArgumentParser(add_help=False)
    _common(common)
    parser = argparse.ArgumentParser(prog="dltutor", description="A terminal tutor for deep learning with PyTorch",
                                     parents=[common])
    parser.add_argument("--version", action="version", version=f"dltutor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("start", parents=[common], help="start the tutor (full screen in a terminal or behind textual-serve)")
    _device(p)
    p.add_argument("--tui", action="store_true", help="start the full-screen app even where no terminal is detected")
    p = sub.add_parser("serve", parents=[common], help="the full-screen tutor in a web browser (needs the [web] extra)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p = sub.add_parser("list", parents=[common], help="lessons and exercises with their status")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("check", parents=[common], help="check an exercise (exit 0 when it passes)")
    p.add_argument("exercise", nargs="?", help="exercise id, e.g. tensors/01-create or 1.1 (default: the current one)")
    p.add_argument("--all", action="store_true", help="check every exercise and show a summary")
    _device(p)
    _plots(p)
    p.add_argument("--json", action="store_true", help="print the verdict as JSON")
    p.add_argument("--seed", type=int, default=None, help="fix the run's seed (to reproduce a failure)")
    p = sub.add_parser("run", parents=[common],
                       help="run your file and show its output, without checking; an experiment: run its study, then check it")
    p.add_argument("exercise", nargs="?", help="exercise id (default: the current one)")
    _device(p)
    p.add_argument("--no-check", action="store_true", help="experiments: only run the study, do not check it")
    p.add_argument("--png", metavar="DIR", default=None, help="experiments: also write the study's figures as PNG files into DIR")
    p.add_argument("--json", action="store_true", help="experiments: print the study (and verdict) as JSON")
    p = sub.add_parser("next", parents=[common], help="go on to the next unfinished exercise")
    p = sub.add_parser("watch", parents=[common], help="check again on every save")
    p.add_argument("exercise", nargs="?", help="start with this exercise (default: the current one)")
    _device(p)
    p.add_argument("--poll", action="store_true", default=None, help="poll instead of file events (NFS homes)")
    p.add_argument("--no-clear", action="store_true", help="do not clear the screen before each check")
    _plots(p)
    p = sub.add_parser("hint", parents=[common], help="reveal the next hint level")
    p.add_argument("exercise", nargs="?", help="exercise id (default: the current one)")
    p.add_argument("--all", action="store_true", help="reveal every level")
    p = sub.add_parser("solution", parents=[common], help="show the reference solution (after a pass, or --give-up)")
    p.add_argument("exercise", help="exercise id, e.g. tensors/01-create or 1.1")
    p.add_argument("--give-up", action="store_true", help="show it before passing (recorded)")
    p.add_argument("--diff", action="store_true", help="show your file against the solution, as a diff")
    p = sub.add_parser("reset", parents=[common], help="restore the original stub (your version is backed up)")
    p.add_argument("exercise", help="exercise id, e.g. tensors/01-create or 1.1")
    p = sub.add_parser("progress", parents=[common], help="checks, hints and passes so far")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("report", parents=[common], help="write your hand-in: an HTML file (with the report inside) and Markdown (or --json)")
    p.add_argument("--out", metavar="DIR", default=".", help="folder for dltutor-<id>-<course>-<date>.html/.md (default: here)")
    p.add_argument("--id", dest="student_id", default=None, help="your student number (asked once, then remembered)")
    p.add_argument("--name", default=None, help="your name as the instructor knows it (asked once, then remembered)")
    p.add_argument("--json", action="store_true", help="print the report as JSON (schema: tutor/report/schemas/report.schema.json)")
    from tutor.cli.grading import add_parser as add_grade
    add_grade(sub, common)
    p = sub.add_parser("doctor", parents=[common], help="check Python, torch, GPUs, workspace and store")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("dev", parents=[common], help="tools for course authors")
    dev = p.add_subparsers(dest="dev_command", metavar="DEV_COMMAND")
    v = dev.add_parser("verify", parents=[common], help="prove the course is whole: files, texts, solutions pass, stubs do not")
    v.add_argument("--no-run", action="store_true", help="only check files and texts, run nothing")
    v.add_argument("--no-studies", action="store_true",
                   help="experiments: run only the untouched stub, not the reference's whole study (minutes each)")
    v.add_argument("--only", metavar="EXERCISE", action="append", help="run only these exercises")
    m = dev.add_parser("mutate", parents=[common],
                       help="put typical mistakes into each reference solution and check that the checks reject them")
    m.add_argument("exercises", nargs="*", metavar="EX", help="exercises to mutate (default: all)")
    m.add_argument("--op", action="append", metavar="OPERATOR", help="only these mutation operators (e.g. delete, loss, axis)")
    m.add_argument("--sample", type=int, default=None, metavar="N", help="at most N mutants per exercise, drawn by --seed")
    m.add_argument("--seed", type=int, default=None, help="the checks' seed (default: 1, so reports compare)")
    m.add_argument("--verbose", "-v", action="store_true", help="list every mutant, not only the survivors and unnamed ones")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse `argv` and run the command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    from tutor.cli.helptext import argparse_language, lang_from_argv, localise

    help_lang = lang_from_argv(argv)
    argparse_language(help_lang)  # `--help` and usage errors in the student's language
    parser = localise(build_parser(), help_lang)
    args = parser.parse_args(argv)
    if getattr(args, "mnist", None):  # read by tutor.machine.data in this process and in every checked child
        os.environ["DLTUTOR_MNIST"] = str(args.mnist)
    args.lang_explicit = getattr(args, "lang", None)  # the full-screen tutor lets it win over the saved choice
    lang = args.lang_explicit or detect_lang()
    args.lang = lang
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "dev" and getattr(args, "dev_command", None) is None:
        parser.parse_args(["dev", "--help"])
    if args.command == "grade":  # the instructor's command opens no student store or workspace
        from tutor.cli.grading import cmd_grade

        return cmd_grade(args)
    from tutor.cli import commands

    previous = _unwind_on_hangup() if args.command != "start" else {}
    try:
        return commands.run(args)
    except BrokenPipeError:
        # `dltutor report --json | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        try:  # after a hang-up there is no terminal to write to
            print(tr("cli.interrupted", lang), file=sys.stderr)
        except (OSError, ValueError):
            pass
        return 130
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _unwind_on_hangup() -> dict:
    """Make SIGHUP (ssh disconnect) and SIGTERM unwind like Ctrl-C; returns the old handlers.

    By default they end the process on the spot, leaving a running check and
    the warm worker's children behind. As KeyboardInterrupt they go through
    the same `finally` blocks as Ctrl-C: the check's processes are killed and
    the store is closed. The first such signal also makes the tutor ignore the
    next ones (a disconnect often sends SIGHUP then SIGTERM), so that a second
    signal cannot cut the clean-up short. The full-screen app (`start`) is left
    to its own handling.
    """
    if not hasattr(signal, "SIGHUP"):  # Windows
        return {}
    signals = (signal.SIGINT, signal.SIGHUP, signal.SIGTERM)

    def unwind(signum, frame):
        for s in signals:
            signal.signal(s, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = {}
    try:
        for signum in signals:
            old = signal.getsignal(signum)
            # A signal we were started with ignored (nohup, `&` in a script) stays ignored.
            if old is not signal.SIG_IGN:
                signal.signal(signum, unwind)
                previous[signum] = old
    except ValueError:  # not the main thread (an embedding caller): leave signals alone
        pass
    return previous

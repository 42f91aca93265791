"""The Textual app behind `dltutor start`, its factory, and `run_app`.

`create_app()` is the one way to build the app, used by the CLI (through
`run_app`) and by the tests, as in posting. The app owns what lives as long
as it does: the language, the device, the file watcher, the GPU probe, and
the engine's notices. What the student does on the main screen lives in
`screens/main.py`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
from functools import partial
from pathlib import Path
from typing import Any, Callable

from textual.app import App, SuspendNotSupported
from textual.binding import Binding
from textual.notifications import Notify
from textual.reactive import reactive
from textual.worker import WorkerState

from tutor.i18n import tr
from tutor.machine.gpus import parse_device
from tutor.session import Tutor
from tutor.tui.editor import EDITOR_SETTING, OTHER, VIM_NOTE_SETTING, editor_options, env_editor, find_editor, is_vim
from tutor.tui.messages import CudaProbed, CudaState, FilesSaved, WatchEnded
from tutor.tui.screens import LanguageScreen, MainScreen
from tutor.tui.screens.editor_choice import EditorScreen
from tutor.tui.texts import short_path
from tutor.tui.workers import probe_cuda, run_probe, watch_saves
from tutor.tui.wrap import install as install_japanese_wrapping
from tutor.progress.workspace import WorkspaceError

ENGINE_ERRORS = (WorkspaceError, OSError, sqlite3.Error)
"""What the engine may raise while the student works: shown as a notice, never a traceback."""

SEVERITY = {"info": "information", "warn": "warning", "error": "error"}


def pick_theme(env: dict[str, str]) -> str:
    """A theme for the terminal's colours: Textual's own in 256 or more, the ANSI theme below.

    Textual downsamples truecolor to 256 colours by itself; with only 16
    (a bare `TERM=xterm` or `screen`, no COLORTERM) its greys collapse into
    one, so we use the theme built from the terminal's own palette.
    """
    if env.get("COLORTERM", "").lower() in ("truecolor", "24bit") or "256" in env.get("TERM", ""):
        return "textual-dark"
    return "ansi-dark"


class TutorApp(App[int]):
    """The full-screen tutor for one `Tutor`."""

    TITLE = "dltutor"
    ENABLE_COMMAND_PALETTE = False

    CSS = """
    /* Toasts sit at the top, under the top bar, over the lesson text: never over the verdict
       (the exercise panel is below the lesson, or on the right from 150 columns) nor over the
       key bar (at the bottom). From 150 columns the lesson is the middle column. */
    ToastRack { dock: top; align: right top; margin-top: 1; margin-bottom: 0; }
    Toast { margin-top: 0; }
    MainScreen.-wide ToastRack { align: left top; padding-left: 41; }
    MainScreen.-wide ToastHolder { align-horizontal: left; }
    MainScreen.-wide Toast { max-width: 45%; }
    """

    BINDINGS = [Binding("ctrl+c", "quit_tutor", show=False, priority=True),
                Binding("q", "quit_tutor", show=False)]
    """q and Ctrl+C end the app from every screen, the first-run welcome and the dialogs included
    (Ctrl+C first, even over a focused input; q only where no input takes the letter)."""

    lang: reactive[str] = reactive("ja", init=False)
    """The display language; widgets watch it and relabel at once."""
    device: reactive[str] = reactive("default", init=False)
    """Where the next checks run: "cpu", "cuda" or "auto"."""
    checking: reactive[bool] = reactive(False, init=False)
    """True while a check runs (the top bar spins)."""
    watch_mode: reactive[str] = reactive("off", init=False)
    """"events", "polling", or "off" when saves are not watched."""
    cuda: reactive[CudaState] = reactive(CudaState(available=None), init=False)
    """What the GPU probe found (available None while it runs)."""

    def __init__(self, tutor: Tutor, device: str = "default", *, watch: bool = True, poll: bool | None = None,
                 cuda_probe: Callable[[], CudaState] | None = probe_cuda, lang: str | None = None,
                 which: Callable[[str], str | None] = shutil.which) -> None:
        """`watch=False` and `cuda_probe=None` leave out the background jobs (tests, snapshots);
        `lang` is an explicit `--lang`: it wins over the remembered choice and skips the chooser."""
        super().__init__()
        install_japanese_wrapping()
        self.tutor = tutor
        self.explicit_lang = lang
        self.which = which
        """Finds installed editors (tests give their own)."""
        self._fallback_said = False
        if lang is not None:
            tutor.lang = lang
        self.set_reactive(TutorApp.lang, lang or tutor.saved_lang() or tutor.lang)
        self.set_reactive(TutorApp.device, _device_or_default(device))
        self.watch_enabled = watch
        self.poll = poll
        self.cuda_probe = cuda_probe
        self.main: MainScreen | None = None
        self._stop_watching = threading.Event()
        self._store_notices_seen = 0
        self._probing = False

    # ------------------------------------------------------------ start and stop

    def on_mount(self) -> None:
        """First run: the language choice; later runs: straight back to where the student was."""
        self.theme = pick_theme(dict(os.environ))
        self._show_notices(list(self.tutor.notices))
        self._store_notices_seen = len(self.tutor.store.notices)
        if self.device not in ("cpu", "default"):
            self.ensure_probe()  # the student asked for the GPU: find out now
        # An ssh disconnect (SIGHUP) or a kill (SIGTERM) ends the app like `q`:
        # the running check is cancelled and its process tree killed.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.quit_tutor)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread (tests), or no such signal
                pass
        # The warm worker imports torch: start it once the first frame is drawn.
        self.call_after_refresh(self.set_timer, 0.3, self.tutor.warm_up)
        if self.explicit_lang is not None:
            self.set_lang(self.explicit_lang)  # remembered, so a later run without --lang asks nothing
            self._ask_editor()
        elif self.tutor.saved_lang() is None:
            workspace = short_path(self.tutor.workspace.root)
            self.push_screen(LanguageScreen(self.tutor.lang, workspace), self._language_chosen)
        else:
            self._open_main()

    def _language_chosen(self, lang: str | None) -> None:
        self.set_lang(lang or self.tutor.lang)
        self._ask_editor()

    def _ask_editor(self) -> None:
        """Once, on the welcome: which editor `e` opens (not when $VISUAL or $EDITOR says it)."""
        options = editor_options(self.which)
        if env_editor() is not None or self.tutor.store.get_setting(EDITOR_SETTING) or self.is_web or len(options) < 2:
            self._open_main()
            return
        self.push_screen(EditorScreen(options, self.lang), self._editor_chosen)

    def _editor_chosen(self, name: str | None) -> None:
        self.guard(self.tutor.store.set_setting, EDITOR_SETTING, name or OTHER)
        self._open_main()

    def _open_main(self) -> None:
        exercise = self.tutor.resume()
        self.guard(self.tutor.prepare, exercise)  # creates the workspace the watcher needs
        self.main = MainScreen(exercise)
        self.push_screen(self.main)
        self.start_watching()

    def quit_tutor(self) -> None:
        """Stop the check and the watcher, then exit with code 0."""
        self._stop_background()
        self.exit(0)

    def action_quit_tutor(self) -> None:
        """q or Ctrl+C, on any screen."""
        self.quit_tutor()

    def on_unmount(self) -> None:
        """Also on Ctrl+Q: no child or watcher thread may outlive the app."""
        self._stop_background()

    def _stop_background(self) -> None:
        self._stop_watching.set()
        if self.main is not None:
            self.main.cancel_check()

    # ------------------------------------------------------------ language and notices

    def set_lang(self, lang: str) -> None:
        """Switch the language now and remember it (`Tutor.choose_lang`)."""
        self.guard(self.tutor.choose_lang, lang)
        self.lang = lang

    def say(self, text: str, severity: str = "information", timeout: float = 5) -> None:
        """A notification whose text is shown as it is: paths and error messages are not markup."""
        self.notify(text, severity=severity, timeout=timeout, markup=False)

    def on_notify(self, _event: Notify) -> None:
        """One toast at a time: a new one replaces the one on screen (Textual's own handler,
        which runs after this one, then shows the new one). Toasts never stack.

        The rack's holders go too: Textual removes a replaced toast but leaves its empty holder,
        which would push the next toast down a row each time."""
        from textual.css.query import NoMatches
        from textual.widgets._toast import ToastHolder, ToastRack

        self.clear_notifications()
        try:
            rack = self.screen.get_child_by_type(ToastRack)
        except NoMatches:  # no rack (tests without notifications)
            return
        rack.query(ToastHolder).remove()

    def _show_notice(self, notice) -> None:
        self._show_notices([notice])

    def _show_notices(self, notices: list) -> None:
        """Engine notices that arrive together share one toast (one would replace the other)."""
        if not notices:
            return
        levels = [notice.level for notice in notices]
        level = "error" if "error" in levels else "warn" if "warn" in levels else levels[0]
        self.say("\n".join(notice.render(self.lang) for notice in notices),
                 severity=SEVERITY.get(level, "warning"), timeout=15)

    def flush_notices(self) -> None:
        """Show notices the store added since the last look (it became read-only meanwhile)."""
        notices = self.tutor.store.notices
        self._show_notices(list(notices[self._store_notices_seen:]))
        self._store_notices_seen = len(notices)

    def report(self, error: BaseException) -> None:
        """An engine error as a readable notice."""
        if isinstance(error, WorkspaceError):
            text = error.render(self.lang)
        else:
            text = tr("tui.note.internal", self.lang, error=f"{type(error).__name__}: {error}")
        self.say(text, severity="error", timeout=15)

    def guard_result(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
        """Run an engine call; on an engine error show it and return (False, None)."""
        try:
            return True, action(*args, **kwargs)
        except ENGINE_ERRORS as error:
            self.report(error)
            return False, None

    def guard(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`guard_result` when only the result matters (None after an error)."""
        return self.guard_result(action, *args, **kwargs)[1]

    def on_worker_state_changed(self, event) -> None:
        """A worker that raised: say so, and let the main screen stop its indicator."""
        if event.state != WorkerState.ERROR:
            return
        self.report(event.worker.error)
        if event.worker.group == "check" and self.main is not None:
            self.main.check_failed()
        elif event.worker.group == "watch":
            self.watch_mode = "off"

    # ------------------------------------------------------------ editor

    def edit(self, path: Path, on_done: Callable[[], None] | None = None) -> bool:
        """Open `path` in the student's editor with the app suspended, then call `on_done`;
        False if no editor was started now.

        Under `textual serve` (no suspending), with no editor installed, or when the student
        edits in another window, they are told which file to edit: watching still checks it
        on save. Before vim opens the first time, a note says how to quit it (shown once, ever);
        a fallback editor is named once a session, so no notice sits on the verdict each time.
        """
        if self.is_web:  # served to a browser: nothing to suspend into; one notice, no editor started
            self.say(tr("tui.note.served_edit", self.lang, path=path), timeout=15)
            return False
        chosen = self.tutor.store.get_setting(EDITOR_SETTING)
        found = find_editor(which=self.which, chosen=chosen)
        if found is None:
            key = "tui.note.edit_elsewhere" if chosen == OTHER else "tui.note.no_editor"
            self.say(tr(key, self.lang, path=short_path(path)), timeout=8)
            return False
        argv, fallback = found
        if fallback and not self._fallback_said:
            self._fallback_said = True
            self.say(tr("tui.note.editor_fallback", self.lang, editor=argv[0]), timeout=6)
        if is_vim(argv) and not self.tutor.store.get_setting(VIM_NOTE_SETTING):
            from tutor.tui.dialogs.notice import NoticeDialog

            self.guard(self.tutor.store.set_setting, VIM_NOTE_SETTING, "1")
            note = NoticeDialog(tr("tui.vim.title", self.lang), tr("tui.vim.body", self.lang), tr("tui.vim.go", self.lang))
            self.push_screen(note, lambda go: self._launch(argv, path, on_done) if go else None)
            return False
        return self._launch(argv, path, on_done)

    def _launch(self, argv: list[str], path: Path, on_done: Callable[[], None] | None) -> bool:
        try:
            with self.suspend():
                subprocess.call([*argv, str(path)])
        except SuspendNotSupported:
            self.say(tr("tui.note.no_suspend", self.lang, path=short_path(path)), timeout=10)
            return False
        except OSError as error:
            self.say(tr("tui.note.editor_failed", self.lang, editor=argv[0], reason=error.strerror or error),
                        severity="error", timeout=10)
            return False
        if on_done is not None:
            on_done()
        return True

    # ------------------------------------------------------------ watching saves

    def start_watching(self) -> None:
        """Watch the workspace for saves in an exclusive thread worker (polling on network filesystems)."""
        root = self.tutor.workspace.root
        if not self.watch_enabled or not root.is_dir():
            self.watch_mode = "off"
            return
        from tutor.progress.watching import needs_polling

        poll = needs_polling(root) if self.poll is None else self.poll
        self.watch_mode = "polling" if poll else "events"
        self._stop_watching = threading.Event()
        now_polling = partial(self.call_from_thread, setattr, self, "watch_mode", "polling")
        self.run_worker(partial(watch_saves, root, self._stop_watching, poll, self.post_message, now_polling),
                        thread=True, exclusive=True, group="watch", name="watch", exit_on_error=False)

    def on_files_saved(self, message: FilesSaved) -> None:
        """Hand saves to the main screen, which checks them."""
        if self.main is not None:
            self.main.files_saved(message.paths)

    def on_watch_ended(self, message: WatchEnded) -> None:
        """The watcher gave up: say so; `c` still checks."""
        if self._stop_watching.is_set():
            return
        self.watch_mode = "off"
        self.say(tr("tui.note.watch_failed", self.lang, reason=message.reason), severity="warning", timeout=12)

    # ------------------------------------------------------------ devices

    def ensure_probe(self) -> None:
        """Start the GPU probe once, when devices first matter (the `d` dialog, or a non-cpu device).

        Not at every start: the probe's child Python initialises CUDA, which on
        a shared server costs GPU memory for a moment, and most sessions stay
        on the CPU. A daemon thread, not a worker: the child cannot be
        interrupted, and quitting must not wait for it to import torch.
        """
        if self._probing or self.cuda_probe is None:
            return
        self._probing = True
        threading.Thread(target=run_probe, args=(self.cuda_probe, self.post_message),
                         name="dltutor-cuda-probe", daemon=True).start()

    def on_cuda_probed(self, message: CudaProbed) -> None:
        """Remember what the probe found; warn if the student asked for cuda and there is none."""
        self.cuda = message.cuda
        if self.device == "cuda" and message.cuda.available is False:
            reason = tr(f"tui.cuda.{message.cuda.reason}", self.lang)
            self.say(tr("tui.note.gpu_missing", self.lang, reason=reason), severity="warning", timeout=10)


def _device_or_default(device: str) -> str:
    try:
        return parse_device(device)
    except ValueError:
        return "default"


def create_app(tutor: Tutor, device: str = "default", **options: Any) -> TutorApp:
    """The app factory shared by `run_app` and the tests (options: see `TutorApp`)."""
    return TutorApp(tutor, device=device, **options)


def run_app(tutor: Tutor, device: str = "default", lang: str | None = None) -> int:
    """Run the full-screen tutor until the student quits (`lang`: an explicit `--lang`); returns the exit code."""
    app = create_app(tutor, device=device, lang=lang)
    app.run()
    return app.return_code or 0

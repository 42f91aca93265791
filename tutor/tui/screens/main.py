"""The main screen: outline, lesson text, exercise panel; every student action is a key here.

The screen only asks `Tutor` and shows the answers. A check runs in an
exclusive thread worker; the run's `CancelToken` is kept so that a newer
check (a new save, `c` again) stops the stale child at once, and a result
whose token is not the latest is dropped.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widgets import OptionList

from tutor.i18n import tr
from tutor.course.manifest import Exercise
from tutor.check.runner import CancelToken
from tutor.session import UNRECORDED, SolutionLocked
from tutor.tui.dialogs import ConfirmDialog, DeviceDialog, SolutionScreen, SummaryDialog
from tutor.tui.messages import CheckDone, StudyProgress
from tutor.tui.render import exercise_body
from tutor.tui.screens.help import HelpScreen
from tutor.tui.screens.working import WorkingKeys
from tutor.tui.texts import KEYS, other_lang, short_path
from tutor.tui.widgets import ExercisePanel, KeyBar, LessonView, Outline, TopBar
from tutor.tui.study import progress_line
from tutor.tui.workers import run_check, run_study
from tutor.check.verdict import Verdict
from tutor.progress.workspace import BACKUP_DIR

WIDE = 150
"""From this many columns the lesson and the exercise sit side by side."""
NARROW = 100
"""Below this many columns the outline shows numbers only, and the lesson gets the columns."""
TINY = 70
"""Below this many columns the outline folds away (n, p and `z` on the outline still reach every exercise)."""


class MainScreen(WorkingKeys, Screen[None]):
    """Where the student works on one exercise at a time (`self.exercise`)."""

    DEFAULT_CSS = """
    MainScreen {
        & #body { height: 1fr; }
        & #panels { width: 1fr; layout: vertical; }
        /* The text the student reads gets most of the screen; the exercise
           panel scrolls, and `z` gives it the whole screen. */
        & LessonView { height: 3fr; }
        & ExercisePanel { height: 2fr; }
        &.-narrow Outline { width: 14; }
        &.-tiny Outline { display: none; }
        &.-wide #panels { layout: horizontal; }
        &.-wide Outline { width: 40; }
        &.-wide ExercisePanel { height: 1fr; width: 1fr; }
        &.-wide LessonView { width: 1fr; }
    }
    """

    BINDINGS = [Binding(key.key, key.action, show=False) for key in KEYS]
    """`x` runs an experiment's study; it is named in the panel of an experiment, not in the key bar."""

    ALLOW_IN_MAXIMIZED_VIEW = "TopBar, KeyBar"

    def __init__(self, exercise: Exercise) -> None:
        super().__init__()
        self.exercise = exercise
        self.verdicts: dict[str, Verdict] = {}
        """This session's verdicts; before the first one, the store's last verdict is shown."""
        self.token: CancelToken | None = None
        """The running check's token; None when no check runs."""
        self.checking: Exercise | None = None
        self.was_passed = False
        """Whether the exercise being checked had been passed before (to spot a lesson just finished)."""
        self.own_writes: dict[Path, int] = {}
        """Files the tutor wrote itself (stubs, resets), by mtime: their save events are not the student's."""
        self.study_line = ""
        """The running study's progress (setting i of n, epoch, loss, accuracy, time left), shown under the panel."""

    @property
    def tutor(self):
        """The app's `Tutor`."""
        return self.app.tutor

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        """Top bar, outline and panels, key bar."""
        yield TopBar()
        with Horizontal(id="body"):
            yield Outline(id="outline")
            with Container(id="panels"):
                yield LessonView(id="lesson")
                yield ExercisePanel(id="exercise")
        yield KeyBar(KEYS)

    def on_mount(self) -> None:
        """Show the exercise and follow language changes."""
        self.watch(self.app, "lang", lambda _lang: self.refresh_all(), init=False)
        # The app has prepared the exercise's file already. The lesson's Markdown
        # is the costliest part of the screen (some 0.3 s for a long lesson):
        # it fills in just after the first frame, so the screen appears sooner.
        self.refresh_all(lesson=False)
        self.call_after_refresh(self.refresh_lesson)
        self.query_one(Outline).focus()

    def on_resize(self, event) -> None:
        """Wide terminals get three columns; narrow ones a numbers-only outline, or none."""
        width = event.size.width
        self.set_class(width >= WIDE, "-wide")
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width < TINY, "-tiny")
        outline = self.query_one(Outline)
        outline.set_compact(width < NARROW)
        if width < TINY and self.focused is outline:
            self.query_one(LessonView).focus()

    def refresh_all(self, lesson: bool = True) -> None:
        """Outline, header progress, lesson and exercise panel, in the current language."""
        self._show_progress()
        if lesson:
            self.refresh_lesson()
        self.refresh_exercise()

    def _show_progress(self) -> None:
        lessons = self.tutor.lessons_progress()
        self.query_one(Outline).show(lessons, self.exercise.key, self.app.lang)
        self.query_one(TopBar).set_progress(lessons)

    def refresh_lesson(self) -> None:
        """The open exercise's lesson text (a no-op when it is already shown)."""
        self.query_one(LessonView).show(self.tutor.course.lesson_of(self.exercise), self.app.lang, self.exercise.short)

    def refresh_exercise(self) -> None:
        """The exercise panel from the store and this session's last verdict."""
        lang, ex = self.app.lang, self.exercise
        progress = self.tutor.progress(ex)
        verdict, from_store = self.verdicts.get(ex.key), False
        if verdict is None and progress.last_detail:
            verdict, from_store = Verdict.from_json(progress.last_detail), True
            if verdict.passed:  # the figures are kept once, with the last pass
                verdict.figures = self.tutor.last_pass_figures(ex)
        body = exercise_body(ex, progress, self.tutor.workspace.path(ex), verdict, from_store,
                             self.tutor.hints_shown(ex), lang)
        if ex.is_experiment:
            from tutor.tui.study import study_body

            body = study_body(body, self.tutor.stored_study(ex), self.tutor.discussion(ex), lang)
        busy = self.checking is not None and self.checking.key == ex.key
        self.query_one(ExercisePanel).show(tr("tui.ex.title", lang, short=ex.short), body,
                                           (self.study_line or tr("tui.top.checking", lang)) if busy else "")
        self.app.flush_notices()

    def refresh_progress(self) -> None:
        """After the store changed: outline marks, header progress and the exercise panel."""
        self._show_progress()
        self.refresh_exercise()

    # ------------------------------------------------------------ moving around

    def select(self, exercise: Exercise) -> None:
        """Open `exercise`: remember it for the next run and make sure its file exists."""
        self.exercise = exercise
        self.app.guard(self.tutor.set_position, exercise)
        self.prepare(exercise)
        self.refresh_all()

    def prepare(self, exercise: Exercise) -> None:
        """Write the stub if the student has no file yet (engine errors become notices)."""
        result = self.app.guard(self.tutor.prepare, exercise)
        if result and result[1]:
            self._note_own_write(result[0])

    def _note_own_write(self, path: Path) -> None:
        try:
            self.own_writes[path.resolve()] = path.stat().st_mtime_ns
        except OSError:
            pass

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on an exercise in the outline opens it."""
        if event.option.id and not event.option.id.startswith("lesson:"):
            self.select(self.tutor.find(event.option.id))

    def _step(self, offset: int, edge_key: str) -> None:
        target = self.tutor.step(self.exercise, offset)
        if target is None:
            self.app.say(tr(edge_key, self.app.lang), timeout=3)
        else:
            self.select(target)

    def action_next(self) -> None:
        """n: the next exercise in course order."""
        self._step(1, "tui.note.last")

    def action_prev(self) -> None:
        """p: the previous exercise."""
        self._step(-1, "tui.note.first")

    # ------------------------------------------------------------ checking

    def action_check(self) -> None:
        """c: check the open exercise now."""
        self.start_check(self.exercise)

    def start_check(self, exercise: Exercise) -> None:
        """Cancel any running check and start one for `exercise` in a thread worker."""
        if self.token is not None:
            self.token.cancel()  # the stale child is killed at the runner's next poll
        token = self.token = CancelToken()
        self.checking = exercise
        self.was_passed = self.tutor.progress(exercise).passed
        self.app.checking = True
        self.run_worker(partial(run_check, self.tutor, exercise, self.app.device, token, self.post_message),
                        thread=True, exclusive=True, group="check", name=f"check {exercise.key}",
                        exit_on_error=False)
        self.refresh_exercise()

    def action_study(self) -> None:
        """x: run the open experiment's study (cached settings are not run again), then check it."""
        ex = self.exercise
        if not ex.is_experiment:
            self.app.say(tr("tui.note.not_experiment", self.app.lang), timeout=4)
            return
        if self.token is not None:
            self.token.cancel()
        token = self.token = CancelToken()
        self.checking, self.study_line = ex, tr("tui.study.starting", self.app.lang)
        self.was_passed = self.tutor.progress(ex).passed
        self.app.checking = True
        self.run_worker(partial(run_study, self.tutor, ex, self.app.device, token, self.post_message),
                        thread=True, exclusive=True, group="check", name=f"study {ex.key}", exit_on_error=False)
        self.refresh_exercise()

    def on_study_progress(self, message: StudyProgress) -> None:
        """A running study moved on: the line under the exercise panel says where it is."""
        if message.token is not self.token:
            return
        self.study_line = progress_line(message.event, self.app.lang)
        if message.exercise.key == self.exercise.key:
            self.query_one(ExercisePanel).border_subtitle = self.study_line
        if message.event.kind == "done":
            self.refresh_exercise()  # the table gains the finished setting

    def check_failed(self) -> None:
        """The check worker raised (the app has already said why): stop showing it as running."""
        self.token = self.checking = None
        self.app.checking = False
        self.refresh_exercise()

    def on_check_done(self, message: CheckDone) -> None:
        """Show the verdict, update progress, and say what comes next."""
        if message.token is not self.token:
            return  # a stale run that finished after a newer one started
        exercise = message.exercise
        self.token = self.checking = None
        self.study_line = ""
        self.app.checking = False
        if message.verdict is None and message.error is None:  # a study stopped before its check
            self.refresh_progress()
            return
        if message.error is not None:
            self.app.report(message.error)
            self.refresh_exercise()
            return
        verdict = message.verdict
        self.verdicts[exercise.key] = verdict
        if verdict.unsaved is not None:  # the store could not save it: never silently
            self.app._show_notice(verdict.unsaved)
        self.refresh_progress()
        if exercise.key != self.exercise.key:
            return  # the student moved on meanwhile: the outline shows the result
        self.query_one(ExercisePanel).scroll_home(animate=False)
        if verdict.passed and not self.was_passed:
            self.app.say(tr("tui.note.passed", self.app.lang), timeout=5)
            self._maybe_summary(exercise)
        elif not verdict.passed and verdict.kind not in UNRECORDED and self.tutor.stuck(exercise):
            level = self.tutor.progress(exercise).hints_revealed + 1
            self.app.say(tr("tui.note.stuck", self.app.lang, level=level, total=len(exercise.hints)), timeout=8)

    def _maybe_summary(self, exercise: Exercise) -> None:
        """A lesson (or the course) just became complete: show its summary."""
        lang = self.app.lang
        lessons = self.tutor.lessons_progress()
        if all(lp.passed == lp.total for lp in lessons):
            title = tr("tui.summary.course", lang, title=self.tutor.course.title.get(lang))
            self.app.push_screen(SummaryDialog(title, self.tutor.summary(), lang))
            return
        lesson = self.tutor.course.lesson_of(exercise)
        done = next(lp for lp in lessons if lp.lesson.id == lesson.id)
        if done.passed == done.total:
            title = tr("tui.summary.lesson", lang, number=lesson.number, title=lesson.title.get(lang))
            self.app.push_screen(SummaryDialog(title, self.tutor.summary(lesson), lang))

    def files_saved(self, paths: frozenset[Path]) -> None:
        """The watcher saw saves: check the saved exercise (the open one first), following the student."""
        by_path = {self.tutor.workspace.path(ex).resolve(): ex for ex in self.tutor.course.exercises}
        saved = []
        for path in paths:
            path = path.resolve()
            if path in by_path and not self._is_own_write(path):
                saved.append(by_path[path])
        if not saved:
            return
        target = self.exercise if self.exercise in saved else saved[0]
        if target is not self.exercise:
            self.select(target)
        self.start_check(target)

    def _is_own_write(self, path: Path) -> bool:
        mtime = self.own_writes.get(path)
        try:
            return mtime is not None and path.stat().st_mtime_ns == mtime
        except OSError:
            return True  # gone again: nothing to check

    # ------------------------------------------------------------ the other keys

    def action_edit(self) -> None:
        """e: open the file in the student's editor; without a watcher, check when it closes."""
        path = self.tutor.workspace.path(self.exercise)
        self.prepare(self.exercise)
        exercise = self.exercise
        self.app.edit(path, on_done=lambda: self.start_check(exercise) if self.app.watch_mode == "off" else None)

    def action_hint(self) -> None:
        """h: reveal the next hint level (recorded), or say that none is left."""
        ok, revealed = self.app.guard_result(self.tutor.next_hint, self.exercise)
        if ok and revealed is None:
            self.app.say(tr("tui.note.no_more_hints", self.app.lang), timeout=6)
        self.refresh_exercise()
        self.query_one(ExercisePanel).scroll_end(animate=False)

    def action_solution(self) -> None:
        """s: the solution after a pass; before one, only after a confirmed give-up (recorded)."""
        ex, lang = self.exercise, self.app.lang
        if self.tutor.solution_available(ex):
            self._show_solution(give_up=False)
            return
        left = len(ex.hints) - self.tutor.progress(ex).hints_revealed
        body = [tr("tui.giveup.body", lang, short=ex.short)]
        if left > 0:
            body.append(tr("tui.giveup.hints_left", lang, left=left))
        dialog = ConfirmDialog(tr("tui.giveup.title", lang), body, tr("tui.giveup.yes", lang), lang)
        self.app.push_screen(dialog, lambda yes: self._show_solution(give_up=True) if yes else None)

    def _show_solution(self, give_up: bool) -> None:
        ex, lang = self.exercise, self.app.lang
        was_passed = self.tutor.progress(ex).passed
        try:
            code = self.app.guard(self.tutor.solution, ex, give_up=give_up)
        except SolutionLocked:  # pragma: no cover - the screen asked first
            return
        if code is None:
            return
        title = tr("tui.solution.title", lang, short=ex.short, title=ex.title.get(lang))
        path = self.tutor.workspace.path(ex)
        try:  # the student's file, for the diff view (`v`); none yet, or unreadable: no diff
            student = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            student = None
        self.app.push_screen(SolutionScreen(title, code, gave_up=not was_passed, lang=lang, student=student,
                                            student_name=short_path(path)))
        self.refresh_exercise()

    def action_reset(self) -> None:
        """r: after a confirmation, put the stub back; the student's file is kept as a backup."""
        ex, lang = self.exercise, self.app.lang
        path = short_path(self.tutor.workspace.path(ex))
        backup_dir = short_path(self.tutor.workspace.root / BACKUP_DIR)
        dialog = ConfirmDialog(tr("tui.reset.title", lang), [tr("tui.reset.body", lang, path=path, backup_dir=backup_dir)],
                               tr("tui.reset.yes", lang), lang)
        self.app.push_screen(dialog, lambda yes: self._reset() if yes else None)

    def _reset(self) -> None:
        ex, lang = self.exercise, self.app.lang
        path = self.tutor.workspace.path(ex)
        ok, backup = self.app.guard_result(self.tutor.reset, ex)
        if not ok:
            return
        self._note_own_write(path)
        self.verdicts.pop(ex.key, None)
        if backup is None:
            self.app.say(tr("tui.note.reset_done", lang, path=short_path(path)), timeout=6)
        else:
            self.app.say(tr("tui.note.reset_backup", lang, path=short_path(path), backup=short_path(backup)), timeout=10)
        self.refresh_exercise()

    def action_device(self) -> None:
        """d: choose cpu, cuda or auto for the next checks."""
        def chosen(device: str | None) -> None:
            if device and device != self.app.device:
                self.app.device = device
                self.app.say(tr("tui.note.device", self.app.lang, device=device), timeout=4)

        self.app.ensure_probe()
        self.app.push_screen(DeviceDialog(self.app.device, self.app.lang), chosen)

    def action_lang(self) -> None:
        """l: switch the language at once (and for later runs)."""
        lang = other_lang(self.app.lang)
        self.app.set_lang(lang)
        self.app.say(tr("tui.note.lang", lang), timeout=3)

    def action_zoom(self) -> None:
        """z: the focused panel fills the screen (80x24 is small); z again puts it back."""
        if self.maximized is not None:
            self.minimize()
        else:
            panels = (Outline, LessonView, ExercisePanel)
            focused = self.focused
            target = next((node for node in (focused.ancestors_with_self if focused else [])
                           if isinstance(node, panels)), None)
            self.maximize(target or self.query_one(ExercisePanel), container=False)
        self.query_one(Outline).redraw()  # titles when it fills the screen, numbers only again after

    def action_help(self) -> None:
        """?: the help screen."""
        self.app.push_screen(HelpScreen(self.app.lang, str(self.tutor.workspace.root)))

    def action_quit(self) -> None:
        """q: stop any check and the watcher, and leave."""
        self.app.quit_tutor()

    def cancel_check(self) -> None:
        """Stop the running check, if any (on quit)."""
        if self.token is not None:
            self.token.cancel()

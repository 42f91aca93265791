"""The course as data: one manifest (`course.toml`) and paths derived from ids.

A course root holds::

    course.toml                 the manifest: lessons in order, exercises in order
    lessons/<lesson>/ja.md      lesson text, one file per language
    lessons/<lesson>/en.md
    lessons/<lesson>/<ex>.py    the stub the student starts from
    checks/<lesson>/<ex>.py     the hidden checks
    solutions/<lesson>/<ex>.py  the reference solution

No path is written in the manifest: everything is derived from the ids, so an
author adds an exercise by adding a manifest entry and its files.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tutor.course.study import KINDS, StudySpec, parse_study
from tutor.i18n import LANGS, Text

FORMAT_VERSION = 1
"""The manifest format this code reads."""

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
"""Lesson and exercise ids: lower-case, typable, usable as file names."""

DEFAULT_TIMEOUT_S = 30.0


MAX_PACK_FILE_BYTES = 1 << 20
"""The largest course.toml (or lesson text, stub, check) a pack may have: 1 MiB is
hundreds of times the built-in course; a bigger one is refused, not parsed for minutes."""


def read_pack_text(path: Path) -> str:
    """A course-pack file as text (a BOM dropped, CRLF kept); ContentError naming the file if it
    is over `MAX_PACK_FILE_BYTES` or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_PACK_FILE_BYTES:
            raise ContentError(f"{path}: {size} bytes, over the limit of {MAX_PACK_FILE_BYTES} for a course file")
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(f"{path}: not valid UTF-8 (byte {exc.start}); save it as UTF-8") from exc


class ContentError(Exception):
    """The manifest or a course folder is not usable; the message says why."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: a stub, hidden checks, a solution and hints."""

    lesson_id: str
    id: str
    title: Text
    hints: tuple[Text, ...]
    timeout_s: float
    gpu: bool
    number: tuple[int, int]
    """(lesson number, exercise number), both from 1, for short forms like 1.2."""
    root: Path
    optional: bool = False
    """An extra that may be unavailable (e.g. data that needs the network): never required."""
    figures: tuple[str, ...] = ()
    """Ids of the figures its checks draw from a passing run (`dev verify` holds the solution to them)."""
    kind: str = "exercise"
    """"exercise" (a checked file) or "experiment" (a study: `SETTINGS` and `run(config)`, see `tutor.study`)."""
    study: StudySpec | None = None
    """What an experiment's checks hold it to (None for an ordinary exercise)."""

    @property
    def is_experiment(self) -> bool:
        """True for `kind = "experiment"`."""
        return self.kind == "experiment"

    @property
    def discussion_stub_path(self) -> Path:
        """An experiment's discussion template, shipped beside its stub (`<exercise>.md`)."""
        return self.root / "lessons" / self.lesson_id / f"{self.id}.md"

    @property
    def discussion_solution_path(self) -> Path:
        """The reference discussion, beside the reference solution."""
        return self.root / "solutions" / self.lesson_id / f"{self.id}.md"

    def discussion_solution_text(self) -> str | None:
        """The reference discussion's text: its file, or else the pack's sealed solutions; None if neither."""
        if self.discussion_solution_path.is_file():
            return self.discussion_solution_path.read_text(encoding="utf-8")
        from tutor.course.sealed import sealed_solution

        return sealed_solution(self.root, f"{self.key}.md")

    def discussion_path(self, workspace: Path) -> Path:
        """Where the student's discussion lives: `<exercise>.md` beside their `<exercise>.py`."""
        return workspace / self.lesson_id / f"{self.id}.md"

    @property
    def key(self) -> str:
        """The stable full id, e.g. "tensors/01-create"."""
        return f"{self.lesson_id}/{self.id}"

    @property
    def short(self) -> str:
        """The short form, e.g. "1.2"."""
        return f"{self.number[0]}.{self.number[1]}"

    @property
    def stub_path(self) -> Path:
        """The stub as shipped with the course."""
        return self.root / "lessons" / self.lesson_id / f"{self.id}.py"

    @property
    def check_path(self) -> Path:
        """The hidden checks."""
        return self.root / "checks" / self.lesson_id / f"{self.id}.py"

    @property
    def solution_path(self) -> Path:
        """The reference solution, as a file (a source checkout or an instructor's pack)."""
        return self.root / "solutions" / self.lesson_id / f"{self.id}.py"

    def solution_text(self) -> str | None:
        """The reference solution's text: its file, or else the pack's sealed solutions
        (how the installed package ships them, see `tutor.course.sealed`); None if neither."""
        if self.solution_path.is_file():
            return self.solution_path.read_text(encoding="utf-8")
        from tutor.course.sealed import sealed_solution

        return sealed_solution(self.root, self.key)

    def workspace_path(self, workspace: Path) -> Path:
        """Where the student's copy lives in `workspace` (one folder per lesson)."""
        return workspace / self.lesson_id / f"{self.id}.py"


@dataclass(frozen=True)
class Lesson:
    """A lesson: its text in both languages and its exercises in order."""

    id: str
    title: Text
    number: int
    exercises: tuple[Exercise, ...]
    root: Path

    def text_path(self, lang: str) -> Path:
        """The lesson text in `lang` (Markdown)."""
        return self.root / "lessons" / self.id / f"{lang}.md"

    def text(self, lang: str) -> str:
        """The lesson text in `lang`, or the other language if that file is missing."""
        for candidate in (lang, *LANGS):
            path = self.text_path(candidate)
            if path.is_file():
                try:
                    return read_pack_text(path)
                except ContentError:  # `dev verify` names it; a reader sees what can be shown
                    return path.read_bytes()[:MAX_PACK_FILE_BYTES].decode("utf-8-sig", errors="replace")
        return ""


@dataclass(frozen=True)
class Course:
    """A whole course pack, loaded from its root folder."""

    id: str
    title: Text
    root: Path
    lessons: tuple[Lesson, ...]
    builtin: bool = False

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        """Every exercise in course order."""
        return tuple(ex for lesson in self.lessons for ex in lesson.exercises)

    def lesson(self, lesson_id: str) -> Lesson:
        """The lesson with this id (KeyError if there is none)."""
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)

    def lesson_of(self, exercise: Exercise) -> Lesson:
        """The lesson an exercise belongs to."""
        return self.lesson(exercise.lesson_id)

    def find(self, query: str) -> Exercise:
        """Resolve a typed id: "tensors/01-create", "1.1", "tensors/01", "01-create".

        Raises `UnknownExercise` (with close matches) when nothing fits.
        """
        q = query.strip().strip("/")
        if q.endswith(".py"):
            q = q[:-3]
        by_key = {ex.key: ex for ex in self.exercises}
        if q in by_key:
            return by_key[q]
        if re.fullmatch(r"\d+\.\d+", q):
            for ex in self.exercises:
                if ex.number == tuple(int(p) for p in q.split(".")):
                    return ex
        # Unique prefix or bare exercise id ("tensors/01", "01-create").
        hits = [ex for ex in self.exercises if ex.key.startswith(q) or ex.id == q]
        if len(hits) == 1:
            return hits[0]
        raise UnknownExercise(query, self._suggest(q))

    def _suggest(self, q: str) -> list[str]:
        keys = [ex.key for ex in self.exercises]
        close = difflib.get_close_matches(q, keys, n=3, cutoff=0.5)
        if not close:
            ids = {ex.id: ex.key for ex in self.exercises}
            close = [ids[i] for i in difflib.get_close_matches(q, list(ids), n=3, cutoff=0.5)]
        return close


class UnknownExercise(KeyError):
    """A typed exercise id matched nothing; `suggestions` holds the closest ids."""

    def __init__(self, query: str, suggestions: list[str]):
        super().__init__(query)
        self.query = query
        self.suggestions = suggestions


def _text(data: object, where: str) -> Text:
    if not isinstance(data, dict) or not all(isinstance(data.get(lang), str) and data.get(lang).strip() for lang in LANGS):
        raise ContentError(f"{where}: needs non-empty 'ja' and 'en' strings")
    return Text(ja=data["ja"].strip(), en=data["en"].strip())


def _id(data: dict, where: str) -> str:
    value = data.get("id")
    if not isinstance(value, str) or not ID_RE.match(value):
        raise ContentError(f"{where}: id {value!r} must match {ID_RE.pattern}")
    return value


def load_course(root: Path, builtin: bool = False) -> Course:
    """Read `root/course.toml` and build the course; raises ContentError if it is malformed."""
    root = Path(root).resolve()
    manifest = root / "course.toml"
    if not manifest.is_file():
        raise ContentError(f"{root}: no course.toml (is this a course folder?)")
    try:
        data = tomllib.loads(read_pack_text(manifest))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{manifest}: {exc}") from exc
    except RecursionError as exc:
        raise ContentError(f"{manifest}: nested too deeply to read") from exc
    if data.get("format_version") != FORMAT_VERSION:
        raise ContentError(f"{manifest}: format_version must be {FORMAT_VERSION}")
    course_id = _id(data, str(manifest))
    lessons: list[Lesson] = []
    seen: set[str] = set()
    for li, ldata in enumerate(data.get("lessons", []), start=1):
        lid = _id(ldata, f"{manifest} lesson {li}")
        if lid in seen:
            raise ContentError(f"{manifest}: lesson id {lid!r} used twice")
        seen.add(lid)
        exercises: list[Exercise] = []
        ex_seen: set[str] = set()
        for ei, edata in enumerate(ldata.get("exercises", []), start=1):
            where = f"{manifest} {lid} exercise {ei}"
            eid = _id(edata, where)
            if eid in ex_seen:
                raise ContentError(f"{where}: exercise id {eid!r} used twice")
            ex_seen.add(eid)
            hints = tuple(_text(h, f"{where} hint {hi}") for hi, h in enumerate(edata.get("hints", []), start=1))
            if len(hints) < 2:
                raise ContentError(f"{where} ({eid}): needs at least two hint levels")
            figures = edata.get("figures", [])
            if not isinstance(figures, list) or not all(isinstance(f, str) and f for f in figures):
                raise ContentError(f"{where} ({eid}): figures must be a list of figure ids")
            timeout = edata.get("timeout", DEFAULT_TIMEOUT_S)
            if not isinstance(timeout, (int, float)) or not 0 < timeout <= 3600:
                raise ContentError(f"{where} ({eid}): timeout must be seconds in (0, 3600]")
            kind = edata.get("kind", "exercise")
            if kind not in KINDS:
                raise ContentError(f"{where} ({eid}): kind must be one of {', '.join(KINDS)}")
            if "experiment" in edata and kind != "experiment":
                raise ContentError(f"{where} ({eid}): an experiment table needs kind = \"experiment\"")
            study = parse_study(edata.get("experiment"), f"{where} ({eid})", ContentError) if kind == "experiment" else None
            exercises.append(Exercise(
                lesson_id=lid, id=eid, title=_text(edata.get("title"), f"{where} title"),
                hints=hints, timeout_s=float(timeout), gpu=bool(edata.get("gpu", False)),
                number=(li, ei), root=root, optional=bool(edata.get("optional", False)),
                figures=tuple(figures), kind=kind, study=study,
            ))
        if not exercises:
            raise ContentError(f"{manifest}: lesson {lid!r} has no exercises")
        lessons.append(Lesson(id=lid, title=_text(ldata.get("title"), f"{manifest} {lid} title"),
                              number=li, exercises=tuple(exercises), root=root))
    if not lessons:
        raise ContentError(f"{manifest}: no lessons")
    return Course(id=course_id, title=_text(data.get("title"), f"{manifest} title"),
                  root=root, lessons=tuple(lessons), builtin=builtin)

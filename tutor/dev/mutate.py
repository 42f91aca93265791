"""`dltutor dev mutate`: put deep-learning mistakes into each reference solution and
run every such mutant through the real checks.

A mutant the checks pass ("survived") is a hole in the checks, unless it is
listed, with the reason, in the pack's reviewed `checks/equivalent-mutants.toml`
(a mutant that behaves exactly like the solution). A rejected mutant is
"named" when the verdict's messages contain the words its operator gives, in
both languages (`tutor.dev.mutants`). The report ends with one line,
`mutants M, killed K, equivalent E, survived S, named N`.
"""

from __future__ import annotations

import random
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from tutor.check.checker import Checker
from tutor.check.verdict import Verdict
from tutor.course.manifest import Course, Exercise
from tutor.dev.mutants import Mutant, Words, mutants

EQUIVALENT_FILE = Path("checks") / "equivalent-mutants.toml"
"""Where a pack lists its equivalent mutants, relative to its root."""

DEFAULT_SEED = 1
"""The seed every run uses unless told otherwise, so two reports can be compared."""


class EquivalentsError(ValueError):
    """The equivalent-mutants file cannot be read (bad TOML, an entry without a reason)."""


@dataclass(frozen=True)
class Outcome:
    """What the checks said about one mutant."""

    mutant: Mutant
    kind: str
    killed: bool
    named: bool
    equivalent: str | None = None
    """The listed reason, when the mutant is listed as equivalent."""
    message: str = ""
    """The first English message of the rejection (for the report)."""
    missing: str = ""
    """For a rejection that does not name the mutation: the language(s) whose messages lack its words."""
    untested: bool = False
    """Passed only because the checks that would judge it need a GPU this machine lacks."""


@dataclass
class ExerciseReport:
    """The mutants of one exercise and what became of them."""

    key: str
    reference: str
    """The verdict kind of the unchanged solution."""
    reference_s: float | None
    timeout_s: float
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: str | None = None
    """Why no mutant was run (the solution itself does not pass here)."""
    stale: list[str] = field(default_factory=list)
    """Listed equivalents that were killed or are no longer made."""

    def count(self) -> tuple[int, int, int, int, int]:
        """(mutants, killed, equivalent, survived, named), leaving out the untested ones."""
        judged = [o for o in self.outcomes if not o.untested]
        m = len(judged)
        k = sum(o.killed for o in judged)
        e = sum(not o.killed and o.equivalent is not None for o in judged)
        n = sum(o.killed and o.named for o in judged)
        return m, k, e, m - k - e, n

    @property
    def untested(self) -> int:
        """Mutants that only a GPU's checks could judge, on a machine without one."""
        return sum(o.untested for o in self.outcomes)


def load_equivalents(root: Path) -> dict[tuple[str, str], str]:
    """The pack's reviewed list: (exercise key, mutant id) -> reason."""
    path = root / EQUIVALENT_FILE
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise EquivalentsError(f"{path}: {exc}") from exc
    found = {}
    for entry in data.get("mutant", []):
        key, mid, reason = entry.get("exercise"), entry.get("id"), str(entry.get("reason", "")).strip()
        if not key or not mid or not reason:
            raise EquivalentsError(f"{path}: every [[mutant]] needs exercise, id and a reason ({entry})")
        found[(str(key), str(mid))] = reason
    return found


def _texts(verdict: Verdict) -> tuple[list[str], list[str]]:
    """The English and the Japanese of everything a rejection says."""
    en, ja = [], []
    for line in verdict.checks:
        if line.message and line.status not in ("passed", "needs_gpu"):
            en.append(line.message.en)
            ja.append(line.message.ja)
    if verdict.detail:
        en.append(verdict.detail.en)
        ja.append(verdict.detail.ja)
    if verdict.error:
        raw = f"{verdict.error.exc_type}: {verdict.error.message}"
        en.append(raw)
        ja.append(raw)
        if verdict.error.hint:
            en.append(verdict.error.hint.en)
            ja.append(verdict.error.hint.ja)
    return en, ja


def unnamed_in(verdict: Verdict, words: Words) -> str:
    """The languages ("en", "ja", "en ja") whose messages contain none of the mutation's words."""
    en, ja = _texts(verdict)
    en_text, ja_text = "\n".join(en).lower(), "\n".join(ja).lower()
    missing = [] if any(w.lower() in en_text for w in words.en) else ["en"]
    missing += [] if any(w.lower() in ja_text for w in words.ja) else ["ja"]
    return " ".join(missing)


def names(verdict: Verdict, words: Words) -> bool:
    """True when the verdict mentions one of the English and one of the Japanese words."""
    return not unnamed_in(verdict, words)


def _rejected(verdict: Verdict, reference: str) -> bool:
    # A GPU exercise on a CPU-only machine "passes" as no_gpu: a mutant is caught
    # there when its verdict is anything else; one that is no_gpu too was judged
    # only by the CPU checks, and is reported as untested, never as a pass.
    return verdict.kind != reference


def run_exercise(ex: Exercise, checker: Checker, *, equivalents: dict[tuple[str, str], str],
                 seed: int = DEFAULT_SEED, ops: list[str] | None = None, sample: int | None = None,
                 progress: Callable[[str], None] | None = None) -> ExerciseReport:
    """Make the mutants of `ex`'s solution and run each through the checks on the CPU."""
    report = ExerciseReport(key=ex.key, reference="", reference_s=None, timeout_s=ex.timeout_s)
    source = ex.solution_text()
    if source is None:
        report.skipped = "no solution"
        return report
    made = mutants(source, ops)
    if sample is not None and sample < len(made):
        made = sorted(random.Random(f"{seed}:{ex.key}").sample(made, sample), key=made.index)
    ids = {m.id for m in made}
    with tempfile.TemporaryDirectory(prefix="dltutor-mutants-") as tmp:
        path = Path(tmp) / ex.solution_path.name
        reference = Path(tmp) / "reference" / ex.solution_path.name
        reference.parent.mkdir()
        reference.write_text(source, encoding="utf-8")
        base = checker.check(ex, reference, device="cpu", seed=seed, force_run=True)
        report.reference, report.reference_s = base.kind, base.duration_s
        if base.kind not in ("passed", "no_gpu"):
            report.skipped = base.kind
            return report
        for i, mutant in enumerate(made, 1):
            if progress:
                progress(f"{ex.key} {i}/{len(made)} {mutant.id}")
            path.write_text(mutant.source, encoding="utf-8")
            verdict = checker.check(ex, path, device="cpu", seed=seed, force_run=True)
            killed = _rejected(verdict, base.kind)
            en, _ = _texts(verdict)
            reason = equivalents.get((ex.key, mutant.id))
            missing = unnamed_in(verdict, mutant.words) if killed else ""
            report.outcomes.append(Outcome(mutant=mutant, kind=verdict.kind, killed=killed,
                                           named=killed and not missing, equivalent=reason,
                                           message=(en[0] if en else "").strip(), missing=missing,
                                           untested=not killed and verdict.kind == "no_gpu" and reason is None))
            if killed and reason is not None:
                report.stale.append(f"{mutant.id} is listed as equivalent but was rejected ({verdict.kind})")
    if sample is None and not ops:
        for key, mid in equivalents:
            if key == ex.key and mid not in ids:
                report.stale.append(f"{mid} is listed as equivalent but no longer made")
    return report


def totals(reports: Iterable[ExerciseReport]) -> tuple[int, int, int, int, int]:
    """The sums of (mutants, killed, equivalent, survived, named) over the reports."""
    sums = [0, 0, 0, 0, 0]
    for report in reports:
        for i, value in enumerate(report.count()):
            sums[i] += value
    return tuple(sums)


def summary_line(reports: Iterable[ExerciseReport]) -> str:
    """The report's last line."""
    m, k, e, s, n = totals(reports)
    return f"mutants {m}, killed {k}, equivalent {e}, survived {s}, named {n}"


def exercises_to_mutate(course: Course, chosen: list[Exercise]) -> list[Exercise]:
    """The chosen exercises, or every exercise of the course, in course order.

    Experiments are left out: their checks judge a whole study (every setting
    trained), which a mutant of the reference would have to run again; their
    wrong answers live in tests/answers as for every exercise."""
    keys = {ex.key for ex in chosen}
    return [ex for ex in course.exercises if (not keys or ex.key in keys) and not ex.is_experiment]

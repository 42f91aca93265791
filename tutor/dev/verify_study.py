"""`dev verify` for an experiment: the reference study passes, the untouched stub does not.

The reference solution's whole default design runs (on the CPU, each setting
in its own child, in a store of its own), then its checks, with the reference
discussion beside it: this is what proves the experiment's mark reachable. The
stub runs with its discussion template and must not pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from tutor.check.checker import Checker
from tutor.course.manifest import Exercise
from tutor.progress.store import Store
from tutor.study import check_payload, run_study
from tutor.study.discussion import read_discussion
from tutor.study.study import study_check_timeout


def run_experiment(ex: Exercise, checker: Checker, report: Callable[[str, str, str], None] | None, tmp: Path,
                   solution: bool = True) -> list[str]:
    """Problems found (empty if the solution passes and the stub does not); `solution=False`: the stub only."""
    problems: list[str] = []
    store = Store.open(tmp / f"{ex.lesson_id}-{ex.id}-verify.sqlite")
    try:
        stub = ex.discussion_stub_path
        for kind, source, discussion, want_pass in (
            ("solution", ex.solution_text(), ex.discussion_solution_text(), True),
            ("stub", ex.stub_path.read_text(encoding="utf-8") if ex.stub_path.is_file() else None,
             stub.read_text(encoding="utf-8") if stub.is_file() else None, False),
        ):
            if source is None or not ex.check_path.is_file():
                continue
            if kind == "solution" and not solution:
                if report:
                    report(ex.key, kind, "skipped (--no-studies)")
                continue
            folder = tmp / kind / ex.lesson_id
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{ex.id}.py"
            path.write_text(source, encoding="utf-8")
            if discussion is not None:
                (folder / f"{ex.id}.md").write_text(discussion, encoding="utf-8")
            study = run_study(checker, store, ex, path, device="cpu")
            extra = {"study": check_payload(ex, study, read_discussion(folder / f"{ex.id}.md"))}
            verdict = checker.check(ex, path, device="cpu", force_run=True, extra=extra, timeout_s=study_check_timeout(ex))
            if report:
                report(ex.key, kind, verdict.kind)
            if verdict.passed != want_pass:
                detail = "; ".join(f"{c.id}: {c.status}" + (f" ({c.message.en})" if c.message else "") for c in verdict.checks)
                if study.error:
                    detail = f"{study.error.en} {detail}"
                if verdict.detail:
                    detail = f"{verdict.detail.en} {detail}"
                expectation = "should pass" if want_pass else "should not pass untouched"
                problems.append(f"{kind} {expectation} but got {verdict.kind}: {detail}".strip())
    finally:
        store.close()
    return problems

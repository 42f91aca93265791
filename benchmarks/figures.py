"""What figures cost: the check with and without drawing, the bytes sent, drawing in a terminal, the report.

    python benchmarks/figures.py                  # every exercise that promises figures, table + benchmarks/figures.json
    python benchmarks/figures.py --only 2.2 5.3   # some of them

For each exercise with `figures = [...]` in the manifest: the warm check of the
reference solution (median of `--repeats`), the size of its figures as JSON,
and the time to draw them with Rich at 80 columns in 256 and in 16 colours.
Then the report of a course where those exercises passed: building the facts
and writing the HTML and Markdown, and the HTML's size.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.style import Style  # noqa: E402

from tutor.figures.terminal import render_figures  # noqa: E402


def draw_ms(figures, system: str) -> float:
    Style.parse.cache_clear()
    console = Console(file=io.StringIO(), width=80, color_system=system, force_terminal=True)
    start = time.perf_counter()
    console.print(render_figures(figures, "ja"))
    return (time.perf_counter() - start) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", default=None, help="exercise ids or short forms")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "figures.json"))
    args = ap.parse_args()

    home = Path(tempfile.mkdtemp(prefix="dltutor-fig-bench-"))
    os.environ.update(DLTUTOR_STATE_DIR=str(home / "state"), DLTUTOR_WORKSPACE=str(home / "ws"), DLTUTOR_LANG="ja")
    from tutor.report.build import build_report
    from tutor.report.html import render_html, render_markdown
    from tutor.session import Tutor

    tutor = Tutor.open(warm=True)
    tutor.warm_up()
    wanted = [tutor.find(q) for q in args.only] if args.only else [ex for ex in tutor.course.exercises if ex.figures]
    rows = []
    try:
        for ex in wanted:
            path, _ = tutor.prepare(ex)
            shutil.copy(ex.solution_path, path)
            times, verdict = [], None
            for _ in range(args.repeats):
                start = time.monotonic()
                verdict = tutor.check(ex, device="cpu")
                times.append(time.monotonic() - start)
            size = len(json.dumps([f.to_json() for f in verdict.figures]))
            row = {"exercise": ex.key, "verdict": verdict.kind, "figures": [f.id for f in verdict.figures],
                   "check_s": round(statistics.median(times), 3), "figure_json_bytes": size,
                   "draw_256_ms": round(draw_ms(verdict.figures, "256"), 1),
                   "draw_16_ms": round(draw_ms(verdict.figures, "standard"), 1)}
            rows.append(row)
            print(f"{ex.short:>4} {ex.key:28} {row['verdict']:8} check {row['check_s']:6.2f} s  "
                  f"figures {len(row['figures'])} ({size / 1024:6.1f} KiB)  draw {row['draw_256_ms']:6.1f} / "
                  f"{row['draw_16_ms']:6.1f} ms (256 / 16 colours)", flush=True)
        start = time.perf_counter()
        report = build_report(tutor)
        built = time.perf_counter() - start
        html = render_html(report, "ja")
        md = render_markdown(report, "ja")
        written = time.perf_counter() - start
        summary = {"report_build_s": round(built, 3), "report_total_s": round(written, 3),
                   "html_bytes": len(html.encode()), "markdown_bytes": len(md.encode())}
        print(f"report: facts {built:.2f} s, facts + HTML + Markdown {written:.2f} s, "
              f"HTML {len(html.encode()) / 1024:.0f} KiB, Markdown {len(md.encode()) / 1024:.0f} KiB")
    finally:
        tutor.close()
        shutil.rmtree(home, ignore_errors=True)
    Path(args.json).write_text(json.dumps({
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}, load {os.getloadavg()[0]:.1f}",
        "rows": rows, "report": summary}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

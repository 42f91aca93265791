"""The report as a self-contained HTML file and as Markdown, from `tutor.report.build.build_report`.

The HTML has its style inline, figures as inline SVG and data-URI images, no
executable script and no address of anything outside the file, so it opens the
same offline, in any browser, and prints to PDF (each lesson starts a page).
The report itself travels inside it as data (`<script type="application/json"
id="dltutor-handin">`), so the one file a student hands in is both the page
for people and the input of `dltutor grade`.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime
from html import escape

from tutor.figures.model import figures_from_json
from tutor.figures.svg import figure_svg, pictures_svg
from tutor.report.study import experiment_html, experiment_markdown
from tutor.i18n import tr

CSS = """
body { font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; margin: 2rem auto; max-width: 60rem;
       color: #222; line-height: 1.55; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 2px solid #1f5fbf; padding-bottom: .2rem; }
.meta, .tick { color: #555; font-size: .85rem; } svg .tick { font-size: 11px; fill: #444; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef3fb; }
.passed { color: #2e7d32; font-weight: bold; } .attempted { color: #b26a00; font-weight: bold; }
.not_started { color: #777; } td.status, td:nth-child(4), td:nth-child(6) { white-space: nowrap; }
code { font-size: .9em; background: #f0f2f5; padding: 0 .2em; border-radius: 3px; }
section.exercise { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; break-inside: avoid-page; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; font-size: .8rem; white-space: pre-wrap; word-break: break-all; }
figure.fig { margin: .8rem 0; } figcaption { font-weight: bold; margin-bottom: .3rem; }
.pics { display: flex; flex-wrap: wrap; gap: 6px; }
.pic { display: flex; flex-direction: column; align-items: center; font-size: .75rem; }
.pic img { image-rendering: pixelated; border: 1px solid #bbb; }
.pic.mark img { border: 2px solid #c62828; } .pic.mark span { color: #c62828; font-weight: bold; }
table.study td:not(:first-child) { white-space: nowrap; text-align: right; } tr.warn td { color: #c62828; }
.discussion { border-left: 3px solid #1f5fbf; padding: 0 .8rem; margin: .5rem 0 1rem; }
@page { size: A4; margin: 14mm; }
@media print { body { margin: 0; max-width: none; } figure.fig, table.study, .discussion { break-inside: avoid; } section.lesson { break-before: page; } pre { font-size: .7rem; } }
"""

STATUS_MARK = {"passed": "✓", "attempted": "✗", "not_started": "·"}
HANDIN_ID = "dltutor-handin"
"""The id of the script block that carries the report in the HTML hand-in."""


def embedded_json(report: dict) -> str:
    """The report as a JSON script block that no content can end early (`</` and line separators escaped)."""
    text = json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("</", "<\\/").replace("<!--", "<\\u0021--").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/json" id="{HANDIN_ID}">{text}</script>'


def student_label(report: dict) -> str:
    """Who handed it in: "name (id)", or the login name for a version-1 report or no --name."""
    st = report["student"]
    if isinstance(st, str):
        return st
    name, sid = st.get("name"), st.get("id")
    if name and sid:
        return f"{name} ({sid})"
    return name or sid or st.get("login") or "?"


def fence_for(content: str) -> str:
    """A Markdown code fence longer than any backtick run in `content` (CommonMark), at least three."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    return "`" * max(3, longest + 1)


def _t(key: str, lang: str, **params) -> str:
    return tr(key, lang, **params)


def _dur(seconds: float | None, lang: str) -> str:
    if seconds is None:
        return "-"
    minutes = int(seconds // 60)
    return _t("report.duration", lang, h=minutes // 60, m=minutes % 60) if minutes else _t("report.seconds", lang, s=int(seconds))


def _when(iso: str | None) -> str:
    """An ISO time (UTC, as the JSON keeps it) in the machine's local time, e.g. "2026-11-24 09:30 JST"."""
    if not iso:
        return "-"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()
    except ValueError:
        return iso


def _title(text: str) -> str:
    """A title for HTML: escaped, with `code` spans as <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def render_html(report: dict, lang: str) -> str:
    """The whole report as one HTML document (a string)."""
    t = report["totals"]
    title = f'{_t("report.title", lang)}: {report["course"]["title"][lang]}'
    out = [f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f'<title>{escape(title)}</title><style>{CSS}</style></head><body>',
           f'<header><h1>{escape(title)}</h1>',
           f'<p class="meta">{escape(_t("report.meta", lang, student=student_label(report), when=_when(report["generated_at"]), version=report["tool"]["version"]))}</p>',
           f'<p>{escape(_totals(t, lang))}</p>',
           f'<p class="meta">{escape(_course_line(report))}</p>',
           '</header>', _overview(report, lang)]
    for lesson in report["lessons"]:
        out.append(f'<section class="lesson" id="lesson-{escape(lesson["id"])}">'
                   f'<h2>{lesson["number"]}. {_title(lesson["title"][lang])} ({lesson["passed"]}/{lesson["total"]})</h2>')
        idle = [ex for ex in lesson["exercises"] if ex["status"] == "not_started"]
        for ex in lesson["exercises"]:
            if ex["status"] != "not_started":
                out.append(_exercise_html(ex, lang, report["course"].get("content_hash")))
        if idle:
            out.append(f'<p class="not_started">{escape(_not_started_line(idle, lang))}</p>')
        out.append("</section>")
    out.append(embedded_json(report))
    out.append("</body></html>\n")
    return "".join(out)


def _overview(report: dict, lang: str) -> str:
    head = "".join(f"<th>{escape(_t(k, lang))}</th>" for k in
                   ("report.col.exercise", "report.col.status", "report.col.attempts", "report.col.hints",
                    "report.col.solution", "report.col.first_pass", "report.col.device"))
    rows, idle = [], []
    for lesson in report["lessons"]:
        for ex in lesson["exercises"]:
            if ex["status"] == "not_started":
                idle.append(ex)
                continue
            rows.append(f'<tr><td><a href="#ex-{escape(ex["id"])}">{escape(ex["short"])} {_title(ex["title"][lang])}</a></td>'
                        f'<td class="status {ex["status"]}">{STATUS_MARK[ex["status"]]} {escape(_t("report.status." + ex["status"], lang))}</td>'
                        f'<td>{ex["attempts"]}</td><td>{ex["hints_revealed"]}/{ex["hints_total"]}</td>'
                        f'<td>{escape(_solution(ex, lang))}</td><td>{escape(_when(ex["first_pass_at"]))}</td>'
                        f'<td>{escape(ex["device"] or "-")}</td></tr>')
    if idle:
        rows.append(f'<tr><td colspan="7" class="not_started">{escape(_not_started_line(idle, lang))}</td></tr>')
    return f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _not_started_line(exercises: list[dict], lang: str) -> str:
    """Exercises not started, folded into one line."""
    return _t("report.not_started_line", lang, count=len(exercises), ids=", ".join(ex["short"] for ex in exercises))


def _course_line(report: dict) -> str:
    """The course with the start of its fingerprint, and the tools (a version-1 report has only the id)."""
    course, env = report["course"], report.get("environment") or {}
    facts = [f'{course.get("id", "")} {course.get("content_hash", "")[:19]}'.strip()]
    if env:
        facts.append(f'Python {env.get("python")}, torch {env.get("torch") or "-"}')
        if env.get("interpreter"):
            facts.append(f'DLTUTOR_PYTHON={env["interpreter"]}')
    return " · ".join(facts)


def _other_course(src: dict, course_hash: str | None) -> bool:
    """Whether this pass was checked by a course whose manifest or checks differ from the report's."""
    return bool(course_hash) and src.get("course_hash") != course_hash


def _solution(ex: dict, lang: str) -> str:
    if not ex["solution_revealed"]:
        return "-"
    return _t("report.solution_" + (ex["solution_reason"] or "passed"), lang)


def _exercise_html(ex: dict, lang: str, course_hash: str | None = None) -> str:
    facts = [
        (_t("report.col.status", lang), f'<span class="{ex["status"]}">{escape(_t("report.status." + ex["status"], lang))}</span>'),
        (_t("report.col.attempts", lang), str(ex["attempts"])),
        (_t("report.col.hints", lang), f'{ex["hints_revealed"]}/{ex["hints_total"]}'),
        (_t("report.col.solution", lang), escape(_solution(ex, lang))),
        (_t("report.col.first_pass", lang), escape(f'{_when(ex["first_pass_at"])} ({_dur(ex["seconds_to_pass"], lang)})')),
        (_t("report.col.device", lang), escape(ex["device"] or "-")),
    ]
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in facts)
    parts = [f'<section class="exercise" id="ex-{escape(ex["id"])}"><h3>{escape(ex["short"])} {_title(ex["title"][lang])}'
             f' <span class="meta">{escape(ex["id"])}</span></h3><table>{rows}</table>']
    figures = figures_from_json(ex["figures"])
    if figures:
        parts.append(f'<h4>{escape(_t("report.figures", lang))}</h4>')
        parts.extend(figure_svg(f, lang) for f in figures)
    if ex.get("experiment"):
        parts.append(experiment_html(ex["experiment"], lang))
    f, src = ex["file"], ex.get("passed_source")
    if src:
        parts.append(f'<h4>{escape(_t("report.passed_source", lang))} <span class="meta">sha256 {escape(src["sha256"][:12])} '
                     f'{escape(_when(src["at"]))}</span></h4><pre><code>{escape(src["content"])}</code></pre>')
        if _other_course(src, course_hash):
            parts.append(f'<p class="warn">{escape(_t("report.other_course", lang, hash=src["course_hash"][:19]))}</p>')
    elif ex["status"] == "passed":  # a pass with no source kept: an old store, or rows written by hand
        parts.append(f'<p class="warn">{escape(_t("report.no_passed_source", lang))}</p>')
    if f["exists"] and not (src and f["sha256"] == src["sha256"]):
        note = _t("report.file_changed", lang) if f["same_as_passed"] is False else ""
        parts.append(f'<h4>{escape(_t("report.file", lang))} <span class="meta">{escape(f["path"])} {escape(note)}</span></h4>'
                     f'<pre><code>{escape(f["content"] or "")}</code></pre>')
    parts.append("</section>")
    return "".join(parts)


def _totals(t: dict, lang: str) -> str:
    """The totals line: required exercises, then the optional ones apart (when the course has any)."""
    optional = ""
    if t.get("optional"):  # older reports have no optional counts
        optional = _t("report.totals_optional", lang, optional=t["optional"], optional_passed=t.get("optional_passed", 0))
    return _t("report.totals", lang, passed=t["passed"], total=t["exercises"], optional=optional, attempts=t["attempts"],
              hints=t["hints"], solutions=t["solutions_revealed"])


def render_markdown(report: dict, lang: str) -> str:
    """The report as Markdown: the same facts; figures as embedded SVG images."""
    t = report["totals"]
    lines = [f'# {_t("report.title", lang)}: {report["course"]["title"][lang]}', "",
             _t("report.meta", lang, student=student_label(report), when=_when(report["generated_at"]), version=report["tool"]["version"]),
             "", _totals(t, lang), "", _course_line(report), ""]
    cols = [_t(k, lang) for k in ("report.col.exercise", "report.col.status", "report.col.attempts", "report.col.hints",
                                  "report.col.solution", "report.col.first_pass", "report.col.device")]
    for lesson in report["lessons"]:
        idle = [ex for ex in lesson["exercises"] if ex["status"] == "not_started"]
        lines += [f'## {lesson["number"]}. {lesson["title"][lang]} ({lesson["passed"]}/{lesson["total"]})', ""]
        if len(idle) < len(lesson["exercises"]):
            lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for ex in lesson["exercises"]:
            if ex["status"] == "not_started":
                continue
            cells = [f'{ex["short"]} {ex["title"][lang]}', f'{STATUS_MARK[ex["status"]]} {_t("report.status." + ex["status"], lang)}',
                     str(ex["attempts"]), f'{ex["hints_revealed"]}/{ex["hints_total"]}', _solution(ex, lang),
                     _when(ex["first_pass_at"]), ex["device"] or "-"]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
        if idle:
            lines += [_not_started_line(idle, lang), ""]
        for ex in lesson["exercises"]:
            src = ex.get("passed_source")
            if ex["status"] != "passed" and (ex["status"] == "not_started" or not (ex["file"]["exists"] or ex["figures"])):
                continue
            lines += [f'### {ex["short"]} {ex["title"][lang]} (`{ex["id"]}`)', ""]
            for fig in figures_from_json(ex["figures"]):
                svg = pictures_svg(fig) if fig.kind == "images" else figure_svg(fig, lang)
                uri = "data:image/svg+xml;base64," + base64.b64encode(_standalone(svg).encode()).decode("ascii")
                lines += [f'![{fig.title.get(lang)}]({uri})', ""]
            if ex.get("experiment"):
                lines += experiment_markdown(ex["experiment"], lang)
            if not src and ex["status"] == "passed":
                lines += [f'**{_t("report.no_passed_source", lang)}**', ""]
            if src and _other_course(src, report["course"].get("content_hash")):
                lines += [f'**{_t("report.other_course", lang, hash=src["course_hash"][:19])}**', ""]
            if src:
                fence = fence_for(src["content"])
                lines += [f'{_t("report.passed_source", lang)}: sha256 `{src["sha256"][:12]}` {_when(src["at"])}', "",
                          f"{fence}python", src["content"].rstrip("\n"), fence, ""]
            if ex["file"]["exists"] and not (src and ex["file"]["sha256"] == src["sha256"]):
                fence = fence_for(ex["file"]["content"] or "")
                note = f' {_t("report.file_changed", lang)}' if ex["file"].get("same_as_passed") is False else ""
                lines += [f'{_t("report.file", lang)}: `{ex["file"]["path"]}`{note}', "", f"{fence}python",
                          (ex["file"]["content"] or "").rstrip("\n"), fence, ""]
    return "\n".join(lines) + "\n"


def _standalone(figure_html: str) -> str:
    """The <svg> of a figure as a file of its own (a data-URI image needs the SVG namespace)."""
    start = figure_html.find("<svg")
    if start < 0:
        return '<svg xmlns="http://www.w3.org/2000/svg"/>'
    svg = figure_html[start:figure_html.rfind("</svg>") + 6]
    return svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)

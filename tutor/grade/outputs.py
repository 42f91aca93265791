"""Writing a `ClassResult`: grades.csv (Excel on Japanese Windows opens it), grades.json and class.html.

class.html is self-contained (style inline, no script, nothing fetched): a
heatmap of students by exercises, verified, marked where the claim differs;
pass rate per exercise; what the class got wrong (the failing checks and the
mistakes they named, with how many students hit each); and one section per
student with code, verdicts and flags.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from html import escape
from pathlib import Path

from tutor.grade.run import ClassResult, StudentResult
from tutor.i18n import tr
from tutor.progress.privatefile import write_private

CSS = """
body { font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin: .5rem 0 1.2rem; font-size: .85rem; }
th, td { border: 1px solid #ccc; padding: .2rem .4rem; text-align: center; }
td.name, th.name { text-align: left; white-space: nowrap; }
td.pass { background: #c8e6c9; } td.fail { background: #ffcdd2; } td.none { background: #f5f5f5; color: #999; }
td.differs { outline: 3px solid #b71c1c; outline-offset: -3px; font-weight: bold; }
.meta { color: #555; font-size: .85rem; } .flag { color: #b71c1c; }
pre { background: #f6f8fa; padding: .5rem; white-space: pre-wrap; word-break: break-all; font-size: .75rem; }
section.student { break-before: page; } li.count b { display: inline-block; min-width: 3em; }
@media print { body { margin: 0; } }
"""


def write_all(result: ClassResult, out: Path, lang: str) -> list[Path]:
    """Write the three files into `out` (0600: they hold every student's code and grade)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return [write_private(out / "grades.csv", grades_csv(result)),
            write_private(out / "grades.json", json.dumps(grades_json(result), ensure_ascii=False, indent=1)),
            write_private(out / "class.html", class_html(result, lang))]


def grades_csv(result: ClassResult) -> str:
    """One row per student: id, name, 1/0/empty per exercise in course order, total; UTF-8 with a BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["id", "name", *[ex.key for ex in result.exercises], "total"])
    for st in result.students:
        cells = ["" if st.verified(ex.key) is None else st.verified(ex.key) for ex in result.exercises]
        writer.writerow([st.id, st.name, *cells, result.total(st)])
    return "\ufeff" + buf.getvalue()


def grades_json(result: ClassResult) -> dict:
    """Per student and exercise: the verified verdict and its failing checks, the claim, the flags, the time."""
    return {
        "course": {"id": result.course_id, "content_hash": result.course_hash},
        "exercises": [{"id": ex.key, "short": ex.short, "optional": ex.optional} for ex in result.exercises],
        "run": {"seconds": result.seconds, "checks_run": result.checks_run, "checks_cached": result.checks_cached,
                "backend": result.backend},
        "students": [{
            "id": st.id, "name": st.name, "handin": st.origin, "total": result.total(st),
            "flags": [{"kind": f.kind, "exercise": f.exercise, "detail": f.detail} for f in st.flags],
            "exercises": {ex.key: {
                "verified": st.verified(ex.key), "claimed": st.claims.get(ex.key),
                "verdict": (st.results.get(ex.key) or {}).get("kind"),
                "seconds": (st.results.get(ex.key) or {}).get("duration_s"),
                "detail": (st.results.get(ex.key) or {}).get("detail"),
                "failing_checks": [c for c in (st.results.get(ex.key) or {}).get("checks", []) if c["status"] != "passed"],
            } for ex in result.exercises if ex.key in st.sources or ex.key in st.claims},
        } for st in result.students],
        "unreadable": [{"handin": h.origin, "problem": h.problem} for h in result.unreadable],
    }


def _cell(st: StudentResult, key: str) -> str:
    value = st.verified(key)
    differs = st.claims.get(key) == "passed" and value != 1
    cls = {1: "pass", 0: "fail", None: "none"}[value] + (" differs" if differs else "")
    mark = {1: "✓", 0: "✗", None: "·"}[value] + ("!" if differs else "")
    kind = (st.results.get(key) or {}).get("kind", "")
    return f'<td class="{cls}" title="{escape(key)} {escape(kind)}">{mark}</td>'


def class_html(result: ClassResult, lang: str) -> str:
    """The class page, one self-contained HTML document."""
    t = lambda key, **p: escape(tr(key, lang, **p))  # noqa: E731
    exs = result.exercises
    flags = sum(len(st.flags) for st in result.students)
    head = "".join(f'<th title="{escape(ex.key)}">{escape(ex.short)}</th>' for ex in exs)
    rows = [f'<tr><td class="name"><a href="#s-{escape(st.id)}">{escape(st.id)}</a> {escape(st.name)}</td>'
            + "".join(_cell(st, ex.key) for ex in exs) + f"<td>{result.total(st)}</td></tr>" for st in result.students]
    rates = []
    for ex in exs:
        got = [st.verified(ex.key) for st in result.students]
        rates.append(f"<td>{round(100 * sum(g or 0 for g in got) / len(got)) if got else 0}%</td>")
    out = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{t("grade.title", course=result.course_id)}'
           f"</title><style>{CSS}</style></head><body><h1>{t('grade.title', course=result.course_id)}</h1>",
           f'<p class="meta">{t("grade.meta", students=len(result.students), checks=result.checks_run + result.checks_cached, cached=result.checks_cached, seconds=result.seconds, backend=result.backend, hash=result.course_hash[:19])}</p>',
           f'<p class="meta">{t("grade.limits")}</p>',
           f'<h2>{t("grade.heatmap")}</h2><p class="meta">{t("grade.legend")}</p>',
           f'<table class="heatmap"><thead><tr><th class="name">{t("grade.student")}</th>{head}<th>{t("grade.total")}</th></tr></thead>',
           f'<tbody>{"".join(rows)}</tbody><tfoot><tr><th class="name">{t("grade.pass_rate")}</th>{"".join(rates)}<td></td></tr></tfoot></table>',
           f'<h2>{t("grade.wrong")}</h2>', _wrong(result, lang)]
    if flags:
        out.append(f'<h2>{t("grade.flags")}</h2><ul>')
        for st in result.students:
            for f in st.flags:
                out.append(f'<li class="flag"><a href="#s-{escape(st.id)}">{escape(st.id)}</a> {escape(f.kind)} '
                           f'{escape(f.exercise or "")}: {escape(f.detail)}</li>')
        out.append("</ul>")
    if result.unreadable:
        out.append(f'<h2>{t("grade.unreadable")}</h2><ul>' + "".join(
            f"<li>{escape(h.origin)}: {escape(h.problem or '')}</li>" for h in result.unreadable) + "</ul>")
    out += [_student(st, result, lang) for st in result.students]
    out.append("</body></html>\n")
    return "".join(out)


def _wrong(result: ClassResult, lang: str) -> str:
    parts = []
    for ex in result.exercises:
        counts: Counter = Counter()
        for st in result.students:
            res = st.results.get(ex.key)
            if not res or res.get("kind") == "passed" or ex.key not in st.sources:
                continue
            failing = [c for c in res.get("checks", []) if c["status"] not in ("passed", "not_run")]
            if not failing:
                counts[res.get("kind", "?") + (f": {res['detail']}" if res.get("detail") else "")] += 1
            for c in failing:
                message = (c.get("message") or {}).get(lang) or ""
                counts[f"{c['title'].get(lang) or c['id']}: {message.split(chr(10))[0][:200]}"] += 1
        if counts:
            items = "".join(f'<li class="count"><b>{n}</b> {escape(what)}</li>' for what, n in counts.most_common(8))
            parts.append(f"<h3>{escape(ex.short)} {escape(ex.title.get(lang))} <span class='meta'>{escape(ex.key)}</span></h3><ul>{items}</ul>")
    return "".join(parts) or f"<p>{escape(tr('grade.wrong_none', lang))}</p>"


def _student(st: StudentResult, result: ClassResult, lang: str) -> str:
    parts = [f'<section class="student" id="s-{escape(st.id)}"><h2>{escape(st.id)} {escape(st.name)}</h2>'
             f'<p class="meta">{escape(st.origin)} · {tr("grade.total", lang)} {result.total(st)}</p>']
    for f in st.flags:
        parts.append(f'<p class="flag">{escape(f.kind)} {escape(f.exercise or "")}: {escape(f.detail)}</p>')
    for ex in result.exercises:
        if ex.key not in st.sources:
            continue
        res = st.results.get(ex.key) or {}
        lines = "".join(f"<li>{escape(c['status'])}: {escape(c['title'].get(lang) or c['id'])}"
                        + (f" — {escape((c.get('message') or {}).get(lang) or '')}" if c["status"] != "passed" else "") + "</li>"
                        for c in res.get("checks", []))
        parts.append(f"<h3>{escape(ex.short)} {escape(ex.key)} — {escape(tr('grade.verified', lang, kind=res.get('kind', '-')))}, "
                     f"{escape(tr('grade.claimed', lang, status=st.claims.get(ex.key, '-')))}</h3>"
                     + (f"<p class='meta'>{escape(res['detail'])}</p>" if res.get("detail") else "")
                     + f"<ul>{lines}</ul><pre><code>{escape(st.sources[ex.key])}</code></pre>")
    parts.append("</section>")
    return "".join(parts)

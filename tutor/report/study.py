"""An experiment in the hand-in: its results table, figures and discussion.

`experiment_facts` is what `build_report` puts under an experiment's
`experiment` key (the stored study of the latest code, the discussion as the
student's file has it); `experiment_html` and `experiment_markdown` draw it:
the table (the setting chosen on validation accuracy marked), the learning
curves of every setting and accuracy against each factor as inline SVG, and
the discussion (Markdown, raw HTML not allowed). Like everything in the
report it is a claim: `dltutor grade` re-runs what it can.
"""

from __future__ import annotations

from html import escape

from tutor.course.manifest import Exercise
from tutor.figures.study import study_figures
from tutor.figures.svg import figure_svg
from tutor.i18n import tr
from tutor.session import Tutor

MAX_DISCUSSION_CHARS = 50_000
COLUMNS = ("setting", "status", "epochs", "train_loss", "val_acc", "test_acc", "seconds", "memory")


def experiment_facts(tutor: Tutor, ex: Exercise) -> dict | None:
    """The study and discussion of an experiment (None for an ordinary exercise)."""
    if not ex.is_experiment:
        return None
    study = tutor.stored_study(ex)
    rows = [row.to_json() for row in study.rows] if study else []
    for row in rows:
        row.pop("output", None)  # the student's prints stay on their machine
    ok = [r for r in rows if r["status"] == "ok" and r["history"]]
    chosen = max(ok, key=lambda r: r["history"][-1]["val_acc"])["label"] if ok else None
    d = tutor.discussion(ex)
    text = d["text"] if d["utf8"] else ""
    return {"code_hash": study.code_hash if study else None, "factors": study.factors if study else [],
            "rows": rows, "chosen": chosen, "spec": ex.study.to_json() if ex.study else {},
            "discussion": {"path": d["path"], "exists": d["exists"], "utf8": d["utf8"],
                           "text": text[:MAX_DISCUSSION_CHARS], "truncated": len(text) > MAX_DISCUSSION_CHARS}}


def _pct(value) -> str:
    return f"{100 * value:.2f}%" if isinstance(value, (int, float)) else "-"


def _num(value, digits: int) -> str:
    return f"{value:.{digits}f}" if isinstance(value, (int, float)) else "-"


def _cells(row: dict, lang: str) -> list[str]:
    final = row["history"][-1] if row.get("history") else {}
    return [row["label"], tr(f"study.status_{row['status']}", lang) if row["status"] in _STATUSES else row["status"],
            str(len(row.get("history") or []) or "-"), _num(final.get("train_loss"), 4), _pct(final.get("val_acc")),
            _pct(row.get("test_acc")), _num(row.get("seconds"), 1), _num(row.get("peak_rss_mb"), 0)]


_STATUSES = ("ok", "error", "invalid", "timeout", "oom", "crashed", "output_limit", "not_run", "cancelled")


def _discussion_html(d: dict, lang: str) -> str:
    if not d.get("exists"):
        return f'<p class="warn">{escape(tr("study.no_discussion", lang, path=d.get("path", "")))}</p>'
    if not d.get("utf8"):
        return f'<p class="warn">{escape(tr("study.discussion_not_utf8", lang, path=d.get("path", "")))}</p>'
    from markdown_it import MarkdownIt

    # html=False: whatever HTML the student wrote is shown as text, never run in the instructor's browser.
    return f'<div class="discussion">{MarkdownIt("commonmark", {"html": False}).render(d.get("text") or "")}</div>'


def experiment_html(facts: dict, lang: str) -> str:
    """The study's table, figures and discussion as HTML (inside the exercise's section)."""
    head = "".join(f"<th>{escape(tr(f'study.col_{c}', lang))}</th>" for c in COLUMNS)
    body = []
    for row in facts["rows"]:
        cells = _cells(row, lang)
        mark = "* " if row["label"] == facts.get("chosen") else ""
        cls = "" if row["status"] == "ok" else ' class="warn"'
        body.append(f"<tr{cls}><td>{escape(mark + cells[0])}</td>" + "".join(f"<td>{escape(c)}</td>" for c in cells[1:]) + "</tr>")
    parts = [f'<h4>{escape(tr("study.heading", lang, ex="", n=len(facts["rows"]), factors=", ".join(facts["factors"]) or "-"))}</h4>',
             f'<table class="study"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>']
    chosen = next((r for r in facts["rows"] if r["label"] == facts.get("chosen")), None)
    if chosen is not None:
        parts.append(f'<p>* {escape(tr("study.chosen", lang, label=chosen["label"], test=_pct(chosen.get("test_acc"))))}</p>')
    for fig in study_figures(facts["rows"], facts["factors"]):
        parts.append(figure_svg(fig, lang))
    parts.append(f'<h4>{escape(tr("study.discussion", lang))}</h4>')
    parts.append(_discussion_html(facts["discussion"], lang))
    return "".join(parts)


def experiment_markdown(facts: dict, lang: str) -> list[str]:
    """The study's table and discussion as Markdown lines (the figures are in the HTML)."""
    cols = [tr(f"study.col_{c}", lang) for c in COLUMNS]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in facts["rows"]:
        cells = _cells(row, lang)
        if row["label"] == facts.get("chosen"):
            cells[0] = "* " + cells[0]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", f'**{tr("study.discussion", lang)}**', ""]
    d = facts["discussion"]
    if d.get("exists") and d.get("utf8"):
        lines += [(d.get("text") or "").rstrip("\n"), ""]
    else:
        key = "study.no_discussion" if not d.get("exists") else "study.discussion_not_utf8"
        lines += [tr(key, lang, path=d.get("path", "")), ""]
    return lines

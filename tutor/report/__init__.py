"""What a student hands in: the progress report as JSON, HTML and Markdown.

`build` turns a session's store and workspace into the report (format:
`schemas/report.schema.json`, version 2; the contract with `dltutor grade`);
`html` renders it as a self-contained page with the report embedded as data
(the one file handed in) and as Markdown. It sits above `tutor.session` and may import it and everything
below it (`tutor.figures` draws the SVG figures), never a front end.
"""

from tutor.report.build import REPORT_VERSION, SCHEMA_PATH, build_report, load_schema
from tutor.report.html import render_html, render_markdown

__all__ = ["REPORT_VERSION", "SCHEMA_PATH", "build_report", "load_schema", "render_html", "render_markdown"]

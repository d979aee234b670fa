"""Reports people read: terminal, markdown and self-contained HTML, and the analysis as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from threadscope.analysis import Analysis
    from threadscope.labels import LabelledThread

FORMATS = ("text", "markdown", "html", "json")


def render(
    results: Sequence[tuple[LabelledThread, Analysis]], fmt: str = "text", color: bool = True,
) -> str:
    """Render analysed threads in one of FORMATS."""
    if fmt == "markdown":
        from threadscope.report.markdown import render_markdown

        return render_markdown(results)
    if fmt == "html":
        from threadscope.report.html import render_html

        return render_html(results)
    if fmt == "json":
        return render_json(results)
    from threadscope.report.text import render_text

    return render_text([item for item, _ in results], color=color,
                       analyses=[a for _, a in results])


def render_json(results: Sequence[tuple[LabelledThread, Analysis]]) -> str:
    """The analysis of each thread with its source and title, as deterministic JSON."""
    from threadscope.analysis import analysis_dict
    from threadscope.export.document import dumps

    reports = []
    for item, analysis in results:
        src = item.thread.source
        reports.append({"source": src.path if src else None,
                        "thread_key": src.thread_key if src else None,
                        "title": item.thread.article.title,
                        "analysis": analysis_dict(analysis)})
    return dumps({"reports": reports})

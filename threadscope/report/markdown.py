"""The markdown report: the labelled comment tree as nested lists, then pipe tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from threadscope.labels import CommentLabels, LabelledThread
from threadscope.report.safe import printable
from threadscope.report.tables import SummaryTable, summary_tables

if TYPE_CHECKING:
    from threadscope.analysis import Analysis
    from threadscope.model import Comment

SNIPPET = 160
MAX_INDENT = 30  # list nesting deeper than this is shown flat with its depth
STANCE_MARK = {"agree": "🟩", "disagree": "🟥", "query": "🟨", "neutral": "⬜"}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(text: str) -> str:
    """Text shown literally by markdown renderers: punctuation backslash-escaped, one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(printable(text).split()))


def render_markdown(results: Sequence[tuple[LabelledThread, Analysis]]) -> str:
    """The markdown report of every thread."""
    return "\n\n".join(thread_markdown(item, analysis) for item, analysis in results) + "\n"


def thread_markdown(labelled: LabelledThread, analysis: Analysis) -> str:
    """One thread: heading, source, the comment tree and the summary tables."""
    thread = labelled.thread
    lines = [f"# {md_escape(thread.article.title or 'Untitled thread')}", ""]
    if thread.source is not None:
        lines += [f"Source: {md_escape(thread.source.path)} ({md_escape(thread.source.site)})",
                  ""]
    lines += ["Stance: 🟩 agree · 🟥 disagree · 🟨 query · ⬜ neutral · ⸮ sarcastic", "",
              "## Comments", ""]
    for comment in thread.walk():
        depth = min(comment.depth, MAX_INDENT)
        deeper = f"(depth {comment.depth}) " if comment.depth > MAX_INDENT else ""
        line = comment_markdown(comment, labelled.label(comment.id))
        lines.append(f"{'  ' * (depth - 1)}- {deeper}{line}")
    if not thread.comments:
        lines.append("*No comments.*")
    for table in summary_tables(analysis, thread):
        lines += ["", f"## {table.title}", "", *pipe_table(table)]
    return "\n".join(lines)


def comment_markdown(comment: Comment, labels: CommentLabels | None) -> str:
    """One comment on one line: number, author, score, time, stance, sarcasm, text."""
    parts = [f"**{md_escape(comment.path or comment.id)}**",
             md_escape(comment.author) if comment.author else "*anonymous*"]
    if comment.score is not None:
        parts.append(f"{comment.score:+d}")
    if comment.timestamp is not None:
        parts.append(comment.timestamp.iso)
    if labels is not None and labels.stance.label is not None:
        prob = labels.stance.probabilities.get(labels.stance.label)
        shown = f" {prob:.2f}" if prob is not None else ""
        parts.append(f"{STANCE_MARK[labels.stance.label]} {labels.stance.label}{shown}")
    if labels is not None and labels.sarcasm.label == "sarcastic":
        parts.append("⸮ sarcastic")
    text = " ".join(comment.text.split())
    if len(text) > SNIPPET:
        text = text[: SNIPPET - 1] + "…"
    quotes = "".join(f" ↩ {md_escape(q.source_id or '?')}" for q in comment.quotes)
    return " · ".join(parts) + f" — {md_escape(text)}{quotes}"


def pipe_table(table: SummaryTable) -> list[str]:
    """A GitHub-flavoured pipe table with escaped cells."""
    head = "| " + " | ".join(md_escape(h) for h in table.headers) + " |"
    rule = "|" + "|".join("---" for _ in table.headers) + "|"
    body = ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in table.rows]
    return [head, rule, *body]

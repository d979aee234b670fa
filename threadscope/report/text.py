"""The terminal report: the comment tree with stance colours, sarcasm marks, scores,
times and quote links, then the summary tables."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.markup import escape as rich_escape
from rich.table import Table
from rich.tree import Tree

from threadscope.labels import CommentLabels, LabelledThread
from threadscope.model import Comment, Thread
from threadscope.report.safe import printable

if TYPE_CHECKING:
    from threadscope.analysis import Analysis
    from threadscope.report.tables import SummaryTable

SNIPPET = 90
MAX_TREE_COMMENTS = 2000  # rich draws ~600 comments/s: beyond this the terminal tree is cut
MAX_TREE_DEPTH = 12  # deeper replies hang flat under their level-12 ancestor, marked with depth
STANCE_STYLE = {"agree": "green", "disagree": "red", "query": "yellow", "neutral": "white"}
SARCASM_MARK = "⸮"  # the irony mark: flags a comment labelled sarcastic


def _esc(text: str) -> str:
    """Page text for rich markup: control characters made visible, markup escaped."""
    return rich_escape(printable(text))


def render_text(
    threads: Sequence[Thread | LabelledThread], color: bool = True, width: int = 110,
    analyses: Sequence[Analysis] | None = None,
) -> str:
    """Render threads as terminal text (ANSI colours when color is True).

    Labelled threads show stance colours and sarcasm marks; with analyses, the
    agreement tables follow each tree.
    """
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, width=width, no_color=not color,
                      highlight=False, soft_wrap=False)
    for i, item in enumerate(threads):
        labelled = item if isinstance(item, LabelledThread) else None
        thread = labelled.thread if labelled else item
        assert isinstance(thread, Thread)
        parts: list[Tree | Table] = [thread_tree(thread, labelled), summary_table(thread)]
        if analyses:
            from threadscope.report.tables import summary_tables

            parts.extend(rich_table(t) for t in summary_tables(analyses[i], thread))
        console.print(Group(*parts))
    return buffer.getvalue()


def thread_tree(thread: Thread, labelled: LabelledThread | None = None) -> Tree:
    """The comment tree as a rich Tree, built without recursion."""
    title = thread.article.title or (thread.source.path if thread.source else "thread")
    root = Tree(f"[bold]{_esc(title)}[/bold]")
    nodes: dict[str | None, Tree] = {None: root}
    deepest: Tree = root
    for shown, comment in enumerate(thread.walk()):
        if shown == MAX_TREE_COMMENTS:
            root.add(f"[dim]… {len(thread.comments) - shown} more comments: see "
                     "--format html or markdown[/dim]")
            break
        labels = labelled.label(comment.id) if labelled else None
        line = comment_line(comment, labels)
        if comment.depth > MAX_TREE_DEPTH:
            deepest.add(f"[dim]depth {comment.depth}[/dim] {line}")
            continue
        nodes[comment.id] = nodes[comment.parent_id].add(line)
        if comment.depth == MAX_TREE_DEPTH:
            deepest = nodes[comment.id]
    return root


def label_marks(labels: CommentLabels | None) -> list[str]:
    """Rich markup for a comment's stance (coloured, with its probability) and sarcasm."""
    if labels is None:
        return []
    marks = []
    stance = labels.stance
    if stance.label is not None:
        style = STANCE_STYLE[stance.label]
        prob = stance.probabilities.get(stance.label)
        shown = f"{stance.label} {prob:.2f}" if prob is not None else stance.label
        marks.append(f"[bold {style}]{shown}[/bold {style}]")
    elif stance.reason:
        marks.append(f"[dim]({_esc(stance.reason)})[/dim]")
    if labels.sarcasm.label == "sarcastic":
        marks.append(f"[magenta]{SARCASM_MARK}sarcastic[/magenta]")
    return marks


def comment_line(comment: Comment, labels: CommentLabels | None = None) -> str:
    """One comment as rich markup: number, author, score, time, labels, text, quotes."""
    label = comment.path or comment.id
    author = _esc(comment.author) if comment.author else "[dim]anonymous[/dim]"
    parts = [f"[cyan]{_esc(label)}[/cyan]", author]
    if comment.score is not None:
        colour = "green" if comment.score > 0 else "red" if comment.score < 0 else "white"
        parts.append(f"[{colour}]{comment.score:+d}[/{colour}]")
    if comment.timestamp is not None:
        parts.append(f"[dim]{_esc(comment.timestamp.iso)}[/dim]")
    parts.extend(label_marks(labels))
    if comment.placeholder:
        hidden = f" ({comment.hidden_count} hidden)" if comment.hidden_count else ""
        parts.append(f"[dim]… more replies{hidden}[/dim]")
    text = " ".join(comment.text.split())
    if len(text) > SNIPPET:
        text = text[: SNIPPET - 1] + "…"
    parts.append(_esc(text))
    for source, count in Counter(q.source_id or "?" for q in comment.quotes).items():
        times = f" ×{count}" if count > 1 else ""
        parts.append(f"[magenta]↩ quotes {_esc(source)}{times}[/magenta]")
    return " ".join(parts)


def summary_table(thread: Thread) -> Table:
    """Counts: comments, top level, depth, authors, quotes."""
    table = Table(title="Summary", show_header=False)
    authors = {c.author for c in thread.comments if c.author}
    quotes = sum(len(c.quotes) for c in thread.comments)
    rows = [
        ("comments", len(thread.comments)),
        ("declared on page", thread.article.declared_comment_count),
        ("top-level", len(thread.roots())),
        ("max depth", thread.max_depth),
        ("named authors", len(authors)),
        ("quote segments", quotes),
    ]
    for name, value in rows:
        table.add_row(name, "–" if value is None else str(value))
    return table


def rich_table(table: SummaryTable) -> Table:
    """A summary table as a rich Table (cells escaped: they may hold page text)."""
    out = Table(title=table.title, title_justify="left")
    for header in table.headers:
        out.add_column(header)
    for row in table.rows:
        out.add_row(*(_esc(cell) for cell in row))
    return out

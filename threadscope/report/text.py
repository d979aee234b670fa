"""The terminal report: the comment tree with authors, scores, times and quote links."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from threadscope.model import Comment, Thread

SNIPPET = 90


def render_text(threads: Sequence[Thread], color: bool = True, width: int = 110) -> str:
    """Render threads as terminal text (ANSI colours when color is True)."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, width=width, no_color=not color,
                      highlight=False, soft_wrap=False)
    for thread in threads:
        console.print(Group(thread_tree(thread), summary_table(thread)))
    return buffer.getvalue()


def thread_tree(thread: Thread) -> Tree:
    """The comment tree as a rich Tree, built without recursion."""
    title = thread.article.title or (thread.source.path if thread.source else "thread")
    root = Tree(f"[bold]{escape(title)}[/bold]")
    nodes: dict[str | None, Tree] = {None: root}
    for comment in thread.walk():
        nodes[comment.id] = nodes[comment.parent_id].add(comment_line(comment))
    return root


def comment_line(comment: Comment) -> str:
    """One comment as a line of rich markup: number, author, score, time, text, quotes."""
    label = comment.path or comment.id
    author = escape(comment.author) if comment.author else "[dim]anonymous[/dim]"
    parts = [f"[cyan]{escape(label)}[/cyan]", author]
    if comment.score is not None:
        colour = "green" if comment.score > 0 else "red" if comment.score < 0 else "white"
        parts.append(f"[{colour}]{comment.score:+d}[/{colour}]")
    if comment.timestamp is not None:
        parts.append(f"[dim]{escape(comment.timestamp.iso)}[/dim]")
    if comment.placeholder:
        hidden = f" ({comment.hidden_count} hidden)" if comment.hidden_count else ""
        parts.append(f"[dim]… more replies{hidden}[/dim]")
    text = " ".join(comment.text.split())
    if len(text) > SNIPPET:
        text = text[: SNIPPET - 1] + "…"
    parts.append(escape(text))
    for quote in comment.quotes:
        parts.append(f"[magenta]↩ quotes {escape(quote.source_id or '?')}[/magenta]")
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

"""Commands over single pages: export and report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

PagesArg = Annotated[list[Path], typer.Argument(help="Page files or dumps to read.",
                                                show_default=False)]
SiteOpt = Annotated[str | None, typer.Option("--site", help="Skip detection: parse as this "
                                             "site family (see `threadscope sites`).")]
NowOpt = Annotated[datetime | None, typer.Option(
    "--now", help="Reference time for relative dates ('6 years ago'); default: the page's "
    "own date where it states one.", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S",
                                              "%Y-%m-%dT%H:%M"])]
OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of "
                                             "standard output.")]
MaxSizeOpt = Annotated[float, typer.Option("--max-size", help="Largest input in MB.")]


def export(
    pages: PagesArg,
    output: OutOpt = None,
    site: SiteOpt = None,
    now: NowOpt = None,
    max_size: MaxSizeOpt = 50.0,
) -> None:
    """Export each page's thread as a versioned JSON document.

    One thread gives one JSON object; several (many pages, or a multi-thread
    Disqus export) give a JSON array of documents.

    Example: threadscope export fixtures/001_42a6ee7e45e40515.txt -o seed001.json
    """
    from threadscope.api import load
    from threadscope.export.document import dumps, dumps_many, thread_document

    docs = [thread_document(t) for page in pages
            for t in load(page, site=site, now=now, max_bytes=int(max_size * 1e6))]
    write_text(dumps(docs[0]) if len(docs) == 1 else dumps_many(docs), output)


def report(
    pages: PagesArg,
    output: OutOpt = None,
    site: SiteOpt = None,
    now: NowOpt = None,
) -> None:
    """Show each page's comment tree with authors, scores, times and quote links.

    Example: threadscope report fixtures/001_42a6ee7e45e40515.txt
    """
    from threadscope.api import load
    from threadscope.report.text import render_text

    threads = [t for page in pages for t in load(page, site=site, now=now)]
    write_text(render_text(threads, color=output is None), output)


def write_text(text: str, output: Path | None) -> None:
    """Write to a file atomically, or to standard output."""
    if output is None:
        typer.echo(text, nl=False)
        return
    from threadscope.fileio import atomic_write_text

    atomic_write_text(output, text)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(export)
    app.command()(report)

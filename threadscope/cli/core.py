"""Commands over single pages: export and report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from threadscope.cli import fail
from threadscope.errors import EXIT_USAGE

if TYPE_CHECKING:
    from threadscope.analysis import Analysis
    from threadscope.labels import LabelledThread

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


ExportFormat = Literal["json", "jsonl", "csv", "convokit"]
ReportFormat = Literal["text", "markdown", "html", "json"]
PseudoOpt = Annotated[bool, typer.Option(
    "--pseudonymize", help="Replace author names (and @mentions of them) with salted "
    "hashes, consistent across all the pages of this run.")]
SaltOpt = Annotated[str | None, typer.Option(
    "--salt", help="Secret salt for --pseudonymize (implies it); the same salt gives "
    "the same pseudonyms again (default: a random salt per run).")]
LabelsOpt = Annotated[bool, typer.Option(
    "--labels/--no-labels", help="Tag stance, sarcasm and sentiment (default) or "
    "analyse structure only.")]


def export(
    pages: PagesArg,
    *,
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="json: one document (an array for several threads); "
        "jsonl: one document per line; csv: one row per comment; convokit: a corpus "
        "folder (needs -o).")] = "json",
    output: OutOpt = None,
    site: SiteOpt = None,
    now: NowOpt = None,
    max_size: MaxSizeOpt = 50.0,
    pseudonymize: PseudoOpt = False,
    salt: SaltOpt = None,
    labels: LabelsOpt = True,
) -> None:
    """Export each page's threads with labels and agreement analysis.

    json is the versioned document (see `threadscope schema`) with an `analysis`
    block; jsonl suits corpora; csv opens in spreadsheets and pandas; convokit writes
    a folder that ConvoKit's Corpus(filename=...) loads.

    Example: threadscope export fixtures/001_42a6ee7e45e40515.txt --format csv -o seed001.csv
    """
    from threadscope.api import analysed

    if fmt == "convokit" and output is None:
        raise fail("--format convokit writes a folder: give it with -o PATH", EXIT_USAGE)
    pseudonymize = pseudonymize or salt is not None
    results = analysed(pages, site=site, now=now, max_bytes=int(max_size * 1e6),
                       labels=labels, pseudonymize=pseudonymize, salt=salt)
    if fmt == "convokit":
        from threadscope.analysis import analysis_dict
        from threadscope.export.convokit import write_corpus
        from threadscope.export.document import thread_document

        assert output is not None
        docs = (thread_document(item, analysis_dict(result)) for item, result in results)
        write_corpus(docs, output, pseudonymized=pseudonymize)
        return
    write_text(render_export(results, fmt), output)


def render_export(results: list[tuple[LabelledThread, Analysis]], fmt: str) -> str:
    """Text of a json, jsonl or csv export."""
    if fmt == "csv":
        from threadscope.export.csv import to_csv

        return to_csv([i for i, _ in results], [a for _, a in results])
    from threadscope.analysis import analysis_dict
    from threadscope.export.document import dumps, dumps_many, thread_document

    docs = [thread_document(item, analysis_dict(result)) for item, result in results]
    if fmt == "jsonl":
        from threadscope.export.jsonl import dumps_lines

        return dumps_lines(docs)
    return dumps(docs[0]) if len(docs) == 1 else dumps_many(docs)


def report(
    pages: PagesArg,
    *,
    fmt: Annotated[ReportFormat, typer.Option(
        "--format", "-f", help="text: coloured terminal tree and tables; markdown: the "
        "same for notes; html: one self-contained page; json: the analysis only.")] = "text",
    output: OutOpt = None,
    site: SiteOpt = None,
    now: NowOpt = None,
    max_size: MaxSizeOpt = 50.0,
    pseudonymize: PseudoOpt = False,
    salt: SaltOpt = None,
    labels: LabelsOpt = True,
) -> None:
    """Show each page's comment tree with stance, sarcasm and scores, then its agreement figures.

    Example: threadscope report fixtures/001_42a6ee7e45e40515.txt --format html -o seed001.html
    """
    from threadscope.api import analysed
    from threadscope.report import render

    results = analysed(pages, site=site, now=now, max_bytes=int(max_size * 1e6),
                       labels=labels, pseudonymize=pseudonymize or salt is not None, salt=salt)
    write_text(render(results, fmt, color=output is None), output)


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

"""The ``batch`` command: a corpus run over many pages (see threadscope.corpus)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from threadscope.cli.core import MaxSizeOpt, NowOpt, SiteOpt
from threadscope.errors import EXIT_FAILURES

InputsArg = Annotated[list[str], typer.Argument(
    help="Page files, folders (read recursively) or glob patterns ('pages/**/*.html').",
    show_default=False)]
OutDirOpt = Annotated[Path, typer.Option("--out", help="Output folder; re-running with the "
                                         "same folder resumes, skipping pages already done.")]
JobsOpt = Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes "
                                             "(default: the number of cores).",
                                             show_default=False)]
FormatOpt = Annotated[str, typer.Option("--format", help="jsonl (threads.jsonl) or convokit "
                                        "(a ConvoKit corpus folder).")]
SchedulerOpt = Annotated[str | None, typer.Option(
    "--scheduler", help="Dask scheduler address (tcp://HOST:8786): run the pages on that "
    "cluster; workers must see the input paths.")]
TagOpt = Annotated[bool, typer.Option("--tag/--no-tag", help="Tag stance, sarcasm and "
                                      "sentiment.")]
AnalysisOpt = Annotated[bool, typer.Option("--analysis/--no-analysis", help="Add the "
                                           "agreement analysis to each document (structure "
                                           "figures only with --no-tag).")]


def batch(  # noqa: PLR0917 (typer maps each parameter to an option)
    inputs: InputsArg,
    out: OutDirOpt,
    jobs: JobsOpt = None,
    fmt: FormatOpt = "jsonl",
    site: SiteOpt = None,
    now: NowOpt = None,
    scheduler: SchedulerOpt = None,
    tag: TagOpt = True,
    analysis: AnalysisOpt = True,
    max_size: MaxSizeOpt = 50.0,
) -> None:
    """Process a corpus of pages in parallel into one output folder, resumably.

    Writes OUT/threads.jsonl (or OUT/convokit/), OUT/summary.json (counts and
    agreement figures per site and overall) and OUT/errors.jsonl (each failed page
    with its error). Re-running the same command skips the pages already done, even
    after the run was killed. Exits 1 when any page failed.

    Example: threadscope batch pages/ 'dumps/*.xml' --out corpus-out --jobs 4
    """
    from threadscope.corpus import PageOptions, run_corpus
    from threadscope.corpus.progress import final_line, progress_display

    options = PageOptions(site=site, now=now, tag=tag, analyse=analysis,
                          max_bytes=int(max_size * 1e6))
    with progress_display() as progress:
        stats = run_corpus(inputs, out, options, jobs=jobs, fmt=fmt,  # type: ignore[arg-type]
                           scheduler=scheduler, progress=progress)
    typer.echo(final_line(stats, out))
    if stats.errors_listed:
        raise typer.Exit(EXIT_FAILURES)


def register(app: typer.Typer) -> None:
    """Add the batch command to the app."""
    app.command(name="batch")(batch)

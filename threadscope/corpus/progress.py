"""Progress of a corpus run: a rich bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from threadscope.corpus.runner import Progress, RunStats

PLAIN_INTERVAL = 10.0
"""Seconds between plain progress lines (logs stay short on long runs)."""


@contextmanager
def progress_display(stream: IO[str] | None = None) -> Iterator[Progress]:
    """A progress callback: a live rich bar when ``stream`` is a terminal, else lines."""
    out = stream or sys.stdout
    if out.isatty():
        with _rich_bar(out) as update:
            yield update
    else:
        yield PlainLines(out)


@contextmanager
def _rich_bar(out: IO[str]) -> Iterator[Progress]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("pages"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[comments]:,} comments"),
        TextColumn("[red]{task.fields[failed]} errors"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(), TextColumn("elapsed,"), TimeRemainingColumn(), TextColumn("left"),
        console=Console(file=out), transient=False,
    )
    task = bar.add_task("batch", total=None, comments=0, failed=0, rate="")
    started = time.monotonic()

    def update(stats: RunStats) -> None:
        bar.update(task, total=stats.total, completed=stats.finished, comments=stats.comments,
                   failed=stats.failed, rate=_rate(stats, time.monotonic() - started))

    with bar:
        yield update


class PlainLines:
    """Progress as a plain line every PLAIN_INTERVAL seconds and at the end."""

    def __init__(self, out: IO[str], interval: float = PLAIN_INTERVAL) -> None:
        self.out = out
        self.interval = interval
        self.started = time.monotonic()
        self.last = self.started

    def __call__(self, stats: RunStats) -> None:
        """Print a line when the interval has passed or the run is complete."""
        now = time.monotonic()
        if now - self.last < self.interval and stats.finished < stats.total:
            return
        self.last = now
        print(progress_line(stats, now - self.started), file=self.out, flush=True)


def progress_line(stats: RunStats, elapsed: float) -> str:
    """One line of counts, rate and time left."""
    left = _time_left(stats, elapsed)
    return (f"pages {stats.finished}/{stats.total}, {stats.comments:,} comments, "
            f"{stats.failed} errors, {_rate(stats, elapsed)}"
            + (f", {left} left" if left else ""))


def _rate(stats: RunStats, elapsed: float) -> str:
    if elapsed <= 0 or not stats.processed:
        return "- pages/s"
    return f"{stats.processed / elapsed:.1f} pages/s"


def _time_left(stats: RunStats, elapsed: float) -> str:
    if not stats.processed or stats.finished >= stats.total:
        return ""
    seconds = (stats.total - stats.finished) * elapsed / stats.processed
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def final_line(stats: RunStats, out_dir: Any) -> str:
    """The closing counts of a run."""
    return (f"done: {stats.total} pages ({stats.processed} processed, {stats.skipped} "
            f"already done, {stats.duplicates} duplicate), {stats.threads} threads and "
            f"{stats.comments:,} comments written, {stats.errors_listed} failed"
            + (f" (listed in {out_dir}/errors.jsonl)" if stats.errors_listed else ""))

"""A corpus run: discover pages, skip the done ones, process the rest, build the outputs.

The run streams: pages are dispatched lazily, results are written as they arrive, and
the final outputs are rebuilt from the per-page files page by page. What it holds per
input is its path and content hash (to process repeated content once), about 300 bytes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from threadscope.corpus.executors import DaskCluster, Executor, ProcessPool, Task, inline
from threadscope.corpus.inputs import content_key, discover
from threadscope.corpus.page import PageError, PageOptions, PageResult
from threadscope.corpus.store import (
    CONVOKIT_DIR,
    SUMMARY_FILE,
    THREADS_FILE,
    CorpusStore,
    atomic_stream,
)
from threadscope.corpus.summary import SummaryBuilder
from threadscope.errors import InputError, ModelError
from threadscope.fileio import atomic_write_text

Format = Literal["jsonl", "convokit"]
FORMATS: tuple[Format, ...] = ("jsonl", "convokit")


@dataclass(slots=True)
class RunStats:
    """Counts of a run, updated as pages finish (what the progress display shows).

    Attributes:
        total: Pages named by the inputs.
        processed: Pages processed by this run (succeeded or failed).
        skipped: Pages already done by an earlier run.
        duplicates: Inputs whose content repeats an earlier input's.
        failed: Pages that failed in this run (duplicates of them not counted).
        threads: Thread documents produced by this run.
        comments: Comments in them.
    """

    total: int = 0
    processed: int = 0
    skipped: int = 0
    duplicates: int = 0
    failed: int = 0
    threads: int = 0
    comments: int = 0
    errors_listed: int = 0
    outputs: list[Path] = field(default_factory=list)

    @property
    def finished(self) -> int:
        """Pages accounted for so far (processed, skipped or duplicate)."""
        return self.processed + self.skipped + self.duplicates


Progress = Callable[[RunStats], None]


def run_corpus(
    inputs: Iterable[str | Path],
    out: Path,
    options: PageOptions | None = None,
    *,
    jobs: int | None = None,
    fmt: Format = "jsonl",
    scheduler: Any = None,
    progress: Progress | None = None,
) -> RunStats:
    """Process every page named by the inputs into ``out``; resumable and streaming.

    Args:
        inputs: Files, folders (walked recursively) and glob patterns.
        out: The output folder (see threadscope.corpus.store for its layout).
        options: How each page is processed.
        jobs: Worker processes (default: the number of cores; 1 runs in this process).
        fmt: ``jsonl`` (threads.jsonl) or ``convokit`` (a ConvoKit corpus folder).
        scheduler: A Dask scheduler address or ``distributed.Client``: run the pages on
            that cluster instead of local processes.
        progress: Called with the running counts after each page.

    Returns:
        The run's counts; ``failed`` > 0 means errors.jsonl lists failed pages.
    """
    options = options or PageOptions()
    check_available(options, fmt)
    paths = list(discover(inputs, exclude=out))
    if not paths:
        raise InputError("no input pages found")
    executor = _executor(jobs, scheduler)
    store = CorpusStore(out, options)
    stats = RunStats(total=len(paths))
    order: dict[str, None] = {}
    try:
        tasks = _pending(paths, store, stats, order, progress)
        for key, result in executor(tasks, options):
            _record(store, key, result, stats)
            if progress:
                progress(stats)
        stats.errors_listed = store.write_errors()
    finally:
        store.close()
    _finish(store, order, fmt, stats)
    return stats


def dask_run(
    inputs: Iterable[str | Path],
    out: Path,
    options: PageOptions | None = None,
    *,
    scheduler: Any = None,
    fmt: Format = "jsonl",
    progress: Progress | None = None,
) -> RunStats:
    """The corpus run on a Dask cluster; outputs equal those of a local run.

    ``scheduler`` is an address (``"tcp://10.0.0.5:8786"``), a ``distributed.Client``,
    or None for the client already active in this process.
    """
    return run_corpus(inputs, out, options, fmt=fmt, progress=progress,
                      scheduler=scheduler if scheduler is not None else _current_client())


def _current_client() -> Any:
    from distributed import get_client

    try:
        return get_client()
    except ValueError as exc:
        raise InputError("no Dask client is active: pass scheduler=ADDRESS") from exc


def _executor(jobs: int | None, scheduler: Any) -> Executor:
    if scheduler is not None:
        return DaskCluster(scheduler)
    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {jobs}")
    count = jobs or os.cpu_count() or 1
    return inline if count == 1 else ProcessPool(count)


def check_available(options: PageOptions, fmt: str) -> None:
    """Fail before any work when an option needs a part this installation lacks."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    needs = []
    if options.tag:
        needs.append(("threadscope.classify", "tag_thread", "--no-tag"))
    if options.analyse:
        needs.append(("threadscope.analysis", "analysis_dict", "--no-analysis"))
    if fmt == "convokit":
        needs.append(("threadscope.export.convokit", "write_corpus", "--format jsonl"))
    for module, name, instead in needs:
        if not _has(module, name):
            raise ModelError(f"{module}.{name} is not available in this installation "
                             f"(run with {instead})")
    if options.tag:
        _probe_models()


def _probe_models() -> None:
    """Tag a one-comment thread: missing or broken models stop the run at once (exit 4).

    Otherwise every page would fail alike, one error line each.
    """
    from threadscope.api import tag
    from threadscope.model import Article, Comment, Thread

    tag(Thread(Article(title="probe"), (Comment("c1", None, 1, text="I agree."),)))


def _has(module: str, name: str) -> bool:
    import importlib

    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


def _pending(paths: list[str], store: CorpusStore, stats: RunStats,
             order: dict[str, None], progress: Progress | None) -> Iterator[Task]:
    """The pages still to do, in input order; done pages and repeats are counted only."""
    for path in paths:
        key = content_key(path)
        if key is not None and key in order:
            store.record_duplicate(path, key)
            stats.duplicates += 1
        elif key is not None:
            order[key] = None
            if store.is_done(key):
                stats.skipped += 1
            else:
                yield path, key
                continue
        else:
            yield path, key
            continue
        if progress:
            progress(stats)


def _record(store: CorpusStore, key: str | None, result: PageResult, stats: RunStats) -> None:
    stats.processed += 1
    if result.error is not None or key is None:
        # no key but a result: the worker read a file we could not, it changed under us
        error = result.error or PageError(result.path, "InputError",
                                          "the file changed while the run read it")
        store.record_error(error, key)
        stats.failed += 1
        return
    store.write_page(key, result.lines)
    stats.threads += len(result.lines)
    stats.comments += result.comments


def _finish(store: CorpusStore, order: dict[str, None], fmt: Format, stats: RunStats) -> None:
    """Rebuild threads.jsonl (or the ConvoKit folder) and summary.json from the pages."""
    summary = SummaryBuilder()
    if fmt == "convokit":
        from threadscope.export.convokit import write_corpus

        target = store.out / CONVOKIT_DIR
        write_corpus(_documents(store, order, summary), target)
    else:
        target = store.out / THREADS_FILE
        with atomic_stream(target) as handle:
            for key in order:
                if store.is_done(key):
                    lines = list(store.page_lines(key))
                    handle.writelines(f"{line}\n" for line in lines)
                    summary.add_page([_summary_doc(line) for line in lines])
    figures = summary.result(stats.errors_listed, stats.duplicates)
    atomic_write_text(store.out / SUMMARY_FILE, json.dumps(figures, indent=2) + "\n")
    stats.outputs = [target, store.out / "errors.jsonl", store.out / SUMMARY_FILE]


def _summary_doc(line: str) -> dict[str, Any]:
    """A stored document read for the summary (orjson: about 3x json.loads, serial work of
    the parent after the parallel part; its one difference, integers beyond 64 bits read
    as floats, touches no counted figure)."""
    import orjson

    doc: dict[str, Any] = orjson.loads(line)
    return doc


def _documents(store: CorpusStore, order: dict[str, None],
               summary: SummaryBuilder) -> Iterator[dict[str, Any]]:
    """Every stored document in input order, counted into the summary on the way."""
    for key in order:
        if store.is_done(key):
            docs = [json.loads(line) for line in store.page_lines(key)]
            summary.add_page(docs)
            yield from docs

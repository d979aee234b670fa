"""Corpus runs: many pages processed in parallel, streaming, resumable, locally or on Dask.

Public API:
    process_page(path, options) -> PageResult: the per-page function (picklable, top level).
    process_pages(paths, options) -> list[PageResult]: the same for many pages, small
        ones tagged together (what corpus workers run; same results, less time).
    run_corpus(inputs, out, options, jobs=, fmt=, scheduler=): a whole run.
    dask_run(inputs, out, options, scheduler=): the same run on a Dask cluster.
    page_bag(paths, options): the pages as a ``dask.bag.Bag`` of PageResult.
"""

from __future__ import annotations

from threadscope.corpus.executors import page_bag
from threadscope.corpus.page import (
    PageError,
    PageOptions,
    PageResult,
    process_page,
    process_pages,
)
from threadscope.corpus.runner import RunStats, dask_run, run_corpus

__all__ = [
    "PageError",
    "PageOptions",
    "PageResult",
    "RunStats",
    "dask_run",
    "page_bag",
    "process_page",
    "process_pages",
    "run_corpus",
]

"""Where pages are processed: in this process, in a process pool, or on a Dask cluster.

Every executor takes ``(path, key)`` tasks and yields ``(key, PageResult)`` as pages
finish, in any order; the writer does not care about order, so the outputs do not
either. The local pool keeps a bounded number of pages in flight, so memory stays
flat however many pages there are.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol

from threadscope.corpus.page import PageOptions, PageResult, process_page

Task = tuple[str, str | None]
"""A page to process: its path and its content hash (None when unreadable)."""

IN_FLIGHT_PER_JOB = 4
"""Pages queued per worker: enough to keep workers busy, few enough to bound memory."""

DASK_PARTITION_SIZE = 16
"""Pages per Dask task: amortises scheduling overhead (about 1 ms a task) over pages."""


class Executor(Protocol):
    """Runs process_page over tasks, yielding results as they finish."""

    def __call__(self, tasks: Iterable[Task], options: PageOptions
                 ) -> Iterator[tuple[str | None, PageResult]]:
        """Process every task."""
        ...


def inline(tasks: Iterable[Task], options: PageOptions
           ) -> Iterator[tuple[str | None, PageResult]]:
    """One process: pages one after another in this process (``--jobs 1``)."""
    for path, key in tasks:
        yield key, process_page(path, options)


class ProcessPool:
    """A pool of worker processes with a bounded window of pages in flight."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def __call__(self, tasks: Iterable[Task], options: PageOptions
                 ) -> Iterator[tuple[str | None, PageResult]]:
        """Process every task on the pool, yielding results as they finish."""
        window = self.jobs * IN_FLIGHT_PER_JOB
        pending: dict[Future[PageResult], str | None] = {}
        with ProcessPoolExecutor(self.jobs, mp_context=_context()) as pool:
            try:
                for path, key in tasks:
                    if len(pending) >= window:
                        yield from _collect(pending)
                    pending[pool.submit(process_page, path, options)] = key
                while pending:
                    yield from _collect(pending)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise


def _collect(pending: dict[Future[PageResult], str | None]
             ) -> Iterator[tuple[str | None, PageResult]]:
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in done:
        yield pending.pop(future), future.result()


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: the parent runs a progress thread, and forking a threaded process can
    # deadlock; the server preloads the pipeline once so each worker starts warm
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["threadscope.corpus.page", "threadscope.api"])
        return ctx
    return multiprocessing.get_context("spawn")


class DaskCluster:
    """Pages sent to a Dask cluster through ``dask.bag``, gathered as partitions finish.

    Workers read the input paths themselves, so they need the same files at the same
    paths (a shared filesystem); the results travel back and are written here.
    """

    def __init__(self, scheduler: Any = None, partition_size: int = DASK_PARTITION_SIZE
                 ) -> None:
        self.scheduler = scheduler
        self.partition_size = partition_size

    def __call__(self, tasks: Iterable[Task], options: PageOptions
                 ) -> Iterator[tuple[str | None, PageResult]]:
        """Process every task on the cluster, yielding results as partitions finish."""
        from distributed import as_completed

        keys = dict(tasks)
        if not keys:
            return
        client, owned = _client(self.scheduler)
        try:
            bag = page_bag(list(keys), options, self.partition_size)
            for future in as_completed(client.compute(bag.to_delayed())):  # type: ignore[no-untyped-call]
                for result in future.result():
                    yield keys[result.path], result
                future.release()
        finally:
            if owned:
                client.close()


def page_bag(paths: list[str], options: PageOptions,
             partition_size: int = DASK_PARTITION_SIZE) -> Any:
    """A ``dask.bag.Bag`` of PageResult, one per path: the corpus run's work as a bag.

    Compose it with any dask computation, e.g.
    ``page_bag(paths, PageOptions()).filter(lambda r: r.ok).count().compute()``.
    """
    import dask.bag as db

    bag = db.from_sequence(paths, partition_size=partition_size)  # type: ignore[no-untyped-call]
    return bag.map(process_page, options)


def _client(scheduler: Any) -> tuple[Any, bool]:
    """A distributed client: the one given, one for an address, or the current one."""
    from distributed import Client, get_client

    if scheduler is None:
        return get_client(), False
    if isinstance(scheduler, str):
        return Client(scheduler), True  # type: ignore[no-untyped-call]
    return scheduler, False

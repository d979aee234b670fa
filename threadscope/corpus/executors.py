"""Where pages are processed: in this process, in a process pool, or on a Dask cluster.

Every executor takes ``(path, key)`` tasks and yields ``(key, PageResult)`` as pages
finish, in any order; the writer does not care about order, so the outputs do not
either. Small pages travel in batches (``batches``), which ``process_pages`` tags
together; a page's result does not depend on its batch. The local pool keeps a
bounded number of batches in flight, so memory stays flat however many pages there are.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from threadscope.corpus.page import (
    PageError,
    PageOptions,
    PageResult,
    process_page,
    process_pages,
)

Task = tuple[str, str | None]
"""A page to process: its path and its content hash (None when unreadable)."""

BatchFunction = Callable[[Sequence[str], PageOptions], list[PageResult]]
"""process_pages, or a stand-in with its signature (a top-level function: it is pickled)."""

IN_FLIGHT_PER_JOB = 4
"""Batches queued per worker: enough to keep workers busy, few enough to bound memory."""

BATCH_BYTES = 256 * 1024
"""Input bytes sent to a worker in one call: small pages travel together (and are tagged
together), a page this size or larger travels alone."""
BATCH_PAGES = 32
"""Most pages in one batch, so results keep arriving steadily."""

PRELOAD = ("threadscope.corpus.page", "threadscope.api", "threadscope.export.document")
"""Modules the fork server imports once for every worker."""
TAG_PRELOAD = ("threadscope.classify",)
"""Also preloaded when tagging (sklearn and the model code)."""

DASK_PARTITION_SIZE = 16
"""Pages per Dask task: amortises scheduling overhead (about 1 ms a task) over pages."""


class Executor(Protocol):
    """Runs the pipeline over tasks (process_pages on batches), yielding results as they
    finish."""

    def __call__(self, tasks: Iterable[Task], options: PageOptions
                 ) -> Iterator[tuple[str | None, PageResult]]:
        """Process every task."""
        ...


def batches(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    """Consecutive tasks in batches of at most BATCH_BYTES of input and BATCH_PAGES pages
    (a larger page alone)."""
    batch: list[Task] = []
    size = 0
    for task in tasks:
        task_size = _size(task[0])
        if batch and (size + task_size > BATCH_BYTES or len(batch) >= BATCH_PAGES):
            yield batch
            batch, size = [], 0
        batch.append(task)
        size += task_size
    if batch:
        yield batch


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # the page fails when read; it costs nothing to batch
        return 0


def inline(tasks: Iterable[Task], options: PageOptions
           ) -> Iterator[tuple[str | None, PageResult]]:
    """One process: batches one after another in this process (``--jobs 1``)."""
    for batch in batches(tasks):
        results = process_pages([path for path, _ in batch], options)
        for (_, key), result in zip(batch, results, strict=True):
            yield key, result


class ProcessPool:
    """A pool of worker processes with a bounded window of batches in flight.

    A worker that dies (killed for memory, a crash in a native library) breaks the
    whole pool; the pages then in flight are retried one by one, each in a fresh
    one-worker pool, so only the page that kills its worker is recorded as failed
    (``WorkerCrashed``), and the run goes on with a new pool.
    """

    def __init__(self, jobs: int, work: BatchFunction = process_pages) -> None:
        self.jobs = jobs
        self.work = work

    def __call__(self, tasks: Iterable[Task], options: PageOptions
                 ) -> Iterator[tuple[str | None, PageResult]]:
        """Process every task on the pool, yielding results as they finish."""
        remaining = iter(tasks)
        while True:
            survivors = yield from self._until_broken(remaining, options)
            if survivors is None:
                return
            for path, key in survivors:
                yield key, self._isolated(path, options)

    def _until_broken(self, tasks: Iterator[Task], options: PageOptions
                      ) -> Generator[tuple[str | None, PageResult], None, list[Task] | None]:
        """Run tasks on one pool; the tasks in flight when it broke, or None when done."""
        window = self.jobs * IN_FLIGHT_PER_JOB
        pending: dict[Future[list[PageResult]], list[Task]] = {}
        with ProcessPoolExecutor(self.jobs, mp_context=_context(options),
                                 initializer=one_blas_thread) as pool:
            try:
                for batch in batches(tasks):
                    if len(pending) >= window:
                        yield from _collect(pending)
                    try:
                        future = pool.submit(self.work, [path for path, _ in batch], options)
                    except BrokenProcessPool:
                        return [*_flat(pending.values()), *batch]
                    pending[future] = batch
                while pending:
                    yield from _collect(pending)
            except BrokenProcessPool:
                return _flat(pending.values())
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        return None

    def _isolated(self, path: str, options: PageOptions) -> PageResult:
        with ProcessPoolExecutor(1, mp_context=_context(options),
                                 initializer=one_blas_thread) as pool:
            try:
                return pool.submit(self.work, [path], options).result()[0]
            except BrokenProcessPool:
                return PageResult(path, error=PageError(
                    path, "WorkerCrashed", "the worker process died on this page (out of "
                    "memory, or a crash in a native library)"))


def one_blas_thread() -> None:
    """Worker initializer: numpy's BLAS on one thread.

    The pool already runs one worker per core; BLAS threads on top only compete with
    the other workers (OpenBLAS threads spin while waiting for work). numpy is imported
    first: threadpoolctl limits only the libraries already loaded.
    """
    import numpy  # noqa: F401
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    threadpool_limits(limits=1, user_api="blas")


def _collect(pending: dict[Future[list[PageResult]], list[Task]]
             ) -> Iterator[tuple[str | None, PageResult]]:
    """Yield finished pages; a batch whose worker died stays pending (to be retried)."""
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in done:
        results = future.result()
        batch = pending.pop(future)
        for (_, key), result in zip(batch, results, strict=True):
            yield key, result


def _flat(batches: Iterable[list[Task]]) -> list[Task]:
    return [task for batch in batches for task in batch]


def _context(options: PageOptions) -> multiprocessing.context.BaseContext:
    # forkserver: the parent runs a progress thread, and forking a threaded process can
    # deadlock; the server imports the pipeline once (the classifiers' sklearn takes about
    # a second) and every worker forked from it starts warm
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([*PRELOAD, *(TAG_PRELOAD if options.tag else ()),
                                    *(("threadscope.analysis",) if options.analyse else ())])
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
        paths = list(keys)
        size = self.partition_size
        client, owned = _client(self.scheduler)
        try:
            futures = client.compute(page_bag(paths, options, size).to_delayed())
            # from_sequence cuts the paths into consecutive runs of partition_size
            chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
            part = {f.key: c for f, c in zip(futures, chunks, strict=True)}
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                try:
                    results = future.result()
                except Exception:  # a worker died on the partition (KilledWorker): isolate
                    results = [_one_on_cluster(client, p, options) for p in part[future.key]]
                for result in results:
                    yield keys[result.path], result
                future.release()
        finally:
            if owned:
                client.close()


def _one_on_cluster(client: Any, path: str, options: PageOptions) -> PageResult:
    """One page as its own task: the page whose worker dies is recorded, not fatal."""
    try:
        result: PageResult = client.submit(process_page, path, options, pure=False).result()
    except Exception as exc:
        return PageResult(path, error=PageError(
            path, "WorkerCrashed", f"the Dask worker died on this page ({type(exc).__name__})"))
    return result


def page_bag(paths: list[str], options: PageOptions,
             partition_size: int = DASK_PARTITION_SIZE) -> Any:
    """A ``dask.bag.Bag`` of PageResult, one per path: the corpus run's work as a bag.

    Compose it with any dask computation, e.g.
    ``page_bag(paths, PageOptions()).filter(lambda r: r.ok).count().compute()``.
    """
    import dask.bag as db

    bag = db.from_sequence(paths, partition_size=partition_size)  # type: ignore[no-untyped-call]
    return bag.map_partitions(process_pages, options)


def _client(scheduler: Any) -> tuple[Any, bool]:
    """A distributed client: the one given, one for an address, or the current one."""
    from distributed import Client, get_client

    if scheduler is None:
        return get_client(), False
    if isinstance(scheduler, str):
        return Client(scheduler), True  # type: ignore[no-untyped-call]
    return scheduler, False

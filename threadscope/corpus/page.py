"""The per-page functions of a corpus run: input files in, their documents or errors out.

``process_page`` (one page) and ``process_pages`` (a batch, small pages tagged together,
the same results) are plain top-level functions of picklable arguments, so the same
call runs in-process, in a ``ProcessPoolExecutor`` worker and on a Dask worker.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from threadscope.document import DEFAULT_MAX_BYTES, Document
from threadscope.errors import InputError, ThreadscopeError

if TYPE_CHECKING:
    from threadscope.labels import LabelledThread
    from threadscope.model import Thread

_T = TypeVar("_T")

MESSAGE_LIMIT = 300
"""Longest error message kept in errors.jsonl (one line, for reading and grepping)."""


@dataclass(frozen=True, slots=True)
class PageOptions:
    """How every page of a run is processed; part of the run's identity for resuming.

    Attributes:
        site: Parse every page as this site family instead of detecting it.
        now: Reference time for relative dates; None uses each page's own date.
        tag: Tag stance, sarcasm and sentiment (threadscope.api.tag).
        analyse: Add the agreement analysis to each document (without ``tag``, only
            its structure figures).
        max_bytes: Largest input read.
    """

    site: str | None = None
    now: datetime | None = None
    tag: bool = True
    analyse: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES

    def identity(self) -> dict[str, Any]:
        """The options as JSON-ready values (what a resumed run must match)."""
        return {
            "site": self.site,
            "now": self.now.isoformat() if self.now else None,
            "tag": self.tag,
            "analyse": self.analyse,
            "max_bytes": self.max_bytes,
            "models": _model_hashes() if self.tag else None,
        }


def _model_hashes() -> dict[str, str]:
    """sha256 of each shipped model file, so a run resumed after retraining is refused
    instead of mixing labels from two models (read from the small .json files)."""
    from threadscope.classify.modelio import DEFAULT_DIR, read_meta

    return {name: str(read_meta(DEFAULT_DIR, name).get("sha256"))
            for name in ("stance", "sarcasm")}


@dataclass(frozen=True, slots=True)
class PageError:
    """Why a page failed: its path, the error class and a one-line message."""

    path: str
    error: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """The record written to errors.jsonl."""
        return {"path": self.path, "error": self.error, "message": self.message}


@dataclass(frozen=True, slots=True)
class PageResult:
    """The outcome of one page: its documents as JSON lines, or an error.

    Attributes:
        path: The input path as given.
        lines: One compact JSON document per thread, each without a newline.
        comments: Comments over all the page's threads.
        site: The site family that parsed it (None on failure).
        error: Why the page failed; None when it succeeded.
    """

    path: str
    lines: tuple[str, ...] = ()
    comments: int = 0
    site: str | None = None
    error: PageError | None = None

    @property
    def ok(self) -> bool:
        """True when the page produced its documents."""
        return self.error is None


def process_page(path: str, options: PageOptions) -> PageResult:
    """Read, parse, tag, analyse and serialise one page; never raises for a bad page.

    Args:
        path: The input file (a page or a multi-thread dump).
        options: How to process it.

    Returns:
        The page's documents (one JSON line per thread), or its error record.
    """
    return process_pages([path], options)[0]


GROUP_COMMENTS = 512
"""Comments of consecutive pages tagged together by process_pages (tagging's CHUNK):
enough for numpy's per-call costs to vanish, few enough to hold in memory."""


def process_pages(paths: Sequence[str], options: PageOptions) -> list[PageResult]:
    """``process_page`` of each path, in order; the comments of small pages are tagged
    together, which costs less than page by page.

    Each result equals the page's own ``process_page`` (tags do not depend on the
    batch), and a bad page fails alone: reading, parsing, analysis and export are
    guarded page by page, and a tagging failure is retried page by page. Pages are
    read one at a time and tagged once GROUP_COMMENTS comments have gathered, so
    memory holds one group, whatever the number of paths.
    """
    results: list[PageResult] = []
    group: list[tuple[str, list[Thread]]] = []
    comments = 0
    with _collector_paused():
        for path in paths:
            loaded = _guarded(path, partial(_loaded, path, options))
            if isinstance(loaded, PageResult):  # results stay in the order of paths
                results += _finished(group, options)
                results.append(loaded)
                group, comments = [], 0
                continue
            group.append((path, loaded))
            comments += sum(len(t) for t in loaded)
            if comments >= GROUP_COMMENTS:
                results += _finished(group, options)
                group, comments = [], 0
        results += _finished(group, options)
    return results


def _guarded(path: str, work: Callable[[], _T]) -> _T | PageResult:
    """work(), or the page's error record when it raises."""
    try:
        return work()
    except ThreadscopeError as exc:
        return PageResult(path, error=_error(path, type(exc).__name__, exc.message))
    except Exception as exc:  # a bug on one page must fail that page, not the corpus
        return PageResult(path, error=_error(path, type(exc).__name__, str(exc)))


def _loaded(path: str, options: PageOptions) -> list[Thread]:
    """The page's threads; InputError when it holds none, or no comment at all."""
    threads = _load(path, options)
    if not threads:
        raise InputError("no thread found in the file", path)
    if not any(t.comments for t in threads) and not _declares_none(threads):
        # in a corpus, a page where nothing was found is far more often a truncated or
        # unrecognised page than a real empty thread: list it so it can be checked
        raise InputError("no comments found in the page", path)
    return threads


def _finished(group: list[tuple[str, list[Thread]]], options: PageOptions
              ) -> list[PageResult]:
    """The results of loaded pages: tagged together, then analysed and written each."""
    try:
        tagged = _labelled([t for _, page in group for t in page], options)
    except Exception:  # one page broke the tagger: tag page by page, so it fails alone
        return [_result(path, page, options) for path, page in group]
    results = []
    start = 0
    for path, page in group:
        results.append(_result(path, page, options, tagged[start:start + len(page)]))
        start += len(page)
    return results


def _result(path: str, threads: list[Thread], options: PageOptions,
            labelled: list[LabelledThread] | None = None) -> PageResult:
    """One loaded page's documents (tagging it here unless given), or its error."""
    def work() -> PageResult:
        tagged = _labelled(threads, options) if labelled is None else labelled
        lines = tuple(json_line(_document(t, options)) for t in tagged)
        site = threads[0].source.site if threads[0].source else None
        return PageResult(path, lines, sum(len(t) for t in threads), site)

    return _guarded(path, work)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a batch of pages is processed.

    A page builds tens of thousands of small acyclic objects (JSON, tree, labels),
    all freed by reference counting; yet every allocation burst makes the collector
    walk the whole heap (models included) again, which made a 10,000-comment page
    cost 14-17x a 1,000-comment one. Pages make no cyclic garbage (measured:
    ``gc.collect()`` after a tagged 10,000-comment page finds 0 objects), and the
    collector runs as usual between batches.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(path: str, options: PageOptions) -> list[Thread]:
    """The page's threads; its Document is released on return, before tagging.

    The Document caches the raw bytes, the decoded text, the parsed JSON and the lxml
    tree: several times the file's size, none of it needed once the threads exist.
    """
    from threadscope.api import load_document

    return load_document(Document.read(path, options.max_bytes), site=options.site,
                         now=options.now)


def _declares_none(threads: list[Thread]) -> bool:
    return any(t.article.declared_comment_count == 0 for t in threads)


def page_document(thread: Thread, options: PageOptions) -> dict[str, Any]:
    """The export document of one thread, tagged and analysed as the options say.

    Without tagging, the analysis still gives the structure figures (shape, chains of
    replies, votes); the stance figures are then empty.
    """
    return _document(_labelled([thread], options)[0], options)


def _labelled(threads: list[Thread], options: PageOptions) -> list[LabelledThread]:
    """The threads tagged together when the options say so, else with no labels."""
    from threadscope.labels import LabelledThread

    if not options.tag:
        return [LabelledThread(t, {}) for t in threads]
    from threadscope.api import tag_threads  # run_corpus checks the classifiers first

    return tag_threads(threads)


def _document(labelled: LabelledThread, options: PageOptions) -> dict[str, Any]:
    from threadscope.export.document import thread_document

    if not options.analyse:
        return thread_document(labelled if options.tag else labelled.thread)
    from threadscope.analysis import analyse, analysis_dict

    return thread_document(labelled, analysis_dict(analyse(labelled)))


def json_line(doc: dict[str, Any]) -> str:
    """A document as one deterministic compact JSON line (no line break inside)."""
    from threadscope.export.jsonl import dumps_compact

    return dumps_compact(doc)


def _error(path: str, error: str, message: str) -> PageError:
    text = " ".join(message.split()) or "(no message)"
    if text.startswith(f"{path}: "):
        text = text[len(path) + 2:]
    if len(text) > MESSAGE_LIMIT:
        text = text[: MESSAGE_LIMIT - 1] + "…"
    return PageError(path, error, text)

"""The public Python API: load pages into threads, tag them, export documents.

The CLI is a thin layer over these functions.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threadscope.document import DEFAULT_MAX_BYTES, Document
from threadscope.errors import InputError, ThreadscopeError
from threadscope.labels import LabelledThread
from threadscope.model import Source, Thread

if TYPE_CHECKING:
    from collections.abc import Sequence

    from threadscope.analysis import Analysis


def load_document(
    doc: Document, *, site: str | None = None, now: datetime | None = None
) -> list[Thread]:
    """Parse an already-read document into its threads, each with its source set.

    Raises InputError naming the file when the page cannot be parsed.
    """
    from threadscope.quotes import resolve_quotes
    from threadscope.sites import ParseContext, parse_document

    try:
        family, threads = parse_document(doc, site, ParseContext(now=now))
        threads = [resolve_quotes(t) for t in threads]
    except ThreadscopeError as exc:
        exc.path = exc.path or doc.path
        raise
    except RecursionError as exc:
        raise InputError("page nests too deeply to parse", doc.path) from exc
    except Exception as exc:  # a parser bug must still name the file, not print a traceback
        raise InputError(f"parser failed ({type(exc).__name__}: {exc})", doc.path) from exc
    fmt = family.formats[0] if len(family.formats) == 1 else _format_of(doc)
    return [_with_source(t, doc, family.name, fmt) for t in threads]


def load(
    path: str | Path,
    *,
    site: str | None = None,
    now: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Thread]:
    """Read a page or dump and rebuild its comment threads (one per article)."""
    return load_document(Document.read(path, max_bytes), site=site, now=now)


def load_one(path: str | Path, **kwargs: Any) -> Thread:
    """Read a page holding one thread; InputError when it holds none."""
    threads = load(path, **kwargs)
    if not threads:
        raise InputError("no thread found in the file", str(path))
    return threads[0]


def _format_of(doc: Document) -> str:
    if doc.looks_like_json:
        return "json"
    if doc.looks_like_xml:
        return "xml"
    return "html" if doc.looks_like_html else "text"


def _with_source(thread: Thread, doc: Document, site: str, fmt: str) -> Thread:
    key = thread.source.thread_key if thread.source else None
    source = Source(path=doc.path, sha256=doc.sha256, format=fmt, site=site, thread_key=key)
    return replace(thread, source=source)


def tag(thread: Thread) -> LabelledThread:
    """Label a thread with stance, sarcasm and sentiment (threadscope.classify).

    Until a classifier package is installed in this tree the thread comes back with
    no labels, so structure-only figures still work.
    """
    return tag_threads([thread])[0]


def tag_threads(threads: Sequence[Thread]) -> list[LabelledThread]:
    """``tag`` of each thread, their comments scored together (faster for many small
    threads; every label equals the thread's own ``tag``)."""
    import importlib

    try:
        module = importlib.import_module("threadscope.classify")
    except ModuleNotFoundError as exc:
        if exc.name != "threadscope.classify":
            raise
        return [LabelledThread(thread=t, labels={}) for t in threads]
    tag_all = getattr(module, "tag_threads", None)
    if tag_all is None:
        return [LabelledThread(thread=t, labels={}) for t in threads]
    labelled: list[LabelledThread] = tag_all(threads)
    return labelled


def analyse(labelled: LabelledThread, **kwargs: Any) -> Analysis:
    """Every agreement figure of a labelled thread (see threadscope.analysis.analyse)."""
    from threadscope.analysis import analyse as run

    return run(labelled, **kwargs)


def analysed(
    paths: Sequence[str | Path],
    *,
    site: str | None = None,
    now: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    labels: bool = True,
    pseudonymize: bool = False,
    salt: str | None = None,
) -> list[tuple[LabelledThread, Analysis]]:
    """Load, tag, optionally pseudonymise (one salt for all) and analyse every thread."""
    threads = [t for path in paths for t in load(path, site=site, now=now, max_bytes=max_bytes)]
    items = (tag_threads(threads) if labels
             else [LabelledThread(thread=t, labels={}) for t in threads])
    if pseudonymize:
        from threadscope.export.pseudonym import pseudonymize_all

        items = pseudonymize_all(items, salt)
    return [(item, analyse(item)) for item in items]


def documents(path: str | Path, **kwargs: Any) -> list[dict[str, Any]]:
    """Export documents (with their ``analysis`` block) of every thread in one file.

    Keyword arguments are those of ``analysed``.
    """
    from threadscope.analysis import analysis_dict
    from threadscope.export.document import thread_document

    return [thread_document(item, analysis_dict(result))
            for item, result in analysed([path], **kwargs)]

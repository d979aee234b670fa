"""Coverage-guided fuzzing of the parse entry point with atheris (libFuzzer for Python).

Every input is read as a page: Document checks, decoding, the lazy HTML/JSON parses,
detection over every registered family, then the detected family's parse() called
directly (so api.load_document's catch-all cannot hide a bug) and the export of each
thread validated against the shipped JSON Schema. Anything but a ThreadscopeError, or a
thread that breaks the schema, is a crash that libFuzzer saves as ``crash-<sha1>``.

Run (seed corpus in a temporary folder, never committed)::

    pip install -e '.[fuzz]'
    python fuzz/make_corpus.py /tmp/ts-corpus            # seeds + ../shared/threads
    python fuzz/fuzz_parse.py /tmp/ts-corpus -runs=100000 -max_len=4096 -dict=fuzz/markup.dict \\
        -timeout=30 -rss_limit_mb=2048 -artifact_prefix=/tmp/ts-crash-

Crashing inputs go to ``fixtures/regressions/`` with a test in tests/test_regressions.py.
"""

from __future__ import annotations

import contextlib
import sys

import atheris
import jsonschema

with atheris.instrument_imports(include=["threadscope"]):
    from threadscope import sites
    from threadscope.document import Document
    from threadscope.errors import ThreadscopeError
    from threadscope.export.document import dumps, thread_document
    from threadscope.export.schema import schema
    from threadscope.model import Thread

    sites.families()  # import (and so instrument) every registered family now

_CONTEXT = sites.ParseContext()
_VALIDATOR = jsonschema.Draft202012Validator(schema())  # built once: validate() rebuilds it


def _touch_document(doc: Document) -> None:
    """Exercise the shared lazy views; each may only fail with ThreadscopeError."""
    for view in ("text", "head", "looks_like_json", "looks_like_xml", "looks_like_html"):
        getattr(doc, view)
    for view in ("json", "html"):
        with contextlib.suppress(ThreadscopeError):
            getattr(doc, view)


def _check(threads: object) -> None:
    assert isinstance(threads, list), f"parse() returned {type(threads).__name__}, not a list"
    for thread in threads:
        assert isinstance(thread, Thread), f"parse() yielded {type(thread).__name__}"
        rebuilt = Thread(article=thread.article, comments=thread.comments)  # re-validate
        document = thread_document(rebuilt)
        errors = [e.message for e in _VALIDATOR.iter_errors(document)]
        assert not errors, f"export breaks the schema: {errors[:3]}"
        dumps(document)


def test_one_input(data: bytes) -> None:
    """One libFuzzer iteration: only ThreadscopeError may escape the parsers."""
    try:
        doc = Document("fuzz-input", data)
    except ThreadscopeError:
        return
    _touch_document(doc)
    try:
        for family in sites.families():
            score = family.detect(doc)
            assert 0.0 <= score <= 1.0, f"{family.name}.detect gave {score}"
        family = sites.detect(doc)
        threads = family.parse(doc, _CONTEXT)
    except ThreadscopeError:
        return
    _check(threads)


def main() -> None:
    """Hand the command line to libFuzzer."""
    sys.setrecursionlimit(10_000)  # the CLI default is 1,000; deep inputs must fail cleanly
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

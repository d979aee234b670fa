"""Property tests: every parser survives damaged real pages and yields only valid trees.

The real pages (the seeds in fixtures/ and ../shared/threads) are mutated by
fuzz/mutations.py: truncated anywhere, tags deleted or duplicated, attributes garbled,
bytes injected, encodings swapped, comment blocks shuffled, JSON structure edited.
Every registered family is called directly (detect + parse: ``--site`` forces any
family onto any page) and through threadscope.api.load_document. Only ThreadscopeError
may escape; every thread returned is a valid tree whose export passes the JSON Schema.

The budget is fixed and derandomized so CI is deterministic; raise it for a long run
with THREADSCOPE_FUZZ_EXAMPLES=500. A failing input is saved under
$THREADSCOPE_FUZZ_FAILURES (default /tmp/threadscope-fuzz-failures) for the regression
suite.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from fuzz.mutations import mutated
from tests.conftest import FIXTURES, THREADS
from threadscope import sites
from threadscope.api import load_document
from threadscope.document import Document
from threadscope.errors import ThreadscopeError
from threadscope.export.document import dumps, thread_document
from threadscope.export.schema import validate
from threadscope.model import Thread

EXAMPLES = int(os.environ.get("THREADSCOPE_FUZZ_EXAMPLES", "25"))
FAILURES = Path(os.environ.get("THREADSCOPE_FUZZ_FAILURES", "/tmp/threadscope-fuzz-failures"))
NOW = datetime(2024, 1, 1, 12, 0)
# api.load_document turns an unexpected exception into this message: a parser bug.
MASKED_BUG = "parser failed ("
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


def real_pages() -> list[Path]:
    """Seed pages and every input in ../shared/threads (not the expected trees)."""
    pages = sorted(FIXTURES.glob("0*.txt"))
    if THREADS.is_dir():
        pages += sorted(p for p in THREADS.rglob("*") if p.is_file()
                        and not p.name.endswith(".expected.json") and p.name != "README.md")
    return pages


PAGES = real_pages()


@cache
def page_bytes(path: Path) -> bytes:
    return path.read_bytes()


@cache
def claimed_by(name: str) -> tuple[Path, ...]:
    """Pages the family claims unmutated (its own pages get most of its budget)."""
    family = sites.get_family(name)
    return tuple(p for p in PAGES if family.detect(Document(str(p), page_bytes(p))) >= sites.CLAIM)


def family_names() -> list[str]:
    return [family.name for family in sites.families()]


def save_failure(data: bytes) -> Path:
    """Keep the failing bytes so they can become a regression fixture."""
    FAILURES.mkdir(parents=True, exist_ok=True)
    path = FAILURES / f"{hashlib.sha256(data).hexdigest()[:16]}.bin"
    path.write_bytes(data)
    return path


def check_threads(threads: object) -> None:
    """Threads are a list of valid trees whose exports pass the schema."""
    assert isinstance(threads, list), f"parse returned {type(threads).__name__}"
    for thread in threads:
        assert isinstance(thread, Thread)
        Thread(article=thread.article, comments=thread.comments)  # validates again
        document = thread_document(thread)
        validate(document)
        assert dumps(document)


def parse_directly(name: str, data: bytes) -> None:
    try:
        doc = Document("fuzzed-page", data)
    except ThreadscopeError:
        return
    family = sites.get_family(name)
    score = family.detect(doc)
    assert 0.0 <= score <= 1.0, f"{name}.detect gave {score}"
    try:
        threads = family.parse(doc, sites.ParseContext(now=NOW))
    except ThreadscopeError:
        return
    check_threads(threads)


def load_generically(data: bytes) -> None:
    try:
        threads = load_document(Document("fuzzed-page", data), now=NOW)
    except ThreadscopeError as exc:
        message = exc.message
    else:
        check_threads(threads)
        return
    assert MASKED_BUG not in message, f"a parser crashed: {message}"


def run_guarded(check: object, *args: object) -> None:
    """Run a check; on failure save the input and say where."""
    data = args[-1]
    assert isinstance(data, bytes)
    try:
        check(*args)  # type: ignore[operator]
    except BaseException:
        note(f"failing input saved to {save_failure(data)}")
        raise


def pages_for(name: str) -> st.SearchStrategy[Path]:
    own = claimed_by(name)
    every = st.sampled_from(PAGES)
    return st.sampled_from(own) | every if own else every


@pytest.mark.parametrize("name", family_names())
@FUZZ
@given(data=st.data())
def test_family_parser_survives_mutated_real_pages(name: str, data: st.DataObject) -> None:
    page = data.draw(pages_for(name), label="page")
    damaged = data.draw(mutated(page_bytes(page)), label="mutated bytes")
    note(f"{name} on mutated {page.name} ({len(damaged)} bytes)")
    run_guarded(parse_directly, name, damaged)


@FUZZ
@given(data=st.data())
def test_load_document_survives_mutated_real_pages(data: st.DataObject) -> None:
    page = data.draw(st.sampled_from(PAGES), label="page")
    damaged = data.draw(mutated(page_bytes(page)), label="mutated bytes")
    note(f"load_document on mutated {page.name} ({len(damaged)} bytes)")
    run_guarded(load_generically, damaged)


TEXT_PAGES = [p for p in PAGES if p.suffix == ".txt"]


@st.composite
def edited_text(draw: st.DrawFn) -> bytes:
    """A plain-text copy with lines dropped, repeated, re-indented or swapped."""
    lines = page_bytes(draw(st.sampled_from(TEXT_PAGES))).split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "indent", "dedent", "swap", "tab"]))
        if action == "drop":
            del lines[i]
        elif action == "repeat":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = b" " * draw(st.sampled_from([2, 4, 8, 40, 400])) + lines[i]
        elif action == "dedent":
            lines[i] = lines[i].lstrip()
        elif action == "tab":
            lines[i] = lines[i].replace(b"    ", b"\t")
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            break
    return b"\n".join(lines)


@FUZZ
@given(text=edited_text())
def test_plain_text_copies_with_edited_lines_parse_or_fail_cleanly(text: bytes) -> None:
    run_guarded(load_generically, text)
    for family in sites.families():
        if "text" in family.formats:
            run_guarded(parse_directly, family.name, text)


@settings(max_examples=EXAMPLES * 8, deadline=None, derandomize=True, database=None)
@given(raw=st.binary(max_size=2048))
def test_document_views_of_arbitrary_bytes_fail_only_with_input_error(raw: bytes) -> None:
    try:
        doc = Document("random-bytes", raw)
    except ThreadscopeError:
        return
    assert isinstance(doc.text, str)
    assert isinstance(doc.head, str)
    for view in ("json", "html"):
        with contextlib.suppress(ThreadscopeError):
            getattr(doc, view)
    run_guarded(load_generically, raw)


def test_the_mutators_really_change_pages() -> None:
    """Guard against a fuzz suite that silently fuzzes nothing."""
    changed: list[bool] = []

    @settings(max_examples=30, derandomize=True, database=None, deadline=None)
    @given(data=st.data())
    def probe(data: st.DataObject) -> None:
        original = page_bytes(data.draw(st.sampled_from(PAGES)))
        changed.append(data.draw(mutated(original)) != original)

    probe()
    assert sum(changed) >= 20, f"only {sum(changed)} of {len(changed)} pages were changed"

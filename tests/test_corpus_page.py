"""process_page internals: the cycle collector is restored, page lines are single lines."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need_threads
from threadscope.corpus import PageOptions, process_page
from threadscope.corpus.page import json_line
from threadscope.export.jsonl import dumps_compact, dumps_line

PLAIN = PageOptions(tag=False, analyse=True)


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it enabled."""
    yield
    gc.enable()


def _page() -> str:
    return str(need_threads() / "reddit_json_praw" / "reddit_3hahrw_limit10.json")


@pytest.mark.parametrize("enabled", [True, False])
def test_process_page_leaves_the_collector_as_it_found_it(
        collector_state: None, enabled: bool) -> None:
    if enabled:
        gc.enable()
    else:
        gc.disable()
    result = process_page(_page(), PLAIN)
    assert result.ok
    assert result.comments > 0
    assert gc.isenabled() is enabled


def test_a_failing_page_also_restores_the_collector(
        collector_state: None, tmp_path: Path) -> None:
    gc.enable()
    (tmp_path / "bad.html").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = process_page(str(tmp_path / "bad.html"), PLAIN)
    assert result.error is not None
    assert gc.isenabled()


GARBAGE_PROBE = """
import gc, sys
from threadscope.corpus import PageOptions, process_page
options = PageOptions(tag=False, analyse=True)
process_page(sys.argv[1], options)  # warm: first-use imports and caches
gc.collect()
gc.disable()
process_page(sys.argv[1], options)
print(gc.collect())
"""


def test_a_page_leaves_no_cyclic_garbage() -> None:
    # the reason the collector may pause during a page: nothing it frees is cyclic.
    # Run in a fresh interpreter: gc.collect() also counts what other threads of this
    # test process (a Dask cluster's event loop, say) left, which is not the page's.
    result = subprocess.run([sys.executable, "-c", GARBAGE_PROBE, _page()],
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) == 0


def test_page_lines_are_the_export_lines_without_newline() -> None:
    doc = {"text": "one\u2028two\u2029three\nfour", "n": 1}
    line = json_line(doc)
    assert line == dumps_compact(doc)
    assert line + "\n" == dumps_line(doc)
    assert not {"\n", "\u2028", "\u2029"} & set(line)
    assert json.loads(line) == doc


def test_page_lines_parse_back_to_the_documents() -> None:
    need_threads()
    result = process_page(_page(), PLAIN)
    docs = [json.loads(line) for line in result.lines]
    assert [len(d["comments"]) for d in docs] == [result.comments]
    assert all("\n" not in line for line in result.lines)

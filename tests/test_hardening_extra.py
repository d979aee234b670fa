"""Hardening follow-ups (issue 7): deep WordPress chains, outline detection on pages
that cannot be parsed, `report --max-size`, and escaping in the internal-error line.

Every deep or hostile page here is SYNTHETIC, generated in the test (fuzz/hostile_pages.py
or inline): no real page nests comments thousands deep. Timings are in
benchmarks/bench_extreme.py, never asserted here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fuzz.hostile_pages import wordpress
from tests.conftest import FIXTURES, need_threads
from threadscope import cli, sites
from threadscope.api import load_document
from threadscope.document import Document
from threadscope.errors import EXIT_INPUT, InputError
from threadscope.htmltools import MAX_DEPTH, select
from threadscope.sites import ParseContext, outline_news
from threadscope.sites import wordpress as wp

DEEP = 10_000
WORDPRESS_PAGES = ("trafilatura/lemire.me.json.html", "trafilatura/moritz-meyer.net.vreni.html")
SYNTHETIC_WORDPRESS = ("wordpress_classic_theme.html", "wpdiscuz_comments.html")


# ------------------------------------------------------------------ WordPress, deep

def test_wordpress_chain_10000_deep_keeps_every_comment_and_depth() -> None:
    # SYNTHETIC: a reply chain 10,000 deep (each comment answers the one before).
    threads = load_document(Document("deep-wp", wordpress(depth=DEEP).encode()))
    assert len(threads) == 1
    thread = threads[0]
    assert (len(thread), thread.max_depth) == (DEEP, DEEP)
    last = thread.get(f"comment-{DEEP}")
    assert last is not None
    assert (last.parent_id, last.depth, last.author) == (
        f"comment-{DEEP - 1}", DEEP, f"reader {DEEP}")
    assert f"{DEEP}" in last.text
    first = thread.get("comment-1")
    assert first is not None
    assert first.parent_id is None
    assert str(DEEP) not in first.text  # no reply's text leaks into its ancestors


def _bare_chain(depth: int) -> bytes:
    """SYNTHETIC: a Kubrick-style theme (bare paragraphs, no .comment-content) nested deep."""
    items = "".join(
        f'<li id="comment-{i}"><cite>Name {i}</cite> Says:<p>Bare text number {i}.</p>'
        f'<ul class="children">' for i in range(1, depth + 1))
    return ('<html><head><link rel="stylesheet" href="/wp-content/t.css"></head><body>'
            '<h2 class="entry-title">Post</h2><ol class="commentlist">' + items
            + "</ul></li>" * depth + "</ol></body></html>").encode()


def test_wordpress_bare_paragraph_chain_keeps_each_comments_own_text() -> None:
    depth = 2_000
    thread = wp.parse(Document("bare.html", _bare_chain(depth)), ParseContext())[0]
    assert len(thread) == depth
    assert [c.text for c in thread.comments[:2]] == [
        "Bare text number 1.", "Bare text number 2."]
    last = thread.comments[-1]
    assert (last.author, last.text, last.depth) == (f"Name {depth}", f"Bare text number "
                                                    f"{depth}.", depth)


def test_wordpress_flat_list_nested_by_depth_classes_only() -> None:
    # SYNTHETIC: no ul.children; the nesting shows only in depth-N classes.
    depth = 3_000
    items = "".join(f'<li id="comment-{i}" class="comment depth-{i}"><div class="comment-'
                    f'content"><p>flat {i}</p></div></li>' for i in range(1, depth + 1))
    page = ('<html><body><ol class="comment-list">' + items + "</ol></body></html>").encode()
    thread = wp.parse(Document("flat.html", page), ParseContext())[0]
    assert thread.max_depth == depth
    assert thread.comments[-1].parent_id == f"comment-{depth - 1}"


@pytest.mark.parametrize("name", WORDPRESS_PAGES + SYNTHETIC_WORDPRESS)
def test_wordpress_page_selection_matches_cssselect(name: str) -> None:
    """The parser's own page-wide matcher finds what lxml's cssselect finds."""
    path = FIXTURES / "synthetic" / name if name in SYNTHETIC_WORDPRESS else need_threads() / name
    root = Document.read(path).html
    page = wp._Page(root)
    selectors = (wp.COMMENT_LIST, wp.COMMENT_ITEM, wp.CHILDREN, wp.TIME_ATTR, wp.TIME_TEXT,
                 wp.HEADER, wp.WPD_ITEM, wp.WPD_TEXT, wp.WPD_AUTHOR, wp.WPD_DATE, wp.WPD_VOTES,
                 wp.ARTICLE_TITLE, wp.ARTICLE_BODY, wp.ARTICLE_TIME, wp.COUNT_HEADING,
                 "cite", *wp.AUTHOR, *wp.TEXT, *wp.ARTICLE_AUTHOR)
    for css in selectors:
        assert page.select(css) == select(root, css), css
    assert any(page.select(css) for css in selectors)


# ------------------------------------------------------------------ outline numbers

def test_outline_detect_says_no_to_a_page_that_cannot_be_parsed() -> None:
    # SYNTHETIC: the outline fixture with nesting past MAX_DEPTH appended.
    page = (FIXTURES / "synthetic" / "outline_news.html").read_bytes().replace(
        b"</body>", b"<div>" * (MAX_DEPTH + 10) + b"</body>")
    doc = Document("deep-outline.html", page)
    assert outline_news.detect(doc) == 0.0
    assert sites.detect(doc).name == "generic"  # detection goes on for the other families
    with pytest.raises(InputError, match="nests more than"):
        load_document(Document("deep-outline.html", page))


def test_outline_cheap_test_rejects_thousands_and_keeps_outlines() -> None:
    # katzen-forum prints post counts "2.206" in <dd>: dotted, but no "2" <dd> answers them.
    katzen = Document.read(need_threads() / "trafilatura" / "katzen-forum.net-Pepe.html")
    assert not outline_news._labels_answer_each_other(katzen.text)
    assert outline_news.detect(katzen) == 0.0
    outline = Document.read(FIXTURES / "synthetic" / "outline_news.html")
    assert outline_news._labels_answer_each_other(outline.text)
    assert outline_news.detect(outline) >= 0.5


# ------------------------------------------------------------------ command line

def test_report_max_size_is_one_line_naming_the_option(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(wordpress(siblings=50), "utf-8")  # about 25 kB, over 0.001 MB
    result = subprocess.run(
        [sys.executable, "-m", "threadscope", "report", "--no-labels", "--max-size", "0.001",
         str(page)], capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == EXIT_INPUT, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "--max-size" in lines[0]
    assert "page.html" in lines[0]
    assert "Traceback" not in result.stderr


def test_report_max_size_raised_reads_the_page(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(wordpress(siblings=3), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "threadscope", "report", "--no-labels", "--format", "json",
         "--max-size", "1", str(page)], capture_output=True, text=True, check=False,
        timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(("{", "["))


def test_internal_error_line_escapes_terminal_controls(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = "bad \x1b[31mred\x1b[0m\nthreadscope: forged line\u202e" + "x" * 5_000

    def crash() -> None:
        raise RuntimeError(hostile)

    monkeypatch.setattr(cli, "_register", lambda: None)
    monkeypatch.setattr(cli, "app", crash)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.endswith("\n")
    assert "\x1b" not in err
    assert "\u202e" not in err
    assert "bad \\x1b[31mred\\x1b[0m\\nthreadscope: forged line\\u202e" in err
    assert len(err) < cli.MAX_MESSAGE_CHARS + 200
    assert err.startswith("threadscope: internal error: RuntimeError: ")

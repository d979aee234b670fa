"""Text, markdown, HTML and JSON reports: labels shown, figures tabled, text escaped."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from lxml import html as lxml_html

from tests.test_analysis import HAND, labelled_thread
from threadscope.analysis import analyse, analysis_dict
from threadscope.report import render
from threadscope.report.html import CSP, CSS, MAX_NEST, SCRIPT, comment_tree
from threadscope.report.markdown import md_escape
from threadscope.report.text import MAX_TREE_DEPTH

HOSTILE = {"c2": "<script>alert(1)</script> | *bold* [link](http://x)",
           "c3": '<img src=x onerror="alert(2)">'}


def _results():  # type: ignore[no-untyped-def]
    item = labelled_thread(texts=HOSTILE)
    return [(item, analyse(item))]


def _deep(n: int):  # type: ignore[no-untyped-def]
    rows = [(f"d{i}", f"d{i - 1}" if i else None, f"u{i % 3}", i % 5 - 2, None, "disagree",
             (0.1, 0.7, 0.1, 0.1), ("not_sarcastic", 0.1)) for i in range(n)]
    item = labelled_thread(rows)
    return [(item, analyse(item, replicates=20))]


def test_text_report_shows_labels_scores_and_tables() -> None:
    out = render(_results(), "text", color=False)
    line = next(x for x in out.splitlines() if " c2 " in x)
    assert "disagree 0.90" in line
    assert "⸮sarcastic" in line
    assert "-2" in line
    for title in ("Shape", "Stance", "Stance by depth", "Sarcasm", "Disagreement",
                  "Author graph", "Controversy"):
        assert re.search(rf"^\s*{title}\s*$", out, re.MULTILINE), title
    assert "55.6%" in out  # 5 of 9 disagree
    assert "3: c2 → c3 → c4" in out
    assert "<script>alert(1)</script>" in out  # rich markup escaped, text kept


def test_text_report_colours_stances() -> None:
    out = render(_results(), "text", color=True)
    line = next(x for x in out.splitlines() if "c6\x1b[0m" in x)
    assert "\x1b[1;31mdisagree 0.80" in line  # bold red
    line = next(x for x in out.splitlines() if "c1\x1b[0m" in x)
    assert "\x1b[1;32magree 0.80" in line  # bold green


def test_markdown_report_nests_and_escapes() -> None:
    out = render(_results(), "markdown")
    lines = out.splitlines()
    c4 = next(x for x in lines if "**c4**" in x)
    assert c4.startswith("      - ")  # depth 4: three levels of two-space indentation
    c2 = next(x for x in lines if "**c2**" in x)
    assert "\\<script\\>alert(1)\\</script\\>" in c2
    assert "\\| \\*bold\\* \\[link\\](http://x)" in c2
    assert "🟥 disagree 0.90" in c2
    assert "⸮ sarcastic" in c2
    assert "| overall (n=9) | agree | 3 | 33.3% |" in out
    assert md_escape("a|b\nc") == "a\\|b c"


def test_html_report_escapes_text_and_is_self_contained() -> None:
    page = render(_results(), "html")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page
    assert page.count("<script>") == 1
    urls = set(re.findall(r"(?:src|href)=\"([^\"#][^\"]*)\"", page))
    assert urls == set()  # no external asset, no link leaving the page
    assert "http://www.w3.org/2000/svg" in page  # the SVG namespace is the only URL


def test_html_csp_allows_exactly_its_own_style_and_script() -> None:
    page = render(_results(), "html")
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert meta is not None
    assert meta.group(1) == CSP
    assert "default-src 'none'" in CSP
    for source, directive in ((CSS, "style-src"), (SCRIPT, "script-src")):
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in CSP
        assert source in page
    assert "unsafe-inline" not in CSP


def test_html_tree_has_one_details_per_comment_in_tree_order() -> None:
    doc = lxml_html.fromstring(render(_results(), "html"))
    details = doc.cssselect("details.c")
    assert [d.get("id") for d in details] == [f"c-{c}" for c in
                                              ("c1", "c2", "c3", "c4", "c9", "c5", "c6", "c7",
                                               "c8")]
    c3 = doc.get_element_by_id("c-c3")
    assert c3.getparent().get("id") == "c-c2"
    assert "s-disagree" in c3.get("class")
    assert len(doc.cssselect("svg")) == 2
    assert len(HAND) == len(details)


def test_deep_threads_render_capped_and_balanced() -> None:
    results = _deep(300)
    page = render(results, "html")
    doc = lxml_html.fromstring(page)
    assert len(doc.cssselect("details.c")) == 300
    assert page.count("<details") == page.count("</details>")
    deepest = doc.get_element_by_id("c-d299")
    assert len([a for a in deepest.iterancestors() if a.tag == "details"]) == MAX_NEST - 1
    text = render(results, "text", color=False)
    assert f"depth {MAX_TREE_DEPTH + 1}" in text
    assert "(depth 300)" in render(results, "markdown")


def test_ten_thousand_deep_thread_renders_every_format() -> None:
    results = _deep(10_000)
    for fmt in ("markdown", "html"):
        assert "d9999" in render(results, fmt)
    assert "… 8000 more comments" in render(results, "text", color=False)
    assert json.loads(render(results, "json"))["reports"][0]["analysis"]["shape"]["depth"] == (
        10_000)


def test_json_report_holds_the_analysis() -> None:
    results = _results()
    out = json.loads(render(results, "json"))
    assert out["reports"][0]["analysis"] == json.loads(json.dumps(analysis_dict(results[0][1])))
    assert out["reports"][0]["title"] == "Hand-built thread"


def test_empty_thread_reports() -> None:
    from threadscope.labels import LabelledThread
    from threadscope.model import Article, Thread

    item = LabelledThread(Thread(article=Article(title="Nothing"), comments=()), {})
    results = [(item, analyse(item))]
    assert "No comments" in render(results, "html")
    assert "No comments" in render(results, "markdown")
    assert "Nothing" in render(results, "text", color=False)
    assert comment_tree(item, results[0][1]) == '<p class="empty">No comments.</p>'


def test_control_characters_are_shown_not_sent() -> None:
    from threadscope.report.safe import printable

    assert printable("a\x1b[2J\x07b\r\nc\u202ed\t") == "a\\x1b[2J\\x07b\nc\\u202ed\t"
    item = labelled_thread(texts={"c1": "\x1b]0;pwned\x07 hi"})
    results = [(item, analyse(item))]
    for fmt in ("text", "markdown", "html"):
        out = render(results, fmt, color=False)
        assert "\x1b]0;pwned" not in out
        assert re.search(r"x1b\\?\]0;pwned", out)  # shown (markdown escapes the bracket)


def test_text_report_counts_repeated_quotes_of_one_source() -> None:
    """Seed 001's comment 2.1 quotes comment 2 four times: one mark with a count."""
    from tests.conftest import SEED_001
    from threadscope.api import load
    from threadscope.report.text import comment_line

    thread = load(SEED_001)[0]
    comment = next(c for c in thread.comments if c.path == "2.1")
    assert [q.source_id for q in comment.quotes].count("2") == 4
    line = comment_line(comment)
    assert line.count("↩ quotes") == 1
    assert "↩ quotes 2 ×4" in line

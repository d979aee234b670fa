"""Comment text with markup, scripts, terminal escapes and formulas stays inert in every
report format and every export, and is kept exactly (nothing lost to escaping).

The hostile strings go into every text field a page controls: titles, authors, comment
text, quotes, score labels, raw times and the source path.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from lxml import html as lxml_html

from fuzz.hostile_pages import PAYLOAD
from threadscope.labels import LabelledThread
from threadscope.model import Article, Comment, QuoteSegment, Source, Timestamp, build_thread
from threadscope.report import FORMATS, render

FORMULA = '=HYPERLINK("http://evil.invalid","click")'
# Escape sequences from PAYLOAD that would clear the screen or retitle the terminal.
TERMINAL_ATTACKS = ("\x1b[2J", "\x1b]0;pwned")


def hostile_thread(text: str = PAYLOAD) -> LabelledThread:
    article = Article(title=text, body=(text,), url="javascript:alert(1)", author=text,
                      published=Timestamp(iso="2020-01-01T10:00", raw=text))
    comments = [
        Comment(id="1", parent_id=None, depth=1, author=text, text=text, title=text,
                score=3, score_label=text,
                timestamp=Timestamp(iso="2020-01-01T11:00", raw=text)),
        Comment(id="2", parent_id="1", depth=2, author=FORMULA, text=FORMULA,
                quotes=(QuoteSegment(text=text, source_id="1", answer=text, kind="explicit",
                                     source_author=text),)),
        Comment(id="3", parent_id="1", depth=2, author="@SUM(A1:A9)", text="+1-1"),
    ]
    source = Source(path=f"/pages/{text}.html", sha256="0" * 64, format="html", site="generic")
    return LabelledThread(thread=build_thread(article, comments, source), labels={})


def rendered(fmt: str, text: str = PAYLOAD, color: bool = False) -> str:
    from threadscope.api import analyse

    labelled = hostile_thread(text)
    return render([(labelled, analyse(labelled))], fmt, color=color)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("color", [False, True])
def test_no_report_passes_terminal_escapes_through(fmt: str, color: bool) -> None:
    out = rendered(fmt, color=color)
    for attack in TERMINAL_ATTACKS:
        assert attack not in out, f"{fmt} report lets {attack!r} reach the terminal"


def assert_no_active_html(benign_html: str, hostile_html: str) -> None:
    """The hostile page has no script, handler, frame or javascript: link the benign lacks."""
    benign = lxml_html.fromstring(benign_html or "<p></p>")
    hostile = lxml_html.fromstring(hostile_html)
    assert len(hostile.xpath("//script")) == len(benign.xpath("//script"))
    assert not hostile.xpath("//img[@src='x'] | //iframe | //b[text()='code']")
    handlers = [(el.tag, k) for el in hostile.iter() if isinstance(el.tag, str)
                for k, v in el.attrib.items() if k.startswith("on") and "alert" in v]
    assert handlers == []
    links = hostile.xpath("//a/@href | //*/@src")
    assert not [a for a in links if "javascript:" in a.lower()]
    assert 'alert("xss")' in hostile.text_content(), "the payload was dropped, not escaped"


def test_html_report_runs_no_script_from_the_page() -> None:
    assert_no_active_html(rendered("html", "plain words"), rendered("html"))


def test_markdown_report_renders_to_html_without_active_content() -> None:
    from markdown_it import MarkdownIt  # rich's own dependency: what viewers render

    to_html = MarkdownIt("commonmark", {"html": True}).enable("table").render
    assert_no_active_html(to_html(rendered("markdown", "plain words")),
                          to_html(rendered("markdown")))


def test_json_report_keeps_the_title_exactly() -> None:
    reports = json.loads(rendered("json"))["reports"]
    assert reports[0]["title"] == PAYLOAD


def test_json_export_is_lossless_and_escapes_control_characters() -> None:
    from threadscope.export.document import dumps, thread_document

    text = dumps(thread_document(hostile_thread()))
    assert "\x1b" not in text
    loaded = json.loads(text)
    assert loaded["article"]["title"] == PAYLOAD
    assert loaded["comments"][0]["text"] == PAYLOAD
    assert loaded["comments"][1]["quotes"][0]["text"] == PAYLOAD


def test_jsonl_export_keeps_one_document_per_line() -> None:
    from threadscope.export.document import thread_document
    from threadscope.export.jsonl import dumps_lines, loads_lines

    text = dumps_lines([thread_document(hostile_thread())] * 2)
    assert len(text.splitlines()) == 2
    assert [d["comments"][0]["text"] for d in loads_lines(text)] == [PAYLOAD, PAYLOAD]


def test_csv_export_round_trips_and_cannot_start_a_formula() -> None:
    from threadscope.export.csv import read_rows, to_csv

    text = to_csv([hostile_thread()])
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    formulas = [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("-1")]
    assert formulas == [], f"spreadsheet formulas in the CSV: {formulas}"
    rows = read_rows(text)
    assert {r["text"] for r in rows} >= {PAYLOAD, FORMULA, "+1-1"}


def test_convokit_export_keeps_text_and_stays_in_its_folder(tmp_path: Path) -> None:
    from threadscope.export.convokit import write_corpus
    from threadscope.export.document import thread_document

    out = tmp_path / "corpus"
    write_corpus([thread_document(hostile_thread())], out)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written
    assert all(out in p.parents for p in written)
    lines = (out / "utterances.jsonl").read_text("utf-8").splitlines()
    assert any(json.loads(line)["text"] == PAYLOAD for line in lines)

"""Plain-text copies of real comment sections (dragnet *.gold.txt) against the HTML's trees.

The expected trees (*.html.expected.json) were derived from the HTML pages; the
gold copies are people's text copies of the same pages. Where the copy lost
something, the tolerance below says what and why:

* 131 (Slashdot): the copy omits the 19 hidden comments. Their visible replies
  keep their indentation, so a reply indented two levels below the comment
  before it reveals one hidden level (a placeholder); hidden comments with no
  such gap cannot be seen, so their replies' parents are not compared.
* T50 (SB Nation): the copy is flat (nesting lost except an "up" link on every
  reply), drops the last comment (CamIzWINNING!!, 2:14 PM) and the "!" in user
  names ("ThePanthers!").
* R990 (Movable Type): a flat list where 31 comments print "replied to comment
  from X"; the expected file lists all 270 as top level, which the page's own
  reply links contradict (see the reply-link test), so parents are checked
  against those links instead.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need_threads
from threadscope.api import load_one
from threadscope.document import Document
from threadscope.model import Comment, Thread
from threadscope.quotes import resolve_quotes
from threadscope.sites import ParseContext, detect, plaintext, seedtext


def _expected(name: str) -> list[dict[str, Any]]:
    path = need_threads() / "dragnet" / f"{name}.html.expected.json"
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["comments"]
    return data


@cache
def _thread(name: str) -> Thread:
    return resolve_quotes(load_one(need_threads() / "dragnet" / f"{name}.gold.txt"))


def _visible(thread: Thread) -> list[Comment]:
    return [c for c in thread.comments if not c.placeholder]


@pytest.mark.parametrize("name", ["131", "R990", "T50"])
def test_gold_copies_are_the_plaintext_family(name: str) -> None:
    doc = Document.read(need_threads() / "dragnet" / f"{name}.gold.txt")
    assert detect(doc).name == "plaintext"
    assert seedtext.detect(doc) < 0.5


def test_slashdot_copy_visible_comments_authors_and_depths() -> None:
    expected = [c for c in _expected("131") if "hidden" not in c["display"]]
    got = _visible(_thread("131"))
    assert len(got) == len(expected) == 100
    assert [c.author for c in got] == [c["author"] for c in expected]
    assert [c.depth for c in got] == [c["depth"] for c in expected]


def test_slashdot_copy_site_ids_where_the_header_prints_them() -> None:
    expected = [c for c in _expected("131") if "hidden" not in c["display"]]
    got = _visible(_thread("131"))
    with_ids = [(g.id, e["id"]) for g, e in zip(got, expected, strict=True)
                if not g.id.startswith("t")]
    assert len(with_ids) >= 50  # every full comment's header ends in (#id)
    assert all(mine == theirs for mine, theirs in with_ids)


def test_slashdot_copy_parents_where_the_parent_is_visible() -> None:
    all_expected = _expected("131")
    by_id = {c["id"]: c for c in all_expected}
    expected = [c for c in all_expected if "hidden" not in c["display"]]
    thread = _thread("131")
    got = _visible(thread)
    compared = 0
    for mine, theirs in zip(got, expected, strict=True):
        parent = by_id.get(theirs["parent"]) if theirs["parent"] else None
        if parent is not None and "hidden" in parent["display"]:
            continue
        mine_parent = thread.get(mine.parent_id).author if mine.parent_id else None
        assert mine_parent == (parent["author"] if parent else None), mine.id
        compared += 1
    assert compared >= 80


def test_slashdot_copy_placeholders_stand_for_hidden_comments() -> None:
    thread = _thread("131")
    hidden = [c for c in _expected("131") if "hidden" in c["display"]]
    placeholders = [c for c in thread.comments if c.placeholder]
    assert 1 <= len(placeholders) <= len(hidden)
    for placeholder in placeholders:
        assert thread.children(placeholder.id), placeholder.id
        assert placeholder.author is None
        assert placeholder.text == ""


def test_slashdot_copy_quotes_of_parents() -> None:
    """Slashdot quotes are pasted text; comments whose page has a quote block get one."""
    expected = [c for c in _expected("131") if "hidden" not in c["display"]]
    got = _visible(_thread("131"))
    with_blocks = [g for g, e in zip(got, expected, strict=True) if e["quote_blocks"]]
    found = [g for g in with_blocks if g.quotes]
    # Two quote blocks quote comments the copy left out (hidden): no source to find.
    assert len(found) >= len(with_blocks) - 2
    assert all(q.source_id is not None for g in found for q in g.quotes)


def test_movable_type_copy_authors_and_times_are_exact() -> None:
    expected = _expected("R990")
    thread = _thread("R990")
    assert len(thread.comments) == len(expected) == 270
    assert [c.author for c in thread.comments] == [c["author"] for c in expected]
    # The copy prints minutes and no zone: compare up to the minute.
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == [
        c["time"][:16] for c in expected]


def test_movable_type_copy_replies_follow_the_pages_reply_links() -> None:
    """The expected file lists all 270 as top level; the page links 31 replies to the
    exact comment ("NAME replied to <a href=#comment-N>comment from X</a>", read here
    from the raw HTML). The copy keeps only X's name, so the parent is X's latest
    earlier comment that answered the replier, else X's latest earlier comment."""
    html = (need_threads() / "dragnet" / "R990.html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<div id="(comment-\d+)" class="comment comment-reply">'
                            r'(?:(?!<div id="comment-).)*?replied to <a href="[^"]*#(comment-\d+)"',
                            html, flags=re.DOTALL))
    expected = _expected("R990")
    by_id = {c["id"]: c for c in expected}
    thread = _thread("R990")
    agree = 0
    for mine, theirs in zip(thread.comments, expected, strict=True):
        parent_id = links.get(theirs["id"])
        if parent_id is None:
            assert mine.parent_id is None
            continue
        parent = thread.get(mine.parent_id) if mine.parent_id else None
        assert parent is not None
        assert parent.author == by_id[parent_id]["author"]
        agree += parent.timestamp is not None and (
            parent.timestamp.iso == by_id[parent_id]["time"][:16])
    assert len(links) == 31
    assert agree == 31


def test_movable_type_copy_article() -> None:
    article = _thread("R990").article
    assert article.title == "A great deal of solace"
    assert article.author == "Roger Ebert"
    assert article.published is not None
    assert article.published.iso == "2012-11-08T23:04"
    assert article.body[0].startswith("I'm double-posting my review")


def test_sb_nation_copy_authors_times_and_count() -> None:
    expected = _expected("T50")
    thread = _thread("T50")
    assert len(thread.comments) == len(expected) - 1  # the copy stops before the last one
    assert [c.author for c in thread.comments] == [
        c["author"].rstrip("!") for c in expected[:-1]]
    for mine, theirs in zip(thread.comments, expected, strict=False):
        moment = datetime.strptime(theirs["time"].removesuffix(" EDT"), "%b %d, %Y %I:%M %p")
        assert mine.timestamp is not None
        assert mine.timestamp.iso == moment.isoformat(timespec="minutes") + "-04:00"


def test_sb_nation_copy_replies_hang_under_their_true_top_level_comment() -> None:
    """The copy keeps no nesting, but each footer of a reply carries an "up" link:
    top-level comments are known exactly, and each reply hangs under the top-level
    comment whose thread it is in (a true ancestor; the depth below is lost)."""
    expected = _expected("T50")[:-1]
    by_id = {c["id"]: c for c in expected}
    thread = _thread("T50")
    assert [c.parent_id is None for c in thread.comments] == [
        c["parent"] is None for c in expected]
    ids = {mine.id: theirs["id"] for mine, theirs in zip(thread.comments, expected,
                                                         strict=True)}
    for mine, theirs in zip(thread.comments, expected, strict=True):
        if mine.parent_id is None:
            continue
        root = theirs
        while root["parent"] is not None:
            root = by_id[root["parent"]]
        assert ids[mine.parent_id] == root["id"]
    assert thread.max_depth == 2


def test_sb_nation_copy_keeps_the_declared_count_and_byline() -> None:
    thread = _thread("T50")
    assert thread.article.declared_comment_count == len(_expected("T50"))
    assert thread.article.author == "Jaxon"


def test_sb_nation_copy_blockquotes_are_explicit_quotes() -> None:
    expected = _expected("T50")
    got = _thread("T50").comments
    mine = [bool(c.quotes) for c in got]
    theirs = [c["blockquotes"] > 0 for c in expected[: len(got)]]
    assert mine == theirs
    assert all(q.kind == "explicit" for c in got for q in c.quotes)


def test_sb_nation_recs_are_scores() -> None:
    expected = _expected("T50")
    got = _thread("T50").comments
    for mine, theirs in zip(got, expected, strict=False):
        recs = theirs["rating_text"]
        assert mine.score == (int(recs.split()[0]) if recs else None)


def test_signatures_are_not_quotes() -> None:
    """SB Nation users repeat their signature under each comment: not a quote of themselves."""
    thread = _thread("T50")
    for comment in thread.comments:
        for quote in comment.quotes:
            if quote.source_id is not None and quote.source_id in thread:
                assert thread.get(quote.source_id).author != comment.author


def test_gold_folder_is_where_the_readme_says(threads_dir: Path) -> None:
    assert sorted(p.name for p in (threads_dir / "dragnet").glob("*.gold.txt")) == [
        "131.gold.txt", "R990.gold.txt", "T50.gold.txt"]


SYNTHETIC_OUTLINE = """A synthetic copy: outline-numbered "Name | date | Reply" headers

1. Alice | March 3, 2011 2:17 PM | Reply
The first comment, at the top level.
1.1. Bob | March 3, 2011 2:30 PM | Reply
An answer to Alice.
1.1.1. Alice | March 3, 2011 3:01 PM | Reply
Alice again.
2. Carol | March 4, 2011 9:00 AM | Reply
A second top-level comment.
"""

SYNTHETIC_INDENTED = """A synthetic copy: "by NAME on DATE" headers nested by indentation

by ann on May 1, 2015 10:00 AM
Top comment.
        by bob on May 1, 2015 10:05 AM
        Two levels deeper: the comment between was hidden.
    by cy on May 1, 2015 10:07 AM
    One level deep.
"""


def _parse_text(text: str) -> Thread:
    doc = Document("synthetic.txt", text.encode("utf-8"))
    assert detect(doc).name == "plaintext"
    return plaintext.parse(doc, ParseContext())[0]


def test_outline_numbers_give_the_parents() -> None:
    thread = _parse_text(SYNTHETIC_OUTLINE)
    assert [(c.path, c.author, c.depth) for c in thread.comments] == [
        ("1", "Alice", 1), ("1.1", "Bob", 2), ("1.1.1", "Alice", 3), ("2", "Carol", 1)]
    assert thread.comments[1].parent_id == thread.comments[0].id
    assert thread.comments[1].text == "An answer to Alice."
    assert thread.comments[0].timestamp is not None
    assert thread.comments[0].timestamp.iso == "2011-03-03T14:17"


def test_skipped_indentation_level_gets_a_placeholder() -> None:
    thread = _parse_text(SYNTHETIC_INDENTED)
    assert [(c.author, c.depth, c.placeholder) for c in thread.comments] == [
        ("ann", 1, False), (None, 2, True), ("bob", 3, False), ("cy", 2, False)]
    assert thread.comments[3].parent_id == thread.comments[0].id


def test_slashdot_copy_article_without_byline_or_department_line() -> None:
    article = _thread("131").article
    assert article.title == "The Nation Is Losing Its Toolbox"
    assert article.author == "Unknown Lamer"
    assert article.published is None  # "Tuesday July 24, @07:29AM" has no year to keep
    assert len(article.body) == 1
    assert article.body[0].startswith('Hugh Pickens writes "Louis Uchitelle writes')


def test_movable_type_quote_sources_agree_with_the_printed_reply_targets() -> None:
    """Where a header says "X replied to comment from Y", a quote of a comment quotes Y."""
    header = re.compile(r"^(?P<who>[^|]+?) \| [^|]+ \| ?$")
    target = re.compile(r" replied to comment from (?P<target>.+)$")
    path = need_threads() / "dragnet" / "R990.gold.txt"
    targets = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = header.match(line)
        if match:
            found = target.search(match.group("who"))
            targets.append(found.group("target") if found else None)
    thread = _thread("R990")
    assert len(targets) == len(thread.comments)
    checked = 0
    for comment, replied_to in zip(thread.comments, targets, strict=True):
        for quote in comment.quotes:
            if replied_to and quote.source_id not in (None, "article"):
                assert thread.get(quote.source_id).author == replied_to
                checked += 1
    assert checked >= 4


SYNTHETIC_WORDPRESS = """A synthetic WordPress copy: "Name says:" over a date line, "Reply" links

Anna says:
19. Juni 2018 um 15:28 Uhr
Ein schöner Beitrag, danke.
Reply
    Bernd says:
    20. Juni 2018 um 08:02 Uhr
    Sehe ich genauso.
    Reply
Carla says:
March 3, 2011 at 2:17 pm
Plain English date, top level.
Reply
"""


def test_says_headers_with_date_lines() -> None:
    thread = _parse_text(SYNTHETIC_WORDPRESS)
    assert [(c.author, c.depth, c.text) for c in thread.comments] == [
        ("Anna", 1, "Ein schöner Beitrag, danke."),
        ("Bernd", 2, "Sehe ich genauso."),
        ("Carla", 1, "Plain English date, top level."),
    ]
    stamps = [c.timestamp.iso if c.timestamp else None for c in thread.comments]
    assert stamps == ["2018-06-19T15:28", "2018-06-20T08:02", "2011-03-03T14:17"]

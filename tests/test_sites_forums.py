"""Forum, blog and Q&A families (WordPress, XenForo, StackExchange, Reddit HTML, vBulletin,
phpBB) against the real pages in ../shared/threads and the synthetic edge-case pages.

Real pages are compared field by field with their *.expected.json in document order;
synthetic pages (fixtures/synthetic, marked as such) only cover markup no real page has.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, SEEDS, THREADS, need_threads
from threadscope.document import Document
from threadscope.export.document import thread_document
from threadscope.export.schema import validate
from threadscope.htmltools import select, text_of
from threadscope.model import Comment, Thread
from threadscope.sites import CLAIM, ParseContext, detect, get_family

REAL = {
    "trafilatura/moritz-meyer.net.vreni.html": "wordpress",
    "trafilatura/lemire.me.json.html": "wordpress",
    "trafilatura/katzen-forum.net-Pepe.html": "xenforo",
    "trafilatura/german.stackexchange.com.ausgeraubt.html": "stackexchange",
    "trafilatura/reddit.com.init.html": "reddit-html",
}
SYNTHETIC_DIR = FIXTURES / "synthetic"
SYNTHETIC = {
    "old_reddit_thread.html": "reddit-html",
    "shreddit_thread.html": "reddit-html",
    "xenforo1_thread.html": "xenforo",
    "wpdiscuz_comments.html": "wordpress",
    "wordpress_classic_theme.html": "wordpress",
    "vbulletin4_thread.html": "vbulletin",
    "vbulletin3_thread_de.html": "vbulletin",
    "vbulletin5_thread.html": "vbulletin",
    "phpbb3_prosilver_topic.html": "phpbb",
    "phpbb30_prosilver_topic.html": "phpbb",
    "phpbb3_subsilver2_topic.html": "phpbb",
    "phpbb2_subsilver_topic_de.html": "phpbb",
}
MINE = ("wordpress", "xenforo", "stackexchange", "reddit-html", "vbulletin", "phpbb")
# A fixed "now" for relative times, so resolved dates do not move with the clock.
NOW = datetime(2020, 1, 29, 12, 0)
GERMAN_MONTHS = {m: i for i, m in enumerate(
    ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
     "Oktober", "November", "Dezember"), start=1)}


def _doc(name: str) -> Document:
    return Document.read(need_threads() / name)


def _parse(doc: Document, family: str, now: datetime | None = None) -> list[Thread]:
    return get_family(family).parse(doc, ParseContext(now=now))


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (need_threads() / f"{name}.expected.json").read_text("utf-8"))
    return data


def _one(threads: list[Thread]) -> Thread:
    assert len(threads) == 1
    return threads[0]


def _real(comments: tuple[Comment, ...]) -> list[Comment]:
    return [c for c in comments if not c.placeholder]


def _other_inputs() -> list[Path]:
    """Every real input in the shared folder plus the seed pages."""
    if not (THREADS / "README.md").exists():
        return list(SEEDS)
    pages = [p for p in sorted(THREADS.glob("*/*")) if not p.name.endswith(".expected.json")]
    return pages + list(SEEDS)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _german_time(text: str) -> str:
    """"19. Juni 2018 um 15:28 Uhr" -> "2018-06-19T15:28" (independent of dateparser)."""
    match = re.match(r"(\d{1,2})\.\s+(\w+)\s+(\d{4})\s+um\s+(\d{1,2}):(\d{2})\s+Uhr", text)
    assert match, text
    day, month, year, hour, minute = match.groups()
    return f"{year}-{GERMAN_MONTHS[month]:02d}-{int(day):02d}T{int(hour):02d}:{minute}"


# ------------------------------------------------------------------ detection


@pytest.mark.parametrize("name", sorted(REAL))
def test_family_claims_its_real_page(name: str) -> None:
    doc = _doc(name)
    assert get_family(REAL[name]).detect(doc) >= CLAIM
    assert detect(doc).name == REAL[name]


@pytest.mark.parametrize("family", MINE)
def test_family_claims_no_other_real_page_or_seed(family: str) -> None:
    own = {n for n, f in REAL.items() if f == family}
    claimed = []
    for path in _other_inputs():
        name = str(path.relative_to(THREADS)) if path.is_relative_to(THREADS) else path.name
        if name in own:
            continue
        if get_family(family).detect(Document.read(path)) >= CLAIM:
            claimed.append(name)
    assert claimed == []


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_family_claims_its_synthetic_page_and_others_do_not(name: str) -> None:
    doc = Document.read(SYNTHETIC_DIR / name)
    assert detect(doc).name == SYNTHETIC[name]
    rivals = [f for f in MINE if f != SYNTHETIC[name] and get_family(f).detect(doc) >= CLAIM]
    assert rivals == []


@pytest.mark.parametrize("family", MINE)
def test_detect_gives_zero_on_plain_pages(family: str) -> None:
    for data in (b"<html><body><p>Hello</p></body></html>", b'{"a": 1}', b"just text\n"):
        assert get_family(family).detect(Document("x", data)) == 0.0


# ------------------------------------------------------------------ schema


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_parse_validates_against_schema(name: str) -> None:
    for thread in _parse(_doc(name), REAL[name], NOW):
        validate(thread_document(thread))


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_parse_validates_against_schema(name: str) -> None:
    for thread in _parse(Document.read(SYNTHETIC_DIR / name), SYNTHETIC[name], NOW):
        validate(thread_document(thread))


# ------------------------------------------------------------------ WordPress


@pytest.mark.parametrize("name", ["trafilatura/moritz-meyer.net.vreni.html",
                                  "trafilatura/lemire.me.json.html"])
def test_wordpress_tree_matches_expected(name: str) -> None:
    want = _expected(name)["comments"]
    got = _one(_parse(_doc(name), "wordpress")).comments
    assert [c.id for c in got] == [w["id"] for w in want]
    assert [c.parent_id for c in got] == [w["parent"] for w in want]
    assert [c.depth for c in got] == [w["depth"] for w in want]
    assert [c.author for c in got] == [w["author"] for w in want]
    assert all(c.text for c in got)


def test_wordpress_iso_times_match_expected() -> None:
    name = "trafilatura/lemire.me.json.html"
    want = _expected(name)["comments"]
    got = _one(_parse(_doc(name), "wordpress")).comments
    assert [_instant(c.timestamp.iso) if c.timestamp else None for c in got] == \
        [_instant(w["time"]) for w in want]


def test_wordpress_german_times_match_expected() -> None:
    name = "trafilatura/moritz-meyer.net.vreni.html"
    want = _expected(name)["comments"]
    got = _one(_parse(_doc(name), "wordpress")).comments
    assert [c.timestamp.raw if c.timestamp else None for c in got] == [w["time"] for w in want]
    assert [c.timestamp.iso if c.timestamp else None for c in got] == \
        [_german_time(w["time"]) for w in want]


def test_wordpress_recent_comments_widget_is_not_taken_for_comments() -> None:
    name = "trafilatura/lemire.me.json.html"
    doc = _doc(name)
    widget = select(doc.html, "ul#recentcomments li.recentcomments")
    assert widget, "the page's sidebar widget is the point of this test"
    widget_names = {text_of(n) for w in widget for n in select(w, ".comment-author-link")}
    thread = _one(_parse(doc, "wordpress"))
    expected_authors = {w["author"] for w in _expected(name)["comments"]}
    assert widget_names - expected_authors, "some widget author must be absent from comments"
    assert not {c.author for c in thread.comments} & (widget_names - expected_authors)
    assert len(thread) == 5


def test_wordpress_article_and_declared_counts() -> None:
    lemire = _one(_parse(_doc("trafilatura/lemire.me.json.html"), "wordpress"))
    assert lemire.article.title == "JSON parsing: simdjson vs. JSON for Modern C++"
    assert lemire.article.declared_comment_count == len(lemire) == 5
    assert lemire.article.url
    assert lemire.article.url.startswith("https://lemire.me/blog/2019/08/02/")
    assert lemire.article.published is not None
    assert lemire.article.published.iso.startswith("2019-08-02")
    assert lemire.article.body
    assert "JSON" in lemire.article.body[0]
    moritz = _one(_parse(_doc("trafilatura/moritz-meyer.net.vreni.html"), "wordpress"))
    assert moritz.article.declared_comment_count == len(moritz) == 36
    assert moritz.max_depth == 4


# ------------------------------------------------------------------ XenForo


def test_xenforo_posts_match_expected() -> None:
    name = "trafilatura/katzen-forum.net-Pepe.html"
    want = _expected(name)["comments"]
    got = _one(_parse(_doc(name), "xenforo")).comments
    assert [c.id for c in got] == [w["id"] for w in want]
    assert [c.parent_id for c in got] == [w["parent"] for w in want]
    assert [c.depth for c in got] == [w["depth"] for w in want]
    assert [c.author for c in got] == [w["author"] for w in want]
    assert [c.score for c in got] == [w["reactions"] for w in want]
    assert [_instant(c.timestamp.iso) if c.timestamp else None for c in got] == \
        [_instant(w["time"]) for w in want]


def test_xenforo_quotes_are_linked_segments_not_parents() -> None:
    name = "trafilatura/katzen-forum.net-Pepe.html"
    want = _expected(name)["comments"]
    thread = _one(_parse(_doc(name), "xenforo"))
    assert [[q.source_author for q in c.quotes] for c in thread.comments] == \
        [w["quotes_of"] for w in want]
    assert thread.article.author == "Pepemaus"
    assert thread.article.published is not None
    assert _instant(thread.article.published.iso) == _instant(want[0]["time"])
    quoted = [(c, q) for c in thread.comments for q in c.quotes]
    assert len(quoted) == 2
    for comment, quote in quoted:
        assert quote.kind == "explicit"
        assert quote.source_id is not None
        source = thread.get(quote.source_id)
        assert source.author == quote.source_author
        assert " ".join(quote.text.split()) in " ".join(source.text.split())
        assert quote.answer
        assert quote.text not in quote.answer
        assert "gesagt" not in quote.text
        assert "Vergrößern" not in comment.text
        assert comment.parent_id is None


# ------------------------------------------------------------------ StackExchange

SE = "trafilatura/german.stackexchange.com.ausgeraubt.html"


def _se_rows() -> list[dict[str, Any]]:
    """Posts and comments of the expected file in page order."""
    rows: list[dict[str, Any]] = []
    for post in _expected(SE)["posts"]:
        rows.append(post)
        rows.extend(post["comments"])
    return rows


def test_stackexchange_tree_matches_expected_parents() -> None:
    rows = _se_rows()
    got = _one(_parse(_doc(SE), "stackexchange")).comments
    assert [c.id for c in got] == [r["id"] for r in rows]
    assert [c.parent_id for c in got] == [r["parent"] for r in rows]
    # Depths follow the parent links; the file prints depth 1 for answers although
    # their parent is the depth-1 question (reported as an error in the file).
    by_id = {r["id"]: r for r in rows}
    implied = []
    for row in rows:
        depth, parent = 1, row["parent"]
        while parent is not None:
            depth, parent = depth + 1, by_id[parent]["parent"]
        implied.append(depth)
    assert [c.depth for c in got] == implied
    assert [c.depth for c in got if c.id.startswith("comment-") and
            by_id[c.parent_id or ""]["kind"] == "question"] == [2, 2]


def test_stackexchange_authors_scores_and_times() -> None:
    rows = _se_rows()
    got = _one(_parse(_doc(SE), "stackexchange")).comments
    # The owner's signature is listed last ("editor may precede owner").
    assert [c.author for c in got] == \
        [r["author_and_editor"][-1] if "kind" in r else r["author"] for r in rows]
    # Post votes as printed; a comment score of 0 in the file means none is shown.
    assert [c.score for c in got] == \
        [r["votes"] if "kind" in r else (r["score"] or None) for r in rows]
    comment_times = [(c, r["time"]) for c, r in zip(got, rows, strict=True) if "kind" not in r]
    assert all(c.timestamp and _instant(c.timestamp.iso) == _instant(t) for c, t in comment_times)
    # A post's own time is the last listed time without the ", License" suffix that
    # marks a comment's time (the file's list mixes in each post's first comment time).
    for comment, row in zip(got, rows, strict=True):
        if "kind" in row:
            own = [t for t in row["times_edit_then_post"] if "License" not in t][-1]
            assert comment.timestamp
            assert _instant(comment.timestamp.iso) == _instant(own)


def test_stackexchange_article_is_the_question_page() -> None:
    thread = _one(_parse(_doc(SE), "stackexchange"))
    assert thread.article.title
    assert thread.article.title.startswith('When to use "wurde"')
    assert thread.article.url
    assert "/questions/10376/" in thread.article.url
    assert thread.article.author == thread.comments[0].author == "user5105"
    for snippet in _expected(SE)["evaldata_comment_snippets"]:
        assert any(snippet in c.text for c in thread.comments), snippet


# ------------------------------------------------------------------ Reddit (new, React)

REDDIT = "trafilatura/reddit.com.init.html"


def test_reddit_comments_match_expected() -> None:
    data = _expected(REDDIT)
    want = data["comments"]
    thread = _one(_parse(_doc(REDDIT), "reddit-html", NOW))
    got = _real(thread.comments)
    assert [c.id for c in got] == [w["id"] for w in want]
    # The file's top-level parent is the post (t3_…): the thread's article here.
    assert [c.parent_id for c in got] == \
        [None if w["parent"].startswith("t3_") else w["parent"] for w in want]
    assert [c.depth for c in got] == [w["depth"] for w in want]
    assert [c.author for c in got] == [w["author"] for w in want]
    assert [c.score for c in got] == [w["score"] for w in want]
    assert [c.timestamp.raw if c.timestamp else None for c in got] == \
        [w["time_text"] for w in want]
    assert [(c.timestamp.iso, c.timestamp.precision) if c.timestamp else None for c in got] \
        == [("2014-01-29T12:00:00", "relative")] * len(got)  # NOW minus six years
    # One snippet ("IMO it makes things") is only in the page's embedded JSON store,
    # under a collapsed branch; every snippet the page renders must be in a comment.
    rendered = text_of(_doc(REDDIT).html)
    shown = [s for s in data["evaldata_comment_snippets"] if s in rendered]
    assert len(shown) == 2
    assert all(any(s in c.text for c in got) for s in shown)


def test_reddit_continue_stubs_are_placeholders_under_their_comment() -> None:
    thread = _one(_parse(_doc(REDDIT), "reddit-html", NOW))
    stubs = [c for c in thread.comments if c.placeholder]
    assert len(stubs) == 5
    for stub in stubs:
        assert stub.parent_id is not None
        assert stub.id.endswith(stub.parent_id)
        assert stub.hidden_count is None
        assert "Continue this thread" in stub.text
    declared = int(_expected(REDDIT)["page_count_label"].split()[0])
    assert thread.article.declared_comment_count == declared


def test_reddit_relative_times_use_the_page_date_without_now() -> None:
    thread = _one(_parse(_doc(REDDIT), "reddit-html"))
    # pageloadServerTime in the page's store is 1580302520196 ms = 2020-01-29 12:55:20 UTC.
    assert {c.timestamp.iso if c.timestamp else None for c in _real(thread.comments)} == \
        {"2014-01-29T12:55:20"}


# ------------------------------------------------------------------ synthetic pages


def _synthetic(name: str) -> Thread:
    return _one(_parse(Document.read(SYNTHETIC_DIR / name), SYNTHETIC[name], NOW))


def _shape(thread: Thread) -> list[tuple[str, str | None, int]]:
    return [(c.id, c.parent_id, c.depth) for c in thread.comments]


def test_old_reddit_tree_scores_and_stubs() -> None:
    thread = _synthetic("old_reddit_thread.html")
    assert _shape(thread) == [
        ("t1_c1", None, 1), ("t1_c2", "t1_c1", 2), ("t1_c3", "t1_c2", 3),
        ("more-3", "t1_c3", 4), ("t1_c5", "t1_c1", 2), ("more-5", "t1_c1", 2),
        ("t1_c9", None, 1)]
    by_id = {c.id: c for c in thread.comments}
    # span.score.unvoted is the printed score (dislikes/likes variants are one off).
    assert [by_id[i].score for i in ("t1_c1", "t1_c2", "t1_c3", "t1_c5", "t1_c9")] == \
        [42, 10, None, -2, 7]
    assert by_id["t1_c3"].deleted
    assert by_id["t1_c3"].author is None
    assert by_id["more-5"].placeholder
    assert by_id["more-5"].hidden_count == 3
    assert by_id["more-3"].placeholder
    assert by_id["more-3"].hidden_count is None
    # The live timestamp, not the edit mark printed after it.
    assert by_id["t1_c9"].timestamp
    assert by_id["t1_c9"].timestamp.iso.startswith("2020-01-01T05:45")
    quote = by_id["t1_c2"].quotes[0]
    assert (quote.source_id, quote.answer) == ("t1_c1", "How many times is that usually?")
    assert thread.article.author == "pot_novice"
    assert thread.article.declared_comment_count == 7
    assert thread.article.title == "Why does my rice stick to the pot?"


def test_shreddit_tree_stubs_and_deleted() -> None:
    thread = _synthetic("shreddit_thread.html")
    assert [(c.parent_id, c.depth, c.placeholder) for c in thread.comments] == [
        (None, 1, False), ("t1_a1", 2, False), ("t1_b1", 3, True), ("t1_a1", 2, True),
        (None, 1, False)]
    more = thread.comments[3]
    assert more.hidden_count == 4
    assert more.text == "4 more replies"
    assert [c.author for c in thread.comments if not c.placeholder] == \
        ["hinge_helper", "thinkpad_tom", None]
    assert thread.comments[-1].deleted
    assert thread.comments[1].quotes[0].source_id == "t1_a1"
    assert thread.article.declared_comment_count == 9
    assert thread.article.published
    assert thread.article.published.iso.startswith("2023-05-01")


def test_xenforo1_said_quotes_likes_and_removed_post() -> None:
    thread = _synthetic("xenforo1_thread.html")
    assert _shape(thread) == [(f"post-{n}", None, 1) for n in (501, 502, 503, 504)]
    assert [c.author for c in thread.comments] == ["ann", "bo", "spammer", "cy"]
    # "ann, cy and 2 others like this." is four people; "bo likes this." is one.
    assert [(c.score, c.score_label) for c in thread.comments] == \
        [(None, None), (4, "likes"), (None, None), (1, "likes")]
    assert [c.deleted for c in thread.comments] == [False, False, True, False]
    # abbr.DateTime carries an epoch (UTC); span.DateTime only its title text.
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == \
        ["2015-03-03T14:17", "2015-03-03T15:10:00+00:00", None, "2015-03-04T09:05"]
    quotes = [(q.source_author, q.source_id, q.text, q.answer)
              for c in thread.comments for q in c.quotes]
    assert quotes == [
        ("ann", "post-501", "What hydration do you use for a country loaf?",
         "75 percent for most loaves, 80 if the flour is fresh."),
        ("bo", "post-502", "80 if the flour is fresh",
         "Fresh flour absorbs less, so I would go lower.")]
    assert "Click to expand" not in thread.get("post-502").text
    assert thread.article.author == "ann"
    assert thread.article.published is not None
    assert thread.article.published.iso == "2015-03-03T14:17"


def test_wpdiscuz_ids_name_parents_votes_and_absolute_dates() -> None:
    thread = _synthetic("wpdiscuz_comments.html")
    # wpd-comm-<id>_<parent>: comment 306's parent 299 is not on this page, so it
    # hangs under the comment it is printed in.
    assert _shape(thread) == [("comment-301", None, 1), ("comment-302", "comment-301", 2),
                              ("comment-303", "comment-302", 3), ("comment-305", None, 1),
                              ("comment-306", "comment-305", 2)]
    assert [c.author for c in thread.comments] == ["Ria", "Gardener Gus", "Ria", "Tom K.", "Lena"]
    assert [c.score for c in thread.comments] == [4, -1, 0, None, None]
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == [
        "2021-03-03T14:17", "2021-03-03T18:40", "2021-03-04T09:05", "2021-03-05T11:30",
        "2021-03-06T07:00"]
    assert thread.get("comment-302").quotes[0].source_id == "comment-301"
    assert thread.article.declared_comment_count == 5


def test_vbulletin4_posts_quotes_and_deleted() -> None:
    thread = _synthetic("vbulletin4_thread.html")
    assert _shape(thread) == [(f"post-{n}", None, 1) for n in (1001, 1002, 1003, 1004)]
    assert [c.author for c in thread.comments] == \
        ["griddle_greg", "flaxseed_fan", "old_skillet", "spam_account"]
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == \
        ["2011-03-03T14:17", "2011-03-03T15:40", "2011-03-04T09:05", "2011-03-04T11:30"]
    first = thread.comments[1].quotes
    assert [(q.source_author, q.source_id, q.text) for q in first] == \
        [("griddle_greg", "post-1001", "Oven or stovetop for the seasoning?")]
    nested = thread.comments[2].quotes
    assert [(q.source_author, q.source_id) for q in nested] == \
        [("flaxseed_fan", "post-1002"), ("griddle_greg", "post-1001"), (None, None)]
    assert nested[0].text.startswith("Oven, always")
    assert "Any oil" not in nested[0].text
    assert nested[1].answer == ""
    assert nested[2].answer == "Someone wrote that on another board and it stuck with me."
    assert thread.comments[3].deleted
    assert not thread.comments[2].deleted
    assert thread.article.title == "Best way to season a cast iron pan?"


def test_vbulletin3_german_zitat_von_and_dates() -> None:
    thread = _synthetic("vbulletin3_thread_de.html")
    assert [c.author for c in thread.comments] == ["Kettenfett", "Speichenspanner", "Kettenfett"]
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == \
        ["2011-03-03T14:17", "2011-03-03T15:02", "2011-03-04T08:45"]
    linked = [(q.source_author, q.source_id, q.text) for c in thread.comments for q in c.quotes]
    # The second quote has no link: it is found by its author and its words.
    assert linked == [("Kettenfett", "post-2001", "Welches Öl nehmt ihr?"),
                      ("Speichenspanner", "post-2002", "Trockenschmierstoff mit Wachs")]
    assert thread.comments[1].quotes[0].answer.startswith("Trockenschmierstoff mit Wachs, dann")


def test_vbulletin5_nodes_comments_nest_under_their_reply() -> None:
    thread = _synthetic("vbulletin5_thread.html")
    assert _shape(thread) == [("post-5000", None, 1), ("post-5003", None, 1),
                              ("post-5004", "post-5003", 2)]
    assert [c.author for c in thread.comments] == ["dan", "eve", "dan"]
    # data-node-publishdate epochs, in UTC.
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == [
        "2017-03-03T14:17:00+00:00", "2017-03-03T16:17:00+00:00", "2017-03-03T17:17:00+00:00"]
    quote = thread.get("post-5003").quotes[0]
    assert (quote.source_author, quote.source_id, quote.text) == \
        ("dan", "post-5000", "Can I replace it myself?")
    assert "Fair, calling" not in thread.get("post-5003").text


def test_phpbb33_posts_cites_and_subjects() -> None:
    thread = _synthetic("phpbb3_prosilver_topic.html")
    assert _shape(thread) == [("p501", None, 1), ("p502", None, 1), ("p503", None, 1)]
    assert [c.author for c in thread.comments] == ["crumb_shot", "levain_lena", "crumb_shot"]
    assert [c.title for c in thread.comments] == ["Sourdough starter smells like acetone"] + \
        ["Re: Sourdough starter smells like acetone"] * 2
    assert thread.comments[0].timestamp
    assert _instant(thread.comments[0].timestamp.iso) == _instant("2021-02-14T09:12:00Z")
    quotes = [(q.source_author, q.source_id, q.text) for c in thread.comments for q in c.quotes]
    assert quotes == [("crumb_shot", "p501", "Is it dead?"),
                      ("levain_lena", "p502", "Not dead, just hungry."),
                      ("crumb_shot", "p501", "Is it dead?"),
                      (None, None, "Hooch is a sign of hunger.")]
    assert "Bake more bread" not in thread.comments[0].text  # signature is not the post
    assert thread.article.title == "Sourdough starter smells like acetone"


def test_phpbb30_german_byline_dates_and_hat_geschrieben() -> None:
    thread = _synthetic("phpbb30_prosilver_topic.html")
    assert [c.author for c in thread.comments] == ["Gartenzwerg", "Rankhilfe"]
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == \
        ["2011-03-03T14:17", "2011-03-04T08:05"]
    quote = thread.comments[1].quotes[0]
    assert (quote.source_author, quote.source_id) == ("Gartenzwerg", "p801")
    assert "geschrieben" not in quote.text
    assert quote.answer == "Gleichmäßig gießen, dann passiert das nicht."


# ------------------------------------------------------------------ inline synthetic cases
# Tiny hand-written pages (synthetic, for one edge case each): the markup a theme or
# plugin prints that no real page in ../shared/threads shows.

FLAT_WP = b"""<!DOCTYPE html><html lang="en"><head>
<link rel="stylesheet" href="/wp-content/themes/flat/style.css"></head><body>
<article><h1 class="entry-title">Flat list</h1>
<div class="entry-content"><p>Post.</p></div></article>
<div id="comments"><ol class="comment-list">
<li id="comment-1" class="comment depth-1"><div class="comment-author"><b class="fn">Ann</b></div>
  <div class="comment-content"><p>First.</p></div></li>
<li id="comment-2" class="comment depth-2"><div class="comment-author"><b class="fn">Bo</b></div>
  <div class="comment-content"><p>Reply to Ann.</p></div></li>
<li id="comment-3" class="comment depth-3"><div class="comment-author"><b class="fn">Cy</b></div>
  <div class="comment-content"><p>Reply to Bo.</p></div></li>
<li id="comment-4" class="comment depth-2"><div class="comment-author"><b class="fn">Di</b></div>
  <div class="comment-content"><blockquote><p>First.</p></blockquote><p>Also Ann.</p></div></li>
<li id="comment-5" class="comment depth-1"><div class="comment-author"><b class="fn">Ed</b></div>
  <div class="comment-content"><p>New thread.</p></div></li>
</ol></div>
<aside class="widget widget_recent_comments"><ol class="comment-list">
<li id="comment-99" class="comment depth-1"><div class="comment-author"><b class="fn">Zed</b></div>
  <div class="comment-content"><p>On another post.</p></div></li></ol></aside>
</body></html>"""

NESTED_XF2 = b"""<!DOCTYPE html><html id="XF" lang="en"><head><title>t</title></head><body>
<h1 class="p-title-value">Threaded</h1>
<article class="message message--post" data-author="Ann" data-content="post-1">
  <time class="u-dt" datetime="2020-05-01T10:00:00+0000"></time>
  <div class="bbWrapper">Top.</div>
  <article class="message message--post" data-author="Bo" data-content="post-2">
    <time class="u-dt" datetime="2020-05-01T11:00:00+0000"></time>
    <div class="bbWrapper">Inner.</div>
    <div class="reactionsBar js-reactionsList is-active"><a class="reactionsBar-link"
      href="/posts/2/reactions"><bdi>Ann</bdi> and 2 others</a></div>
  </article>
</article></body></html>"""


def test_wordpress_flat_list_nests_by_depth_classes_and_skips_widget_lists() -> None:
    doc = Document("flat.html", FLAT_WP)
    assert get_family("wordpress").detect(doc) >= CLAIM
    thread = _one(_parse(doc, "wordpress"))
    assert _shape(thread) == [("comment-1", None, 1), ("comment-2", "comment-1", 2),
                              ("comment-3", "comment-2", 3), ("comment-4", "comment-1", 2),
                              ("comment-5", None, 1)]
    assert thread.get("comment-4").quotes[0].source_id == "comment-1"


def test_xenforo_threaded_style_nests_posts_and_counts_reactions() -> None:
    doc = Document("nested.html", NESTED_XF2)
    assert get_family("xenforo").detect(doc) >= CLAIM
    thread = _one(_parse(doc, "xenforo"))
    assert _shape(thread) == [("post-1", None, 1), ("post-2", "post-1", 2)]
    assert thread.get("post-1").text == "Top."  # the inner post is not part of it
    assert thread.get("post-1").score is None  # nor are its reactions
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == \
        ["2020-05-01T10:00:00+00:00", "2020-05-01T11:00:00+00:00"]
    assert (thread.get("post-2").score, thread.get("post-2").score_label) == (3, "reactions")


REACT_NO_THREADLINES = b"""<!DOCTYPE html><html lang="en-US"><head>
<link rel="stylesheet" href="https://www.redditstatic.com/desktop2x/Chat.css">
<meta property="og:site_name" content="reddit"/></head><body><h1>Post</h1>
<div id="t1_aa"><span>level 1</span><span>1.2k points</span>
  <div data-test-id="comment"><p>Top.</p></div></div>
<div id="t1_bb"><span>level 2</span><span>-3 points</span>
  <div data-test-id="comment"><p>[deleted]</p></div></div>
<div id="moreComments-t1_cc"><span>level 3</span><p>3 more replies</p></div>
<div id="t1_dd"><span>level 1</span><span>Score hidden</span>
  <div data-test-id="comment"><p>Second.</p></div></div>
</body></html>"""


def test_reddit_react_nests_by_level_labels_without_threadlines() -> None:
    doc = Document("react.html", REACT_NO_THREADLINES)
    assert get_family("reddit-html").detect(doc) >= CLAIM
    thread = _one(_parse(doc, "reddit-html", NOW))
    assert [(c.id, c.parent_id) for c in thread.comments] == [
        ("t1_aa", None), ("t1_bb", "t1_aa"), ("moreComments-t1_cc", "t1_bb"), ("t1_dd", None)]
    assert [c.score for c in thread.comments] == [1200, -3, None, None]
    assert thread.get("t1_bb").deleted
    assert thread.get("moreComments-t1_cc").hidden_count == 3


SE_2015 = b"""<!DOCTYPE html><html itemscope itemtype="http://schema.org/QAPage"><head>
<link rel="stylesheet" href="https://cdn.sstatic.net/Sites/stackoverflow/all.css?v=1">
<link rel="canonical" href="https://stackoverflow.com/questions/1/q"></head><body>
<div id="question-header"><h1 itemprop="name">
<a href="/questions/1/q" class="question-hyperlink">Q?</a></h1></div>
<div class="question" data-questionid="1" id="question"><table><tr>
<td class="votecell"><div class="vote">
<span itemprop="upvoteCount" class="vote-count-post ">5</span></div></td>
<td class="postcell"><div class="post-text" itemprop="text"><p>Why?</p></div>
<table class="fw"><tr>
<td class="post-signature"><div class="user-info"><div class="user-action-time">edited
<span title="2015-01-03 00:00:00Z" class="relativetime">Jan 3</span></div>
<div class="user-details"><a href="/users/9/ed">ed</a></div></div></td>
<td class="post-signature owner"><div class="user-info"><div class="user-action-time">asked
<span title="2015-01-02 03:04:05Z" class="relativetime">Jan 2</span></div>
<div class="user-details"><a href="/users/1/ann">ann</a></div></div></td></tr></table>
</td></tr><tr><td></td><td><div id="comments-1" class="comments"><table><tbody>
<tr id="comment-10" class="comment"><td class="comment-score"><span class="cool">2</span></td>
<td class="comment-text"><div class="comment-body"><span class="comment-copy">Nice.</span> &ndash;
<a href="/users/2/bo" class="comment-user">bo</a> <span class="comment-date">
<span title="2015-01-02 04:00:00Z" class="relativetime-clean">Jan 2</span></span></div></td></tr>
<tr id="comment-11" class="comment"><td class="comment-score"></td>
<td class="comment-text"><div class="comment-body"><span class="comment-copy">Hm.</span> &ndash;
<span class="comment-user">deleted_user</span></div></td></tr>
</tbody></table></div></td></tr></table></div>
<div id="answers"><div id="answer-2" class="answer accepted-answer" data-answerid="2"><table><tr>
<td class="votecell"><span class="vote-count-post ">-1</span></td><td class="answercell">
<div class="post-text"><blockquote><p>Why?</p></blockquote><p>Because.</p></div>
<table class="fw"><tr><td class="post-signature"><div class="user-info">
<div class="user-action-time">answered
<span title="2015-01-02 05:00:00Z" class="relativetime">x</span></div>
<div class="user-details"><a href="/users/3/cy">cy</a></div></div></td></tr></table>
</td></tr></table></div></div></body></html>"""


def test_stackexchange_2015_markup_owner_votes_and_comment_scores() -> None:
    doc = Document("se2015.html", SE_2015)
    assert get_family("stackexchange").detect(doc) >= CLAIM
    thread = _one(_parse(doc, "stackexchange"))
    assert [(c.id, c.parent_id, c.depth) for c in thread.comments] == [
        ("question-1", None, 1), ("comment-10", "question-1", 2),
        ("comment-11", "question-1", 2), ("answer-2", "question-1", 2)]
    # The owner's signature comes after the editor's; an empty score cell is no score.
    assert [c.author for c in thread.comments] == ["ann", "bo", "deleted_user", "cy"]
    assert [c.score for c in thread.comments] == [5, 2, None, -1]
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == [
        "2015-01-02T03:04:05+00:00", "2015-01-02T04:00:00+00:00", None,
        "2015-01-02T05:00:00+00:00"]
    assert thread.get("answer-2").quotes[0].source_id == "question-1"
    assert thread.article.title == "Q?"


def test_phpbb_subsilver2_table_posts() -> None:
    thread = _synthetic("phpbb3_subsilver2_topic.html")
    assert _shape(thread) == [("p901", None, 1), ("p902", None, 1)]
    assert [c.author for c in thread.comments] == ["weathering_wes", "sprue_cutter"]
    assert [c.title for c in thread.comments] == \
        ["Best glue for plastic kits", "Re: Best glue for plastic kits"]
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == \
        ["2008-03-03T14:17", "2008-03-03T18:05"]
    quote = thread.get("p902").quotes[0]
    assert (quote.source_author, quote.source_id, quote.text, quote.answer) == (
        "weathering_wes", "p901", "Tube glue leaves strings everywhere.",
        "Switch to liquid cement with a brush in the cap.")
    assert thread.article.title == "Best glue for plastic kits"


def test_phpbb2_german_rows_quotes_and_edit_notes() -> None:
    thread = _synthetic("phpbb2_subsilver_topic_de.html")
    assert _shape(thread) == [("p7001", None, 1), ("p7002", None, 1)]
    assert [c.author for c in thread.comments] == ["Guppyfan", "Wasserwerker"]
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == \
        ["2008-03-03T14:17", "2008-03-03T18:40"]
    quote = thread.get("p7002").quotes[0]
    assert (quote.source_author, quote.source_id) == ("Guppyfan", "p7001")
    assert quote.answer == "Das ist normal, die Einlaufphase dauert vier bis sechs Wochen."
    assert "Zuletzt bearbeitet" not in thread.get("p7002").text
    assert thread.article.title == "Algen im neuen Becken"


def test_forum_time_fast_paths_agree_with_dateparser_and_reject_impossible_dates() -> None:
    from threadscope.dates import parse_time
    from threadscope.sites.forum_common import forum_time

    for raw, languages in (("19. Juni 2018 um 15:28 Uhr", ["de"]),
                           ("Do 3. Mär 2011, 14:17", ["de"]),
                           ("03-03-2011, 02:17 PM", ["en"]),
                           ("Mon Mar 03, 2008 2:17 pm", ["en"])):
        fast = forum_time(raw, languages=languages)
        slow = parse_time(raw, languages=languages)
        assert fast is not None
        assert slow is not None
        assert fast.iso == slow.iso, raw
    impossible = forum_time("31. Februar 2018 um 10:00 Uhr", languages=["de"])
    assert impossible is None or not impossible.iso.startswith("2018-02-31")


KUBRICK = b"""<!DOCTYPE html><html><head>
<link rel="stylesheet" href="http://blog.example.com/wp-content/themes/default/style.css">
</head><body><div class="post" id="post-1"><h2>Hello</h2><div class="entry"><p>Body.</p></div></div>
<h3 id="comments">2 Responses to &#8220;Hello&#8221;</h3>
<ol class="commentlist">
<li class="alt" id="comment-5"><cite><a href='http://a.example' rel='external nofollow'
 class='url'>Ann</a></cite> Says:<br />
<small class="commentmetadata"><a href="#comment-5" title="">March 3rd, 2008 at 2:17 pm</a>
</small><p>First!</p></li>
<li class="" id="comment-6"><cite>Bo</cite> Says:<br />
<small class="commentmetadata"><a href="#comment-6" title="">March 4th, 2008 at 9:00 am</a>
</small><p>Second.</p><p>Two paragraphs.</p></li>
</ol></body></html>"""


def test_wordpress_classic_theme_bylines() -> None:
    thread = _synthetic("wordpress_classic_theme.html")
    assert [c.author for c in thread.comments] == ["Mira Lang", "Gärtner Gerd", "Mira Lang"]
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == \
        ["2011-07-17T13:04", "2011-07-17T13:10", "2011-07-18T00:43"]
    assert thread.get("comment-9258").text == \
        "Abdecken schon, aber mit Laub, nicht mit Folie.\n\nFolie hält die Feuchtigkeit drin " \
        "und dann fault es."
    assert all("Comment by" not in c.text for c in thread.comments)
    assert thread.article.title == "Warum Kompost im Winter nicht ruht"
    assert thread.article.declared_comment_count == 3


def test_wordpress_kubrick_theme_cite_says_and_metadata() -> None:
    doc = Document("kubrick.html", KUBRICK)
    assert get_family("wordpress").detect(doc) >= CLAIM
    thread = _one(_parse(doc, "wordpress"))
    assert [(c.author, c.text) for c in thread.comments] == \
        [("Ann", "First!"), ("Bo", "Second.\n\nTwo paragraphs.")]
    assert [c.timestamp.iso if c.timestamp else None for c in thread.comments] == \
        ["2008-03-03T14:17", "2008-03-04T09:00"]
    assert thread.article.declared_comment_count == 2

"""Platform-dump families (Reddit JSON, Hacker News, Disqus, Discourse): real pages, edge cases.

Real pages are read from ../shared/threads (skipped, saying why, when absent) and
compared field by field with their *.expected.json in document order. Synthetic
pages in fixtures/synthetic (marked as such in their first line) and small inline
documents cover only what no real page shows: JSON variants, deep chains, unsafe XML.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, SEEDS, need_threads
from threadscope.api import load_document
from threadscope.document import Document
from threadscope.errors import InputError
from threadscope.export.document import thread_document
from threadscope.export.schema import validate
from threadscope.model import Comment, Thread
from threadscope.sites import (
    CLAIM,
    ParseContext,
    SiteFamily,
    discourse,
    disqus,
    hackernews,
    reddit_json,
)
from threadscope.sites import detect as registry_detect

SYNTHETIC = FIXTURES / "synthetic"
REDDIT = ("reddit_json_praw/reddit_2gmzqe.json", "reddit_json_praw/reddit_3hahrw_limit10.json")
HN = "hackernews/hn_item_28016025.html"
DISQUS = "disqus/tanglei_about_thread_redacted.xml"
DISCOURSE = "discourse/try_discourse_topic.json"

# Each family's own real pages (relative to shared/threads) and synthetic pages.
OWN_REAL: dict[str, tuple[str, ...]] = {
    "reddit_json": REDDIT,
    "hackernews": (HN,),
    "disqus": (DISQUS,),
    "discourse": (DISCOURSE,),
}
OWN_SYNTHETIC: dict[str, tuple[str, ...]] = {
    "reddit_json": (),
    "hackernews": ("hn_firebase_nested.json", "hn_algolia_item.json"),
    "disqus": ("disqus_embed.html",),
    "discourse": ("discourse_crawler.html", "discourse_crawler_2018.html"),
}
FAMILIES: dict[str, SiteFamily] = {
    f.name: f for f in (reddit_json.FAMILY, hackernews.FAMILY, disqus.FAMILY, discourse.FAMILY)
}


def real(name: str) -> Path:
    return need_threads() / name


def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((real(name).parent / f"{Path(name).name}.expected.json")
                                      .read_text("utf-8"))
    return data


def parse(family: SiteFamily, path: Path, now: datetime | None = None) -> list[Thread]:
    return family.parse(Document.read(path), ParseContext(now=now))


def comments_of(threads: list[Thread]) -> list[Comment]:
    return [c for t in threads for c in t.comments]


def moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def by_depth(comments: list[Comment]) -> dict[str, int]:
    return {str(k): v for k, v in sorted(Counter(c.depth for c in comments).items())}


def assert_valid_export(doc: Document, family: SiteFamily, now: datetime | None = None) -> None:
    threads = load_document(doc, site=family.name, now=now)
    assert threads, f"{doc.path}: no thread"
    for thread in threads:
        validate(thread_document(thread))


# --------------------------------------------------------------------- detection


def _other_inputs() -> list[Path]:
    """Every real input in shared/threads (gold copies too), the seeds, all synthetic pages."""
    base = need_threads()
    pages = [p for p in base.glob("*/*") if not p.name.endswith(".expected.json")]
    return sorted(pages) + list(SEEDS) + sorted(SYNTHETIC.glob("*"))


def _own(family: str) -> set[Path]:
    base = need_threads()
    return {base / n for n in OWN_REAL[family]} | {SYNTHETIC / n for n in OWN_SYNTHETIC[family]}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_detect_claims_own_pages_only(family: str) -> None:
    own = _own(family)
    claimed = {p for p in _other_inputs() if FAMILIES[family].detect(Document.read(p)) >= CLAIM}
    assert claimed == own, f"{family}: claims {sorted(map(str, claimed ^ own))} wrongly"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_registry_picks_family_for_own_pages(family: str) -> None:
    for path in _own(family):
        assert registry_detect(Document.read(path)).name == family, path


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("data", [
    b"{not json at all", b'[{"kind": "Listing"', b"<?xml version='1.0'?><rss></rss>",
    b"<html><body><div>hello</div></body></html>", b'{"post_stream": 3}', b"plain text",
])
def test_detect_never_raises_on_odd_input(family: str, data: bytes) -> None:
    score = FAMILIES[family].detect(Document("odd", data))
    assert 0.0 <= score <= 1.0


# --------------------------------------------------------------------- reddit JSON


def _reddit_parent(value: str) -> str | None:
    return None if value.startswith("t3_") else value.removeprefix("t1_")


@pytest.mark.parametrize("name", REDDIT)
def test_reddit_comments_match_expected(name: str) -> None:
    """Real comments (placeholders left out, as the expected list leaves out stubs)."""
    want = expected(name)
    got = [c for c in comments_of(parse(reddit_json.FAMILY, real(name))) if not c.placeholder]
    rows = want["comments"]
    assert len(got) == len(rows) == want["summary"]["n_comments"]
    for c, row in zip(got, rows, strict=True):
        assert c.id == row["id"]
        assert c.parent_id == _reddit_parent(row["parent"])
        assert c.depth == row["depth"]
        # "[deleted]" is the page's stand-in for a gone account: parsed as no author.
        assert c.author == (None if row["author"] == "[deleted]" else row["author"])
        assert (c.score, c.score_label) == (row["score"], "points")
        assert c.timestamp is not None
        assert moment(c.timestamp.iso) == datetime.fromtimestamp(row["created_utc"], tz=UTC)
        assert c.timestamp.precision == "second"
        assert bool(c.quotes) == row["has_quote"], c.id
    summary = want["summary"]
    assert sum(c.depth == 1 for c in got) == summary["top_level"]
    assert max(c.depth for c in got) == summary["max_depth"]
    assert by_depth(got) == summary["by_depth"]
    assert sum(c.author is None for c in got) == summary["deleted_authors"]


@pytest.mark.parametrize("name", REDDIT)
def test_reddit_more_stubs_are_placeholders_where_they_stand(name: str) -> None:
    want = expected(name)
    stubs = [c for c in comments_of(parse(reddit_json.FAMILY, real(name))) if c.placeholder]
    got = [(c.parent_id, c.depth, c.hidden_count) for c in stubs]
    assert got == [(_reddit_parent(s["parent"]), s["depth"], s["count"])
                   for s in want["more_stubs"]]
    assert sum(c.hidden_count or 0 for c in stubs) == want["summary"][
        "more_stub_hidden_count_total"]
    assert all(not c.author and not c.text for c in stubs)


@pytest.mark.parametrize("name", REDDIT)
def test_reddit_article_from_submission(name: str) -> None:
    sub = expected(name)["submission"]
    article = parse(reddit_json.FAMILY, real(name))[0].article
    assert article.title == sub["title"]
    assert article.declared_comment_count == sub["num_comments"]
    assert article.url is not None
    assert f"/r/{sub['subreddit']}/comments/{sub['id']}/" in article.url
    assert article.published is not None


def test_reddit_quote_reply_is_explicit_unlinked_segment() -> None:
    name = REDDIT[1]
    thread = parse(reddit_json.FAMILY, real(name))[0]
    quoted = [c for c in thread.comments if c.quotes]
    assert [c.id for c in quoted] == [r["id"] for r in expected(name)["comments"]
                                      if r["has_quote"]]
    seg = quoted[0].quotes[0]
    assert (seg.kind, seg.source_id) == ("explicit", None)
    assert seg.text
    assert seg.text in quoted[0].text


def test_markdown_quotes_blocks_answers_and_lazy_lines() -> None:
    text = ("intro\n\n> first quote\ncontinued lazily\n\nanswer one\n\n"
            ">> nested\n> outer\n\nanswer two")
    segs = reddit_json.markdown_quotes(text)
    assert [(s.text, s.answer) for s in segs] == [
        ("first quote\ncontinued lazily", "answer one"),
        ("> nested\nouter", "answer two"),
    ]
    assert reddit_json.markdown_quotes("no quote > here") == ()


def _t1(cid: str, body: str = "text", replies: Any = "", **extra: Any) -> dict[str, Any]:
    return {"kind": "t1", "data": {"id": cid, "author": "u", "body": body, "score": 1,
                                   "created_utc": 1439801151.0, "replies": replies, **extra}}


def _listing(*children: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "Listing", "data": {"children": list(children)}}


def _reddit_doc(data: Any) -> Document:
    return Document("inline.json", json.dumps(data).encode())


def test_reddit_bare_listing_gone_bodies_hidden_scores_and_continue_stubs() -> None:
    """A bare comments listing of a sub-thread (its first comment answers one not in it)."""
    cont = {"kind": "more", "data": {"id": "_", "count": 0, "children": [], "parent_id": "t1_a"}}
    data = _listing(
        _t1("a", "[removed]", _listing(cont), parent_id="t1_zzz"),
        _t1("b", "hi", _listing(dict(cont)), author="[deleted]", score_hidden=True),
    )
    doc = _reddit_doc(data)
    assert reddit_json.detect(doc) >= CLAIM
    thread = reddit_json.parse(doc, ParseContext())[0]
    a, stub_a, b, stub_b = thread.comments
    assert (a.parent_id, a.deleted, a.text) == (None, True, "")
    assert (b.author, b.deleted, b.score, b.score_label) == (None, False, None, None)
    assert stub_a.placeholder
    assert stub_a.parent_id == "a"
    assert stub_a.hidden_count is None
    assert stub_b.id != stub_a.id
    assert stub_b.parent_id == "b"
    assert thread.article.title is None


def test_reddit_walk_is_iterative_for_very_deep_chains() -> None:
    depth = 5000  # far beyond the recursion limit: a recursive walk would fail
    node = _t1(f"c{depth}")
    for i in range(depth - 1, 0, -1):
        node = _t1(f"c{i}", replies=_listing(node))
    doc = Document("deep.json", b'[{"kind": "Listing"}]')
    doc.__dict__["json"] = [_listing(node)]  # built in memory: json.loads itself recurses
    thread = reddit_json.parse(doc, ParseContext())[0]
    assert len(thread) == depth
    assert thread.max_depth == depth


def test_reddit_rejects_json_without_listing() -> None:
    with pytest.raises(InputError, match="Listing"):
        reddit_json.parse(_reddit_doc({"kind": "t1"}), ParseContext())


# --------------------------------------------------------------------- Hacker News


def _subtree_size(thread: Thread, comment: Comment) -> int:
    return 1 + sum(1 for _ in thread.walk(comment.id))


def test_hn_page_matches_expected() -> None:
    want = expected(HN)
    story = HN.rsplit("_", maxsplit=1)[-1].removesuffix(".html")
    thread = parse(hackernews.FAMILY, real(HN))[0]
    rows = want["comments"]
    assert len(thread) == len(rows) == want["summary"]["n_comments"]
    for c, row in zip(thread.comments, rows, strict=True):
        assert c.id == row["id"]
        assert c.parent_id == (None if row["parent"] == story else row["parent"])
        assert c.depth == row["depth"] == row["indent"] + 1
        assert c.author == row["author"]
        assert c.timestamp is not None
        assert c.timestamp.iso == row["time"]
        assert c.score is None  # HN shows no comment scores
        # The page's collapse toggle counts the comment and everything under it.
        assert _subtree_size(thread, c) == row["togg_n_subtree"]
        assert c.text
    assert by_depth(list(thread.comments)) == want["summary"]["by_depth"]
    assert thread.article.title
    assert thread.article.declared_comment_count == len(rows)


def test_hn_relative_times_resolve_against_now_when_titles_are_gone() -> None:
    """Without the title attribute the "33 minutes ago" text is used, against --now."""
    want = expected(HN)
    page = re.sub(r'title="(\d{4}-)', r'data-x="\1', real(HN).read_text("utf-8"))
    first = want["comments"][0]
    minutes = int(first["time_text"].split()[0])
    now = datetime.fromisoformat(first["time"]).timestamp() + minutes * 60
    thread = hackernews.parse(Document("hn.html", page.encode()),
                              ParseContext(now=datetime.fromtimestamp(now)))[0]
    for c, row in zip(thread.comments, want["comments"], strict=True):
        assert c.timestamp is not None
        assert c.timestamp.precision == "relative"
        gap = abs(moment(c.timestamp.iso) - datetime.fromisoformat(row["time"]))
        assert gap.total_seconds() < 60, (c.id, c.timestamp, row["time"])


def test_hn_firebase_nested_kids() -> None:
    thread = parse(hackernews.FAMILY, SYNTHETIC / "hn_firebase_nested.json")[0]
    shape = [(c.id, c.parent_id, c.depth, c.deleted, c.placeholder) for c in thread.comments]
    assert shape == [
        ("9001", None, 1, False, False),
        ("9003", "9001", 2, False, False),
        ("more_9003", "9003", 3, False, True),
        ("9004", "9001", 2, True, False),
        ("9002", None, 1, True, False),
    ]
    assert thread.get("more_9003").hidden_count == 2
    assert thread.get("9003").quotes[0].text == "the numbers are wrong"
    assert thread.get("9003").quotes[0].answer == "They match the report."
    assert thread.get("9001").timestamp is not None
    assert thread.article.declared_comment_count == 7


def test_hn_algolia_children_and_deleted_parent() -> None:
    thread = parse(hackernews.FAMILY, SYNTHETIC / "hn_algolia_item.json")[0]
    shape = [(c.id, c.parent_id, c.depth, c.author, c.deleted) for c in thread.comments]
    assert shape == [
        ("8001", None, 1, None, True),
        ("8002", "8001", 2, "delta", False),
        ("8003", "8002", 3, "epsilon", False),
        ("8004", None, 1, "zeta", False),
    ]
    stamp = thread.get("8002").timestamp
    assert stamp is not None
    assert moment(stamp.iso) == moment("2021-07-31T08:05:00Z")


def test_hn_flat_item_list_linked_by_parent() -> None:
    items = [
        {"id": 2, "type": "comment", "by": "b", "parent": 1, "time": 1627759400, "text": "x"},
        {"id": 1, "type": "story", "by": "a", "time": 1627759300, "title": "T", "kids": [2]},
        {"id": 3, "type": "comment", "by": "c", "parent": 2, "time": 1627759500, "text": "y"},
        {"id": 4, "type": "comment", "by": "d", "parent": 99, "time": 1627759600, "text": "z"},
    ]
    doc = Document("items.json", json.dumps(items).encode())
    assert hackernews.detect(doc) >= CLAIM
    thread = hackernews.parse(doc, ParseContext())[0]
    assert [(c.id, c.parent_id, c.depth) for c in thread.comments] == [
        ("2", None, 1), ("3", "2", 2), ("4", None, 1)]
    assert thread.article.title == "T"


# --------------------------------------------------------------------- Disqus


def test_disqus_export_matches_expected() -> None:
    want = expected(DISQUS)
    threads = parse(disqus.FAMILY, real(DISQUS))
    assert len(threads) == want["summary"]["threads"]
    got = comments_of(threads)
    rows = want["comments"]
    assert len(got) == len(rows) == want["summary"]["n_posts"]
    for c, row in zip(got, rows, strict=True):
        assert (c.id, c.parent_id, c.depth) == (row["id"], row["parent"], row["depth"])
        assert c.author == row["author"]
        assert c.deleted == (row["deleted"] or row["spam"])
        assert c.timestamp is not None
        assert moment(c.timestamp.iso) == moment(row["time"])
    summary = want["summary"]
    assert sum(c.parent_id is not None for c in got) == summary["with_parent"]
    assert sum(c.deleted for c in got) == summary["deleted"]
    assert by_depth(got) == summary["by_depth"]
    source = threads[0].source
    assert source is not None
    assert source.thread_key == rows[0]["thread"]
    assert threads[0].article.title
    assert threads[0].article.url


EXPORT = b"""<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="T1"><link>https://example.org/a</link><title>Article A</title></thread>
<thread dsq:id="T2"><link>https://example.org/b</link><title>Article B</title></thread>
<thread dsq:id="T3"><link>https://example.org/c</link><title>No comments</title></thread>
<post dsq:id="p3"><message><![CDATA[<p>reply to p1</p>]]></message>
 <createdAt>2020-01-01T10:02:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
 <author><name>Cy</name></author><thread dsq:id="T1"/><parent dsq:id="p1"/></post>
<post dsq:id="p2"><message><![CDATA[<p>on B</p>]]></message>
 <createdAt>2020-01-01T10:01:00Z</createdAt><isDeleted>false</isDeleted><isSpam>true</isSpam>
 <author><name>Bo</name></author><thread dsq:id="T2"/></post>
<post dsq:id="p1"><message><![CDATA[<blockquote>quoted</blockquote><p>own words</p>]]></message>
 <createdAt>2020-01-01T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
 <author><name>Al</name></author><thread dsq:id="T1"/></post>
<post dsq:id="p4"><message><![CDATA[<p>parent purged</p>]]></message>
 <createdAt>2020-01-01T10:03:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
 <author><name>Di</name></author><thread dsq:id="T2"/><parent dsq:id="gone"/></post>
</disqus>
"""


def test_disqus_multi_thread_export_one_thread_per_article() -> None:
    doc = Document("export.xml", EXPORT)
    assert disqus.detect(doc) >= CLAIM
    threads = disqus.parse(doc, ParseContext())
    assert [(t.source.thread_key if t.source else None, t.article.title) for t in threads] == [
        ("T1", "Article A"), ("T2", "Article B")]
    first, second = threads
    assert [(c.id, c.parent_id, c.depth) for c in first.comments] == [
        ("p3", "p1", 2), ("p1", None, 1)]
    assert [(c.id, c.parent_id, c.deleted) for c in second.comments] == [
        ("p2", None, True), ("p4", None, False)]
    quote = first.get("p1").quotes[0]
    assert (quote.text, quote.answer, quote.kind) == ("quoted", "own words", "explicit")
    for thread in load_document(doc, site="disqus"):
        validate(thread_document(thread))
        assert thread.source is not None
        assert thread.source.thread_key in ("T1", "T2")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE disqus [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<disqus><post><message>&d;</message></post></disqus>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE disqus [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<disqus><post><message>&secret;</message></post></disqus>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY,
                                  BILLION_LAUGHS.decode().encode("utf-16")])
def test_disqus_refuses_entity_declarations(data: bytes) -> None:
    with pytest.raises(InputError, match="entities"):
        disqus.parse(Document("bad.xml", data), ParseContext())


def test_disqus_external_dtd_is_not_fetched_and_broken_xml_is_input_error() -> None:
    ok = b'<?xml version="1.0"?><!DOCTYPE disqus SYSTEM "http://127.0.0.1:9/x.dtd"><disqus/>'
    assert disqus.parse(Document("dtd.xml", ok), ParseContext()) == []
    with pytest.raises(InputError, match="well-formed"):
        disqus.parse(Document("cut.xml", EXPORT[:400]), ParseContext())
    with pytest.raises(InputError, match="root"):
        disqus.parse(Document("rss.xml", b"<?xml version='1.0'?><disqus/>".replace(
            b"disqus", b"rss")), ParseContext())


def test_disqus_embed_html_synthetic() -> None:
    now = datetime(2016, 9, 1, 12, 0)
    thread = parse(disqus.FAMILY, SYNTHETIC / "disqus_embed.html", now=now)[0]
    shape = [(c.id, c.parent_id, c.depth, c.author, c.score, c.deleted) for c in thread.comments]
    assert shape == [
        ("1001", None, 1, "Alice", 4, False),
        ("1002", "1001", 2, "Bob", 0, False),
        ("1003", "1002", 3, "Guest", None, False),
        ("1004", None, 1, None, None, True),
    ]
    assert thread.get("1001").score_label == "likes"
    stamp = thread.get("1001").timestamp
    assert stamp is not None
    assert stamp.iso.startswith("2013-09-23T05:49")
    relative = thread.get("1003").timestamp
    assert relative is not None
    assert relative.precision == "relative"
    assert relative.iso.startswith("2016-09-01T10:00")
    quote = thread.get("1002").quotes[0]
    assert (quote.text, quote.answer) == ("The article gets the numbers wrong.",
                                          "No, they match the report.")


# --------------------------------------------------------------------- Discourse


def test_discourse_topic_json_matches_expected() -> None:
    want = expected(DISCOURSE)
    thread = parse(discourse.FAMILY, real(DISCOURSE))[0]
    rows = want["comments"]
    assert len(thread) == len(rows) == want["summary"]["n_comments"]
    id_of = {r["post_number"]: str(r["id"]) for r in rows}
    for c, row in zip(thread.comments, rows, strict=True):
        assert c.id == str(row["id"])
        assert c.parent_id == id_of.get(row["parent_post_number"])
        assert c.depth == row["depth"]
        assert c.author == row["author"]
        assert (c.score, c.score_label) == (row["likes"], "likes")
        assert c.timestamp is not None
        assert moment(c.timestamp.iso) == moment(row["time"])
    assert by_depth(list(thread.comments)) == want["summary"]["by_depth"]
    assert thread.article.title
    assert thread.article.declared_comment_count == len(rows)


def _topic(posts: list[dict[str, Any]], stream: list[int]) -> Document:
    data = {"id": 57, "title": "T", "posts_count": len(stream),
            "post_stream": {"posts": posts, "stream": stream}}
    return Document("topic.json", json.dumps(data).encode())


def test_discourse_json_raw_quotes_missing_parent_and_unloaded_posts() -> None:
    posts = [
        {"id": 1, "post_number": 1, "username": "ana", "created_at": "2024-01-01T00:00:00Z",
         "cooked": "<p>Opening</p>", "like_count": 2},
        {"id": 7, "post_number": 5, "username": "bo", "reply_to_post_number": 4,
         "created_at": "2024-01-02T00:00:00Z",
         "raw": '[quote="ana, post:1, topic:57"]\nOpening\n[/quote]\nAgreed.\n'
                '[quote="dee, post:2, topic:99"]elsewhere[/quote] no'},
    ]
    thread = discourse.parse(_topic(posts, [1, 3, 7, 9]), ParseContext())[0]
    bo = thread.get("7")
    # Post 4 is not in the stream: the reply cannot be linked and stays top level.
    assert (bo.parent_id, bo.depth) == (None, 1)
    assert [(q.text, q.source_author, q.source_id, q.answer) for q in bo.quotes] == [
        ("Opening", "ana", "1", "Agreed."), ("elsewhere", "dee", None, "no")]
    stub = thread.get("more_stream")
    assert stub.placeholder
    assert stub.hidden_count == 2
    assert thread.get("1").score == 2


def test_discourse_crawler_html_synthetic() -> None:
    thread = parse(discourse.FAMILY, SYNTHETIC / "discourse_crawler.html")[0]
    shape = [(c.id, c.parent_id, c.author, c.score) for c in thread.comments]
    assert shape == [("1", None, "ana", 3), ("2", None, "bo", 0), ("3", None, "cy", 1)]
    q2 = thread.get("2").quotes[0]
    assert (q2.source_author, q2.source_id, q2.kind) == ("ana", "1", "explicit")
    assert q2.answer == "Yes, for two weeks. No problems so far."
    q3 = thread.get("3").quotes[0]
    assert (q3.source_author, q3.source_id) == ("dee", None)  # quotes another topic
    printed = thread.get("3").timestamp
    assert printed is not None
    assert printed.iso.startswith("2024-03-02T20:40")
    assert thread.article.title == "Is the new release stable?"
    assert thread.article.author == "ana"


def test_discourse_crawler_html_2018_template() -> None:
    thread = parse(discourse.FAMILY, SYNTHETIC / "discourse_crawler_2018.html")[0]
    assert [(c.id, c.author, c.score) for c in thread.comments] == [
        ("1", "fay", 2), ("2", "gus", 0)]
    stamp = thread.get("2").timestamp
    assert stamp is not None
    assert moment(stamp.iso) == moment("2018-05-04T13:30:00Z")
    assert thread.get("2").quotes[0].source_author is None


def test_discourse_rejects_json_without_post_stream_list() -> None:
    with pytest.raises(InputError, match="post_stream"):
        discourse.parse(Document("x.json", b'{"post_stream": {"posts": 3}}'), ParseContext())


# --------------------------------------------------------------------- schema


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_page_exports_valid_documents(family: str) -> None:
    for path in sorted(_own(family)):
        assert_valid_export(Document.read(path), FAMILIES[family], now=datetime(2021, 8, 1))


def test_disqus_posts_without_ids_or_text_and_no_xml_declaration() -> None:
    data = (b"<disqus><post><message><![CDATA[<!-- only a comment -->]]></message></post>"
            b"<post><message> </message></post></disqus>")
    doc = Document("bare.xml", data)
    assert disqus.detect(doc) >= CLAIM
    comments = comments_of(disqus.parse(doc, ParseContext()))
    assert [(c.id, c.text) for c in comments] == [("post0", ""), ("post1", "")]


HN_EDGE = """<html><head><title>Ask HN: edge cases | Hacker News</title></head><body>
<table class="fatitem"><tr class="athing" id="500"><td class="title"><span class="titleline">
<a href="item?id=500">Ask HN: edge cases</a></span></td></tr>
<tr><td class="subtext"><span class="score">5 points</span> by <a class="hnuser">op</a>
<span class="age" title="2024-01-01T10:00:00 1704103200"><a>1 hour ago</a></span>
| <a href="item?id=500">3&nbsp;comments</a></td></tr></table>
<div class="toptext">What breaks parsers?</div>
<table class="comment-tree">
<tr class="athing comtr" id="501"><td><table><tr><td class="ind" indent="0"></td><td>
<span class="comhead"><a class="hnuser">a</a> <span class="age" title="2024-01-01T10:05:00">
<a>55 minutes ago</a></span></span><div class="comment">
<div class="commtext c00">&gt; What breaks parsers?<p>Nested tables.</p></div></div>
</td></tr></table></td></tr>
<tr class="athing comtr" id="502"><td><table><tr><td class="ind" indent="1"></td><td>
<span class="comhead"><span class="age" title="2024-01-01T10:06:00"><a>x</a></span></span>
<div class="comment"><div class="commtext c00">[deleted]</div></div></td></tr></table></td></tr>
<tr class="athing comtr" id="503"><td><table><tr><td class="ind" indent="2"></td><td>
<span class="comhead"><a class="hnuser">c</a></span>
<div class="comment"><div class="commtext c00">Reply to a deleted one.</div></div>
</td></tr></table></td></tr>
</table><a href="item?id=500&amp;p=2" class="morelink" rel="next">More</a></body></html>"""


def test_hn_indent_attribute_deleted_rows_quotes_and_more_link() -> None:
    """Synthetic HTML (the real page has spacer-width indents and no removed comments)."""
    doc = Document("hn_edge.html", HN_EDGE.encode())
    assert hackernews.detect(doc) >= CLAIM
    thread = hackernews.parse(doc, ParseContext())[0]
    shape = [(c.id, c.parent_id, c.depth, c.author, c.deleted, c.placeholder)
             for c in thread.comments]
    assert shape == [("501", None, 1, "a", False, False), ("502", "501", 2, None, True, False),
                     ("503", "502", 3, "c", False, False),
                     ("more_next_page", None, 1, None, False, True)]
    assert thread.get("502").text == ""
    assert [(q.text, q.answer) for q in thread.get("501").quotes] == [
        ("What breaks parsers?", "Nested tables.")]
    article = thread.article
    assert (article.title, article.author, article.body) == (
        "Ask HN: edge cases", "op", ("What breaks parsers?",))
    assert article.declared_comment_count == 3
    assert article.published is not None
    assert article.published.iso == "2024-01-01T10:00:00"

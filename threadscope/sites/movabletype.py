"""Movable Type blog pages (e.g. Roger Ebert's Journal): "Name | date | Reply" comments."""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.htmltools import int_or_none, select, select_one, text_of
from threadscope.model import Article, Comment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.news_common import body_with_quotes, quick_time

# MT's default templates: each comment is div.comment with id comment-<n>.
COMMENT = "div.comment[id^='comment-']"
COMMENT_ID = re.compile(r"^comment-\d+$")
AUTHOR = ".comment-header .vcard.author, .comment-header .author"
# abbr.published carries the ISO time in its title; its text is "November 9, 2012 12:13 AM".
TIME = "abbr.published, time[datetime]"
BODY = ".comment-content, .comment-body"
# Threaded MT (4.x+) either nests replies inside the parent or, in flat templates
# (Ebert's Journal), prints "NAME replied to <a href="...#comment-N">comment from X</a>"
# on div.comment.comment-reply; both are read.
REPLY_LINK = ".comment-header a[href*='#comment-'], .comment-meta a[href*='#comment-']"
REPLY_TEXT = re.compile(r"in reply to|replied to", re.IGNORECASE)
ENTRY_TITLE = ".asset-header .asset-name, h1.entry-title, h2.entry-header"
ENTRY_BODY = ".asset-body"
ENTRY_MORE = ".asset-more"
ENTRY_AUTHOR = ".asset-header .vcard.author"
ENTRY_TIME = ".asset-header abbr.published"
COMMENTS_HEADER = ".comments-header"
# MT's comment markup, looked for only once the head says Movable Type.
COMMENT_MARKUP = re.compile(r"""<div id=["']comment-\d+["'] class=["']comment""")
# The generator meta tag and MT's reply script name are cheap, reliable head markers.
HEAD_MARKERS = ('content="movable type', "mtreplycommentonclick", "mt-comments.cgi")


def detect(doc: Document) -> float:
    """Claim Movable Type pages that carry a comment list."""
    if not doc.looks_like_html:
        return 0.0
    head = doc.head
    if any(m in head for m in HEAD_MARKERS) and COMMENT_MARKUP.search(doc.text):
        return 0.9
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The entry and its comments (flat unless the template threads them)."""
    root = doc.html
    blocks = [b for b in select(root, COMMENT) if COMMENT_ID.match(b.get("id") or "")]
    ids = {b.get("id") for b in blocks}
    article = _article(root)
    reference = _reference(article, ctx)
    comments = [_comment(b, ids, reference) for b in blocks]
    return [build_thread(article, comments)]


def _reference(article: Article, ctx: ParseContext) -> datetime | None:
    if ctx.now is not None:
        return ctx.now
    if article.published is None:
        return None
    return datetime.fromisoformat(article.published.iso).replace(tzinfo=None)


def _comment(block: etree._Element, ids: set[str | None], ref: datetime | None) -> Comment:
    cid = block.get("id") or ""
    body = select_one(block, BODY)
    text, quotes = body_with_quotes(body) if body is not None else ("", ())
    author = select_one(block, AUTHOR)
    return Comment(
        id=cid, parent_id=_parent(block, ids), depth=0,
        author=text_of(author) or None if author is not None else None,
        timestamp=_time(select_one(block, TIME), ref), text=text, quotes=quotes,
    )


def _parent(block: etree._Element, ids: set[str | None]) -> str | None:
    for anc in block.iterancestors("div"):
        if anc.get("id") in ids:
            return anc.get("id")
    for link in select(block, REPLY_LINK):
        before = _text_before(link)
        target = (link.get("href") or "").rsplit("#", 1)[-1]
        if REPLY_TEXT.search(before) and target in ids and target != block.get("id"):
            return target
    return None


def _text_before(link: etree._Element) -> str:
    """The text right before a link ("NAME replied to")."""
    prev = link.getprevious()
    if prev is not None:
        return prev.tail or ""
    parent = link.getparent()
    return (parent.text or "") if parent is not None else ""


def _time(node: etree._Element | None, ref: datetime | None) -> Timestamp | None:
    if node is None:
        return None
    raw = text_of(node)
    iso = node.get("title") or node.get("datetime")
    stamp = parse_time(iso) if iso else None
    if stamp is not None:
        return Timestamp(iso=stamp.iso, precision=stamp.precision, raw=" ".join(raw.split()))
    return quick_time(raw, ref, ["en"])


def _article(root: etree._Element) -> Article:
    title = select_one(root, ENTRY_TITLE)
    paragraphs: list[str] = []
    for part in (select_one(root, ENTRY_BODY), select_one(root, ENTRY_MORE)):
        paragraphs.extend(p for p in text_of(part).split("\n\n") if p)
    author = select_one(root, ENTRY_AUTHOR)
    header = select_one(root, COMMENTS_HEADER)
    canonical = select_one(root, "link[rel=canonical]")
    return Article(
        title=text_of(title) or None, body=tuple(paragraphs),
        url=canonical.get("href") if canonical is not None else None,
        author=text_of(author) or None,
        published=_time(select_one(root, ENTRY_TIME), None),
        declared_comment_count=int_or_none(text_of(header)) if header is not None else None,
    )


FAMILY = SiteFamily(
    name="movabletype",
    description="Movable Type blogs (Roger Ebert's Journal): 'Name | date | Reply' comments",
    detect=detect,
    parse=parse,
    examples=("dragnet/R990.html",),
)

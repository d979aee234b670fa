"""SB Nation blog pages (2012 community comments): nested div.citem with recs."""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from threadscope.document import Document
from threadscope.htmltools import int_or_none, select, select_one, text_of
from threadscope.model import Article, Comment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.news_common import body_with_quotes, by_id, quick_time

# A comment is div.citem#comment_item_<n>; its replies are nested inside it.
COMMENT = "div.citem"
COMMENT_ID = re.compile(r"^comment_item_(\d+)$")
# The comment's own header, body and byline sit in div#comment_inner_<n>, before replies.
INNER_ID = "comment_inner_{cid}"
TITLE = "h5.comment_title"
BODY_ID = "comment_body_{cid}"
# Signatures repeat under every comment by the same user: not the comment's words.
SKIP = ("sig",)
BYLINE = "p.by"
TIME = "span.time"
RATING_ID = "comment_rating_{cid}"
# "3  recs" inside span#comment_rating_<n>; empty when nobody recommended it.
RECS = re.compile(r"(\d+)\s*recs?\b")
ENTRY = "div.entry"
ENTRY_TITLE = "h1.title"
ENTRY_BYLINE = "p.byline"
ENTRY_BODY = "div.entry-body"
ENTRY_COUNT = "span.update-with-count"
# The comment script and CDN are SB Nation's own names: cheap head markers.
HEAD_MARKERS = ("sbn.comments", "cdn3.sbnation.com", "sbnation.com/stylesheets", "sbnation")


def detect(doc: Document) -> float:
    """Claim SB Nation pages with their comment list."""
    if not doc.looks_like_html:
        return 0.0
    if any(m in doc.head for m in HEAD_MARKERS[:3]) and "comment_item_" in doc.text:
        return 0.9
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The entry and its nested comments."""
    root = doc.html
    article = _article(root)
    reference = ctx.now
    if reference is None and article.published is not None:
        reference = datetime.fromisoformat(article.published.iso)
    blocks = [b for b in select(root, COMMENT) if COMMENT_ID.match(b.get("id") or "")]
    index = by_id(root)
    return [build_thread(article, [_comment(b, index, reference) for b in blocks])]


def _cid(block: etree._Element) -> str:
    match = COMMENT_ID.match(block.get("id") or "")
    return match.group(1) if match else ""


def _parent(block: etree._Element) -> str | None:
    for anc in block.iterancestors("div"):
        if COMMENT_ID.match(anc.get("id") or ""):
            return _cid(anc)
    return None


def _comment(block: etree._Element, index: dict[str, etree._Element],
             reference: datetime | None) -> Comment:
    cid = _cid(block)
    body = index.get(BODY_ID.format(cid=cid))
    text, quotes = body_with_quotes(body, skip=SKIP) if body is not None else ("", ())
    inner = index.get(INNER_ID.format(cid=cid))
    inner = block if inner is None else inner
    byline = select_one(inner, BYLINE)
    title = select_one(inner, TITLE)
    rating = index.get(RATING_ID.format(cid=cid))
    recs = RECS.search(text_of(rating)) if rating is not None else None
    return Comment(
        id=cid, parent_id=_parent(block), depth=0,
        author=_author(byline), timestamp=_time(byline, reference),
        score=int(recs.group(1)) if recs else None, score_label="recs" if recs else None,
        title=text_of(title) or None if title is not None else None,
        text=text, quotes=quotes,
    )


def _author(byline: etree._Element | None) -> str | None:
    if byline is None:
        return None
    link = select_one(byline, "a")
    return text_of(link) or None if link is not None else None


def _time(byline: etree._Element | None, reference: datetime | None) -> Timestamp | None:
    node = select_one(byline, TIME) if byline is not None else None
    return quick_time(text_of(node), reference, ["en"]) if node is not None else None


def _article(root: etree._Element) -> Article:
    entry = select_one(root, ENTRY)
    if entry is None:
        return Article()
    title = select_one(entry, ENTRY_TITLE)
    byline = select_one(entry, ENTRY_BYLINE)
    links = select(byline, "a") if byline is not None else []
    count = select_one(entry, ENTRY_COUNT)
    body = select_one(entry, ENTRY_BODY)
    return Article(
        title=text_of(title) or None,
        body=tuple(p for p in text_of(body).split("\n\n") if p),
        url=links[1].get("href") if len(links) > 1 else None,
        author=text_of(links[0]) or None if links else None,
        published=quick_time(text_of(links[1])) if len(links) > 1 else None,
        declared_comment_count=int_or_none(text_of(count)) if count is not None else None,
    )


FAMILY = SiteFamily(
    name="sbnation",
    description="SB Nation blogs (2012 community comments: nested, recs as score)",
    detect=detect,
    parse=parse,
    examples=("dragnet/T50.html",),
)

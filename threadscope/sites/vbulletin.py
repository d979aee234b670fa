"""vBulletin 3 and 4 thread pages: flat posts around div#post_message_N, quoted posts linked."""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.htmltools import select, select_one, text_of
from threadscope.model import Article, Comment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.forum_common import (
    QuoteInfo,
    attribution_author,
    clean,
    link_quotes,
    meta_content,
    page_languages,
    page_url,
    split_quotes,
)

# vBulletin threads are flat: every post is top level (depth 1). A post quoting
# another ("Originally Posted by X", "Zitat von X") is recorded as a quote segment
# linked to that post, not as its child: the engine does not nest replies.

# Every post's text, in both generations: <div id="post_message_N">.
MESSAGE = "div[id^='post_message_']"
MESSAGE_ID = re.compile(r"^post_message_(\d+)$")
# The post around it: vB4 postbit_legacy <li class="postbitlegacy" id="post_N">,
# vB3 postbit_legacy <table id="postN"> (wrapped in div#editN).
CONTAINER_ID = re.compile(r"^post_?(\d+)$")
# Author: vB4 .username_container a.username (name in <strong>); vB3 a.bigusername.
AUTHOR = (".username_container .username", "a.username", "a.bigusername", ".username")
# Time: vB4 span.postdate > span.date ("03-03-2011, <span class=time>02:17 PM</span>");
# vB3 prints it as loose text in the first td.thead of the post table.
VB4_DATE = "span.postdate span.date, span.postdate"
VB3_HEAD = "td.thead"
# Quotes: vB4 div.bbcode_container > div.bbcode_quote, attribution div.bbcode_postedby,
# text div.message; vB3 a table cell td.alt2 styled "border:1px inset".
VB4_QUOTE = "div.bbcode_container"
VB4_POSTED_BY = "div.bbcode_postedby"
VB3_QUOTE = "td.alt2[style*='inset']"
# "Quote:" / "Zitat:" label and code-box labels above vB3 boxes (class smallfont).
SKIP = ("smallfont", "bbcode_description", "bbcode_quote_container")
# "showthread.php?p=1233#post1233" in the attribution links to the quoted post.
SOURCE_LINK = re.compile(r"(?:[?&]p=|#post)(\d+)")
# vB4 marks soft-deleted posts with postbitdeleted (text: "deleted by X").
DELETED_CLASS = "postbitdeleted"
TITLE = ("span.threadtitle", "#pagetitle .threadtitle", "h1", "td.navbar strong")
# Cheap head markers: the generator meta, vBulletin's scripts and styles.
HEAD_MARKERS = ("vbulletin", "vb_login", "vbmenu_register", "clientscript/vbulletin")


def detect(doc: Document) -> float:
    """Claim vBulletin thread pages (engine markers plus post_message divs)."""
    if not doc.looks_like_html or not any(m in doc.head for m in HEAD_MARKERS):
        return 0.0
    return 0.95 if 'id="post_message_' in doc.text else 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The thread's posts in page order, each top level, quotes linked to their posts."""
    root = doc.html
    languages = page_languages(root)
    comments: list[Comment] = []
    seen: set[str] = set()
    for message in select(root, MESSAGE):
        comment = _post(message, languages, ctx.now)
        if comment is not None and comment.id not in seen:
            seen.add(comment.id)
            comments.append(comment)
    return [build_thread(_article(root), link_quotes(comments))]


def _container(message: etree._Element) -> etree._Element:
    for anc in message.iterancestors("li", "table", "div"):
        if CONTAINER_ID.match(anc.get("id") or ""):
            return anc
    return message


def _post(
    message: etree._Element, languages: list[str] | None, now: datetime | None
) -> Comment | None:
    match = MESSAGE_ID.match(message.get("id") or "")
    if not match:
        return None
    post = _container(message)
    text, quotes = split_quotes(message, quote_css=f"{VB4_QUOTE}, {VB3_QUOTE}", skip=SKIP,
                                reader=_quote)
    return Comment(
        id=f"post-{match.group(1)}", parent_id=None, depth=1,
        author=_author(post), timestamp=_time(post, languages, now),
        text=text, quotes=quotes,
        deleted=DELETED_CLASS in (post.get("class") or ""),
    )


def _author(post: etree._Element) -> str | None:
    for css in AUTHOR:
        node = select_one(post, css)
        if node is not None:
            name = clean(text_of(node))
            if name:
                return name
    return None


def _time(
    post: etree._Element, languages: list[str] | None, now: datetime | None
) -> Timestamp | None:
    node = select_one(post, VB4_DATE)
    if node is not None:
        raw = " ".join(text_of(node).split())
    else:
        head = select_one(post, VB3_HEAD)
        if head is None:
            return None
        loose = [head.text or ""] + [child.tail or "" for child in head]
        raw = " ".join(" ".join(loose).split())
    return parse_time(raw, reference=now, languages=languages) if raw else None


def _quote(quote: etree._Element) -> QuoteInfo:
    """Author and linked post of a quote box, from its "Originally Posted by" line."""
    attribution = next((n for n in select(quote, VB4_POSTED_BY) if _owner(n) is quote), None)
    if attribution is None:
        attribution = next((div for div in quote.iter("div") if _owner(div) is quote
                            and attribution_author(text_of(div))), None)
    if attribution is None:
        return QuoteInfo()
    strong = select_one(attribution, "strong")
    author = clean(text_of(strong)) if strong is not None else None
    author = author or attribution_author(text_of(attribution))
    link = select_one(attribution, "a[href]")
    match = SOURCE_LINK.search(link.get("href") or "") if link is not None else None
    return QuoteInfo(author=author, source_id=f"post-{match.group(1)}" if match else None,
                     attribution=attribution)


def _owner(node: etree._Element) -> etree._Element | None:
    """The innermost quote box holding node (a nested quote's line is not the outer's)."""
    for anc in node.iterancestors():
        classes = (anc.get("class") or "").split()
        if "bbcode_container" in classes or (anc.tag == "td" and "inset" in
                                             (anc.get("style") or "")):
            return anc
    return None


def _article(root: etree._Element) -> Article:
    title = next((n for n in (select_one(root, css) for css in TITLE) if n is not None), None)
    name = clean(text_of(title)) if title is not None else meta_content(root, "og:title")
    return Article(title=name, url=page_url(root))


FAMILY = SiteFamily(
    name="vbulletin",
    description="vBulletin 3/4 threads (flat posts; 'Originally Posted by'/'Zitat von' quotes)",
    detect=detect,
    parse=parse,
    examples=("fixtures/synthetic/vbulletin4_thread.html",
              "fixtures/synthetic/vbulletin3_thread_de.html"),
)

"""vBulletin 3, 4 and 5 thread pages: posts (div#post_message_N, li.b-post), quotes linked."""

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
    first_text,
    forum_time,
    link_quotes,
    meta_content,
    page_languages,
    page_url,
    split_quotes,
)

# vBulletin 3/4 threads are flat: every post is top level (depth 1). A post quoting
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

# vBulletin 5 (Connect): <li class="b-post" data-node-id=N data-node-publishdate=epoch>;
# comments on a post are li.b-comment nodes printed inside it, so they nest under it.
VB5_NODE = "li.b-post[data-node-id], li.b-comment[data-node-id]"
VB5_TEXT = ".js-post__content-text, .js-comment-content, .b-comment__content"
VB5_AUTHOR = ("[itemprop=author] [itemprop=name]", ".b-userinfo .author", ".b-comment__author",
              ".author")
VB5_TIME = "time[datetime], .b-post__timestamp, .b-comment__date"
VB5_MARKERS = ('class="b-post', "data-node-id=")


def detect(doc: Document) -> float:
    """Claim vBulletin thread pages (engine markers plus post_message divs or b-post nodes)."""
    if not doc.looks_like_html or not any(m in doc.head for m in HEAD_MARKERS):
        return 0.0
    text = doc.text
    if 'id="post_message_' in text or all(m in text for m in VB5_MARKERS):
        return 0.95
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The thread's posts in page order, each top level, quotes linked to their posts."""
    root = doc.html
    languages = page_languages(root)
    nodes = select(root, VB5_NODE)
    if nodes and select_one(root, MESSAGE) is None:
        vb5 = [_vb5_node(node, languages, ctx.now) for node in nodes]
        return [build_thread(_article(root), link_quotes(vb5))]
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
        author=first_text(post, AUTHOR), timestamp=_time(post, languages, now),
        text=text, quotes=quotes,
        deleted=DELETED_CLASS in (post.get("class") or ""),
    )


def _vb5_node(node: etree._Element, languages: list[str] | None, now: datetime | None) -> Comment:
    holder = next((a for a in node.iterancestors("li") if a.get("data-node-id")), None)
    body = _vb5_own(node, VB5_TEXT)
    text, quotes = split_quotes(body, quote_css=VB4_QUOTE, skip=SKIP, reader=_quote) \
        if body is not None else ("", ())
    author = next((n for n in (_vb5_own(node, css) for css in VB5_AUTHOR) if n is not None),
                  None)
    return Comment(
        id=f"post-{node.get('data-node-id')}",
        parent_id=f"post-{holder.get('data-node-id')}" if holder is not None else None,
        depth=0, author=clean(text_of(author)) if author is not None else None,
        timestamp=_vb5_time(node, languages, now), text=text, quotes=quotes,
        deleted="b-post--deleted" in (node.get("class") or ""),
    )


def _vb5_own(node: etree._Element, css: str) -> etree._Element | None:
    """First match inside this node but not inside a comment node printed within it."""
    for found in select(node, css):
        if next((a for a in found.iterancestors("li") if a.get("data-node-id")), None) is node:
            return found
    return None


def _vb5_time(
    node: etree._Element, languages: list[str] | None, now: datetime | None
) -> Timestamp | None:
    """The publish epoch on the node, else its <time datetime>, else the printed date."""
    epoch = node.get("data-node-publishdate")
    if epoch and epoch.isdigit():
        return parse_time(int(epoch))
    when = _vb5_own(node, VB5_TIME)
    if when is None:
        return None
    return forum_time(when.get("datetime") or text_of(when), reference=now, languages=languages)


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
    return forum_time(raw, reference=now, languages=languages) if raw else None


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
    description="vBulletin 3/4/5 threads (flat posts; 'Originally Posted by'/'Zitat von' quotes)",
    detect=detect,
    parse=parse,
    examples=("fixtures/synthetic/vbulletin4_thread.html",
              "fixtures/synthetic/vbulletin3_thread_de.html",
              "fixtures/synthetic/vbulletin5_thread.html"),
)

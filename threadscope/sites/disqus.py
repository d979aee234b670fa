"""Disqus: XML exports (one thread per article, parsed safely) and the embedded comment HTML.

An export lists ``<thread>`` elements (the articles) and then ``<post>``
elements that name their thread and parent by ``dsq:id``; parents may come
after their replies. Each article with posts becomes one Thread whose
``Source.thread_key`` is the thread's ``dsq:id``. The XML is parsed with entity
expansion, DTD loading and network access off; a DTD declaring entities is
refused (billion-laughs and external-entity payloads never reach the parser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.errors import InputError
from threadscope.htmltools import int_or_none, parse_html, select, select_one, text_of
from threadscope.model import (
    Article,
    Comment,
    QuoteSegment,
    Source,
    Thread,
    Timestamp,
    build_thread,
)
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.news_common import body_with_quotes

# --- XML export ---------------------------------------------------------------

# The export's root element and namespace (older exports repeat the root name only).
XML_ROOT = re.compile(r"<disqus[\s>]")
DSQ_ID = "{http://disqus.com/disqus-internals}id"
# Any entity declaration means a crafted or broken file: exports never declare one.
# Also searched with NUL bytes dropped, so a UTF-16 file cannot hide one.
ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
TRUE = "true"

# --- embedded HTML (the comment iframe's page, saved) -------------------------

# The embed's list of posts; replies nest in ul.children under their parent li.
HTML_MARKERS = ('id="post-list"', 'class="post-list')
HTML_MESSAGE_MARKER = 'data-role="message"'
POST = "li.post"
POST_ID = re.compile(r"^post-(\d+)$")
AUTHOR = ".post-byline .author"
# The time link: title holds the absolute time in the reader's language.
TIME = "a.time-ago, [data-role=relative-time]"
MESSAGE = "div.post-message"
LIKES = "[data-role=likes]"
LIKES_LABEL = "likes"
# Deleted posts keep their li; the class or the stock message says so.
DELETED_CLASS = re.compile(r"\bdeleted\b")
DELETED_TEXT = re.compile(r"^this comment (was|has been) (deleted|removed)", re.IGNORECASE)


def detect(doc: Document) -> float:
    """Claim Disqus XML exports and saved Disqus comment HTML."""
    if _is_xml(doc):
        return 0.95 if XML_ROOT.search(doc.head[:4096]) else 0.0
    if not doc.looks_like_html:
        return 0.0
    text = doc.text
    if any(m in text for m in HTML_MARKERS) and HTML_MESSAGE_MARKER in text:
        return 0.9
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """One thread per article (XML export), or the embedded page's one thread."""
    if _is_xml(doc):
        return _parse_export(doc)
    return [_parse_embed(doc.html, ctx.now)]


def _is_xml(doc: Document) -> bool:
    """An XML declaration, or an export saved without one (starts at <disqus>)."""
    return doc.looks_like_xml or bool(XML_ROOT.match(doc.stripped[:64].lower()))


# --- XML export ---------------------------------------------------------------


@dataclass(slots=True)
class _Bucket:
    """Posts gathered for one export thread, with the thread's own fields."""

    article: Article = field(default_factory=Article)
    posts: list[tuple[Comment, str | None]] = field(default_factory=list)


def _parse_export(doc: Document) -> list[Thread]:
    root = _safe_root(doc)
    buckets: dict[str, _Bucket] = {}
    for index, element in enumerate(root):
        name = _local(element)
        if name == "thread":
            key = element.get(DSQ_ID) or ""
            buckets.setdefault(key, _Bucket()).article = _thread_article(element)
        elif name == "post":
            key = _ref(element, "thread") or ""
            buckets.setdefault(key, _Bucket()).posts.append(_post(element, index))
    threads = []
    for key, bucket in buckets.items():
        if not bucket.posts:
            continue  # every page Disqus saw is a <thread>; uncommented ones say nothing
        source = Source(path=doc.path, sha256=doc.sha256, format="xml", site="disqus",
                        thread_key=key or None)
        threads.append(build_thread(bucket.article, _linked(bucket.posts), source))
    return threads


def _safe_root(doc: Document) -> etree._Element:
    """The export's root, parsed with no entity expansion, DTD or network."""
    if ENTITY_DECL.search(doc.data) or ENTITY_DECL.search(doc.data.replace(b"\x00", b"")):
        raise InputError("XML declares entities (refused: possible entity-expansion attack)",
                         doc.path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, recover=False)
    try:
        root = etree.fromstring(doc.data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML ({exc})", doc.path) from exc
    if root is None or _local(root) != "disqus":
        raise InputError("not a Disqus export (root element is not <disqus>)", doc.path)
    return root


def _local(element: etree._Element) -> str:
    """The tag without its namespace (QName's localname, without building a QName)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.partition("}")[2] if tag[:1] == "{" else tag


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child) == name:
            return child
    return None


def _child_text(element: etree._Element | None, name: str) -> str:
    node = _child(element, name) if element is not None else None
    return (node.text or "").strip() if node is not None else ""


def _ref(element: etree._Element, name: str) -> str | None:
    """The dsq:id of a reference child (``<thread dsq:id=..>``, ``<parent dsq:id=..>``)."""
    node = _child(element, name)
    return node.get(DSQ_ID) if node is not None else None


def _post(element: etree._Element, index: int) -> tuple[Comment, str | None]:
    """A post and the id of the post it answers (linked once all are read)."""
    author = _child(element, "author")
    name = _child_text(author, "name") or _child_text(author, "username")
    text, quotes = _message(_child_text(element, "message"))
    deleted = _child_text(element, "isDeleted") == TRUE
    # Spam stays, marked deleted: the public page hides it, yet replies may answer it.
    spam = _child_text(element, "isSpam") == TRUE
    comment = Comment(
        id=element.get(DSQ_ID) or _child_text(element, "id") or f"post{index}",
        parent_id=None,
        depth=0,
        author=name or None,
        timestamp=parse_time(_child_text(element, "createdAt") or None),
        text=text,
        quotes=quotes,
        deleted=deleted or spam,
    )
    return comment, _ref(element, "parent")


def _message(raw: str) -> tuple[str, tuple[QuoteSegment, ...]]:
    if not raw:
        return "", ()
    return body_with_quotes(_body(parse_html(f"<div>{raw}</div>")))


def _body(root: etree._Element) -> etree._Element:
    """The body of a parsed message; messages are wrapped in a div so that one
    holding only a comment or spaces is not an empty document."""
    body = select_one(root, "body")
    return body if body is not None else root


def _linked(posts: list[tuple[Comment, str | None]]) -> list[Comment]:
    """Set each parent link; a parent absent from this thread makes a top-level post.

    Disqus keeps a reply whose parent was purged, or (in merged exports) whose
    parent sits in another thread: the link cannot be drawn, the post is kept.
    """
    ids = {c.id for c, _ in posts}
    out = []
    for comment, parent in posts:
        if parent and parent in ids and parent != comment.id:
            out.append(replace(comment, parent_id=parent))
        else:
            out.append(comment)
    return out


def _thread_article(element: etree._Element) -> Article:
    author = _child(element, "author")
    message = _child_text(element, "message")
    body = text_of(_body(parse_html(f"<div>{message}</div>"))) if message else ""
    return Article(
        title=_child_text(element, "title") or None,
        body=tuple(p for p in body.split("\n\n") if p),
        url=_child_text(element, "link") or None,
        author=(_child_text(author, "name") or None) if author is not None else None,
        published=parse_time(_child_text(element, "createdAt") or None),
    )


# --- embedded HTML ------------------------------------------------------------


def _parse_embed(root: etree._Element, now: datetime | None) -> Thread:
    comments: list[Comment] = []
    for li in select(root, POST):
        cid = _post_id(li)
        if cid is None:
            continue
        comments.append(_embed_comment(li, cid, now))
    title = select_one(root, "title")
    return build_thread(Article(title=text_of(title) or None), comments)


def _post_id(li: etree._Element) -> str | None:
    match = POST_ID.match(li.get("id") or "")
    return match.group(1) if match else None


def _embed_parent(li: etree._Element) -> str | None:
    for ancestor in li.iterancestors("li"):
        cid = _post_id(ancestor)
        if cid is not None:
            return cid
    return None


def _own(li: etree._Element, css: str) -> etree._Element | None:
    """The first match that belongs to this post, not to a nested reply."""
    for node in select(li, css):
        if next((a for a in node.iterancestors("li") if _post_id(a) is not None), None) is li:
            return node
    return None


def _embed_comment(li: etree._Element, cid: str, now: datetime | None) -> Comment:
    message = _own(li, MESSAGE)
    text, quotes = body_with_quotes(message) if message is not None else ("", ())
    author = _own(li, AUTHOR)
    likes = _own(li, LIKES)
    score = int_or_none(text_of(likes)) if likes is not None else None
    return Comment(
        id=cid,
        parent_id=_embed_parent(li),
        depth=0,
        author=text_of(author) or None if author is not None else None,
        score=score,
        score_label=LIKES_LABEL if score is not None else None,
        timestamp=_embed_time(_own(li, TIME), now),
        text=text,
        quotes=quotes,
        deleted=_is_deleted(li, message, text),
    )


def _embed_time(node: etree._Element | None, now: datetime | None) -> Timestamp | None:
    if node is None:
        return None
    title = node.get("title")
    stamp = parse_time(title) if title else None
    return stamp or parse_time(text_of(node), reference=now)


def _is_deleted(li: etree._Element, message: etree._Element | None, text: str) -> bool:
    classes = [li.get("class") or "", message.get("class") or "" if message is not None else ""]
    return any(DELETED_CLASS.search(c) for c in classes) or bool(DELETED_TEXT.match(text))


FAMILY = SiteFamily(
    name="disqus",
    description="Disqus XML exports (one thread per article) and saved Disqus comment HTML",
    detect=detect,
    parse=parse,
    formats=("xml", "html"),
    examples=("disqus/tanglei_about_thread_redacted.xml",),
)

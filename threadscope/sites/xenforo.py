"""XenForo 1 and 2 forum threads: flat posts, quote blocks naming their source, reactions."""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.htmltools import has_class, select, select_one, text_of
from threadscope.model import Article, Comment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.forum_common import (
    QuoteInfo,
    attribution_author,
    clean,
    forum_time,
    link_quotes,
    page_languages,
    page_url,
    split_quotes,
)

# XenForo threads are flat: every post is a top-level comment (depth 1). A reply
# that quotes another post is recorded as a quote segment linked to that post,
# never as a child: the engine itself does not nest, and a post quoting three
# others answers all three. Only when a site's style prints a post inside another
# post (threaded add-ons) does the inner one become a child of the outer one.

# XF2 posts: <article class="message message--post" data-author data-content="post-N">.
XF2_POST = "article.message--post, article.message[data-content^='post-']"
# XF1 posts: <li id="post-N" class="message" data-author> inside ol#messageList.
XF1_POST = "li.message[id^='post-']"
POST_ID = re.compile(r"^post-(\d+)$")
# XF2 post time: the first <time class="u-dt" datetime=ISO> in the attribution
# header (later u-dt times are "last edited" notes).
XF2_TIME = ".message-attribution time.u-dt, time.u-dt"
# XF1 post time: abbr.DateTime data-time=epoch, or span.DateTime title="date at time".
XF1_TIME = ".messageMeta .DateTime, .messageDetails .DateTime, .DateTime"
XF2_BODY = ".message-body .bbWrapper, .bbWrapper"
XF1_BODY = "blockquote.messageText"
# XF2 quote: blockquote.bbCodeBlock--quote data-quote="author" data-source="post: N";
# its title div holds "X said:" / "X hat gesagt.:".
XF2_QUOTE = "blockquote.bbCodeBlock--quote"
XF2_QUOTE_TITLE = ".bbCodeBlock-title"
XF2_SOURCE = re.compile(r"post:\s*(\d+)")
# XF1 quote: div.bbCodeQuote data-author, div.attribution "X said: ↑" linking goto/post?id=N.
XF1_QUOTE = "div.bbCodeQuote"
XF1_ATTRIBUTION = ".attribution"
XF1_SOURCE = re.compile(r"(?:post-|[?&]id=)(\d+)")
# Interface text inside post bodies, never part of what was written.
SKIP = ("bbCodeBlock-expandLink", "js-selectToQuoteEnd", "quoteExpand", "messageTextEndMarker")
# Reactions (XF 2.1+) and likes (XF 2.0, XF1): "A, B und 3 weitere", "A and 2 others like this".
XF2_REACTIONS = ".reactionsBar-link"
XF2_LIKES = ".likesBar a, .likesBar .likeText"
XF1_LIKES = ".likesSummary .LikeText"
OTHERS = re.compile(r"(\d[\d.,]*)\s+(?:others?|other people|weitere|andere|autres|otros|altri)",
                    re.IGNORECASE)
NAME_SEPARATOR = re.compile(r",|\band\b|\bund\b|\bet\b|\by\b|\be\b", re.IGNORECASE)
# Thread title: XF2 h1.p-title-value, XF1 .titleBar h1.
TITLE = "h1.p-title-value, .titleBar h1"
# Thread starter and start date under the title: XF2 .p-description, XF1 #pageDescription.
STARTER = ".p-description .username, #pageDescription .username"
STARTED = ".p-description time.u-dt, #pageDescription .DateTime"
# Cheap head markers: XF2's <html id="XF">, XF1's <html id="XenForo">, its scripts.
HEAD_MARKERS = ('id="xf"', 'id="xenforo"', "xenforo", "xf.activate", "data-xf-init")


def detect(doc: Document) -> float:
    """Claim XenForo thread pages: the engine's markers plus posts with data-author."""
    if not doc.looks_like_html:
        return 0.0
    if not any(marker in doc.head for marker in HEAD_MARKERS):
        return 0.0
    text = doc.text
    if "data-author=" in text and ("message--post" in text or 'id="messageList"' in text
                                   or "messageList" in text):
        return 0.95
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The thread's posts in page order, each top level, quotes linked to their posts."""
    root = doc.html
    languages = page_languages(root)
    posts = select(root, XF2_POST)
    if posts:
        comments = [_xf2_post(post, languages, ctx) for post in posts]
    else:
        comments = [_xf1_post(post, languages, ctx) for post in select(root, XF1_POST)]
    title = select_one(root, TITLE)
    starter = select_one(root, STARTER)
    started = select_one(root, STARTED)
    article = Article(title=clean(text_of(title)) if title is not None else None,
                      url=page_url(root),
                      author=clean(text_of(starter)) if starter is not None else None,
                      published=_time_of(started, languages, ctx.now))
    return [build_thread(article, _unique(link_quotes(comments)))]


def _unique(comments: list[Comment]) -> list[Comment]:
    """One comment per post id (a post can be printed twice, e.g. a sticky first post)."""
    seen: set[str] = set()
    kept: list[Comment] = []
    for comment in comments:
        if comment.id and comment.id not in seen:
            seen.add(comment.id)
            kept.append(comment)
    return kept


def _xf2_post(post: etree._Element, languages: list[str] | None, ctx: ParseContext) -> Comment:
    pid = post.get("data-content") or ""
    body = _own(post, XF2_BODY)
    text, quotes = split_quotes(body, quote_css=XF2_QUOTE, skip=SKIP, reader=_xf2_quote) \
        if body is not None else ("", ())
    score, label = _reactions(post)
    when = _own(post, XF2_TIME)
    return Comment(
        id=pid if POST_ID.match(pid) else f"post-{post.get('id', '')}",
        parent_id=_enclosing(post, "article", "data-content"), depth=0,
        author=clean(post.get("data-author")),
        score=score, score_label=label,
        timestamp=_time_of(when, languages, ctx.now),
        text=text, quotes=quotes,
        deleted=has_class(post, "message--deleted"),
    )


def _own(post: etree._Element, css: str) -> etree._Element | None:
    """First match inside this post but not inside a post printed within it."""
    for node in select(post, css):
        holder = next((a for a in node.iterancestors() if a.tag == post.tag
                       and "message" in (a.get("class") or "").split()), None)
        if holder is post:
            return node
    return None


def _enclosing(post: etree._Element, tag: str, attribute: str) -> str | None:
    """The id of a post printed around this one (threaded styles only), else None."""
    for anc in post.iterancestors(tag):
        if POST_ID.match(anc.get(attribute) or "") and "message" in (anc.get("class") or ""):
            return anc.get(attribute)
    return None


def _xf2_quote(quote: etree._Element) -> QuoteInfo:
    title = select_one(quote, XF2_QUOTE_TITLE)
    author = clean(quote.get("data-quote"))
    if author is None and title is not None:
        author = attribution_author(text_of(title))
    match = XF2_SOURCE.search(quote.get("data-source") or "")
    return QuoteInfo(author=author, source_id=f"post-{match.group(1)}" if match else None,
                     attribution=title)


def _xf1_post(post: etree._Element, languages: list[str] | None, ctx: ParseContext) -> Comment:
    body = _own(post, XF1_BODY)
    text, quotes = split_quotes(body, quote_css=XF1_QUOTE, skip=SKIP, reader=_xf1_quote) \
        if body is not None else ("", ())
    score, label = _likes_of(_own(post, XF1_LIKES), "likes")
    return Comment(
        id=post.get("id") or "", parent_id=_enclosing(post, "li", "id"), depth=0,
        author=clean(post.get("data-author")),
        score=score, score_label=label,
        timestamp=_time_of(_own(post, XF1_TIME), languages, ctx.now),
        text=text, quotes=quotes,
        deleted=has_class(post, "deleted"),
    )


def _xf1_quote(quote: etree._Element) -> QuoteInfo:
    attribution = select_one(quote, XF1_ATTRIBUTION)
    author = clean(quote.get("data-author"))
    if author is None and attribution is not None:
        author = attribution_author(text_of(attribution).rstrip("↑ "))
    source = None
    link = select_one(attribution, "a[href]") if attribution is not None else None
    if link is not None:
        match = XF1_SOURCE.search(link.get("href") or "")
        source = f"post-{match.group(1)}" if match else None
    return QuoteInfo(author=author, source_id=source, attribution=attribution)


def _time_of(
    node: etree._Element | None, languages: list[str] | None, now: datetime | None
) -> Timestamp | None:
    """ISO datetime attribute first, then epoch data-time, then the title or text."""
    if node is None:
        return None
    for raw in (node.get("datetime"), node.get("data-time")):
        if raw:
            stamp = parse_time(raw)
            if stamp is not None:
                return stamp
    raw = node.get("title") or text_of(node)
    return forum_time(raw, reference=now, languages=languages)


def _reactions(post: etree._Element) -> tuple[int | None, str | None]:
    node = _own(post, XF2_REACTIONS)
    if node is not None:
        return _likes_of(node, "reactions")
    return _likes_of(_own(post, XF2_LIKES), "likes")


def _likes_of(node: etree._Element | None, label: str) -> tuple[int | None, str | None]:
    """People counted in "A, B and 3 others": named people plus the stated others."""
    if node is None:
        return None, None
    text = " ".join(text_of(node).split())
    if not text:
        return None, None
    others = OTHERS.search(text)
    extra = int(re.sub(r"[.,]", "", others.group(1))) if others else 0
    named_part = text[: others.start()] if others else text
    named_part = re.sub(r"\b(like this|likes this|gefällt das)\b.*$", "", named_part,
                        flags=re.IGNORECASE)
    names = select(node, "bdi") or select(node, "a.username")
    named = len(names) or sum(1 for name in NAME_SEPARATOR.split(named_part) if name.strip())
    return named + extra, label


FAMILY = SiteFamily(
    name="xenforo",
    description="XenForo 1/2 forum threads (flat posts; quotes linked by data-source/author)",
    detect=detect,
    parse=parse,
    examples=("trafilatura/katzen-forum.net-Pepe.html",),
)

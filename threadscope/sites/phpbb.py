"""phpBB 3 topic pages (prosilver and its descendants): flat posts div.post#pN, cited quotes."""

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

# phpBB topics are flat: every post is top level (depth 1). A post quoting another
# ("X wrote:") is recorded as a quote segment linked to that post, not as a child.

# Each post: <div id="p123" class="post has-profile bg2">.
POST = "div.post[id^='p']"
POST_ID = re.compile(r"^p(\d+)$")
# Author: the profile column (3.1+ dl.postprofile), then the byline (p.author strong).
AUTHOR = ("dl.postprofile dt a.username, dl.postprofile dt a.username-coloured",
          "p.author a.username, p.author a.username-coloured", "p.author strong",
          "dl.postprofile dt")
# Time: 3.2+ prints <time datetime=ISO> in p.author; 3.0/3.1 print the date as text
# after the "»" that follows the author ("by admin » Sat Jul 04, 2009 5:30 pm").
TIME = "p.author time[datetime]"
BYLINE = "p.author"
BYLINE_DATE = re.compile(r"»\s*(.+?)\s*$")
SUBJECT = ".postbody h3 a, .postbody h3"
BODY = "div.content"
# Quotes: <blockquote><div><cite>X wrote: <a data-post-id=N>↑</a><span>date</span></cite>
# text</div></blockquote> (3.2+); 3.0 prints <cite>X wrote:</cite> alone; uncited
# quotes are <blockquote class="uncited">.
QUOTE = "blockquote"
CITE = "cite"
SOURCE_LINK = re.compile(r"[#?&]p=?(\d+)")
# Chrome inside the content that is not the post's text (code box headers).
SKIP = ("codebox-header", "responsive-hide")
# Soft-deleted posts (3.1+) keep their box with a "deleted" or "post-ignore" marker.
DELETED_CLASSES = frozenset({"deleted", "post-deleted"})
TITLE = "h2.topic-title a, h2.topic-title, #page-body h2 a, #page-body h2"
# Cheap head markers: prosilver's asset paths and phpBB's copyright comment/meta.
HEAD_MARKERS = ("phpbb", "prosilver", "viewtopic.php")


def detect(doc: Document) -> float:
    """Claim phpBB topic pages (engine markers plus div.postbody posts)."""
    if not doc.looks_like_html or not any(m in doc.head for m in HEAD_MARKERS):
        return 0.0
    text = doc.text
    if 'class="postbody"' in text and re.search(r'<div id="p\d+" class="post', text):
        return 0.95
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The topic's posts in page order, each top level, quotes linked to their posts."""
    root = doc.html
    languages = page_languages(root)
    comments = [_post(post, languages, ctx.now) for post in select(root, POST)
                if POST_ID.match(post.get("id") or "")]
    title = select_one(root, TITLE)
    article = Article(
        title=clean(text_of(title)) if title is not None else meta_content(root, "og:title"),
        url=page_url(root))
    return [build_thread(article, link_quotes(comments))]


def _post(post: etree._Element, languages: list[str] | None, now: datetime | None) -> Comment:
    body = select_one(post, BODY)
    text, quotes = split_quotes(body, quote_css=QUOTE, skip=SKIP, reader=_quote) \
        if body is not None else ("", ())
    subject = select_one(post, SUBJECT)
    classes = set((post.get("class") or "").split())
    return Comment(
        id=post.get("id") or "", parent_id=None, depth=1,
        author=_author(post), timestamp=_time(post, languages, now),
        text=text, quotes=quotes,
        title=clean(text_of(subject)) if subject is not None else None,
        deleted=bool(classes & DELETED_CLASSES),
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
    node = select_one(post, TIME)
    if node is not None:
        return parse_time(node.get("datetime"))
    byline = select_one(post, BYLINE)
    if byline is None:
        return None
    match = BYLINE_DATE.search(" ".join(text_of(byline).split()))
    return parse_time(match.group(1), reference=now, languages=languages) if match else None


def _quote(quote: etree._Element) -> QuoteInfo:
    """Author and linked post from the quote's own <cite> (not a nested quote's)."""
    cite = next((c for c in select(quote, CITE)
                 if next(c.iterancestors(QUOTE), None) is quote), None)
    if cite is None:
        return QuoteInfo()
    name_link = select_one(cite, "a[href*='memberlist']")
    author = clean(text_of(name_link)) if name_link is not None else None
    cite_text = " ".join((cite.text or "").split())
    author = author or attribution_author(cite_text) or attribution_author(text_of(cite))
    source = None
    for link in select(cite, "a"):
        href = link.get("href") or ""
        post_id = link.get("data-post-id") or ""
        match = SOURCE_LINK.search(href) if "memberlist" not in href else None
        if post_id.isdigit() or match:
            source = f"p{post_id if post_id.isdigit() else match.group(1) if match else ''}"
    return QuoteInfo(author=author, source_id=source, attribution=cite)


FAMILY = SiteFamily(
    name="phpbb",
    description="phpBB 3 topics (prosilver: flat posts; 'X wrote:' quotes linked to posts)",
    detect=detect,
    parse=parse,
    examples=("fixtures/synthetic/phpbb3_prosilver_topic.html",
              "fixtures/synthetic/phpbb30_prosilver_topic.html"),
)

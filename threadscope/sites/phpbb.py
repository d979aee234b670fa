"""phpBB topic pages: prosilver (div.post#pN), subsilver2 and phpBB 2 tables; cited quotes."""

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
# Topic title: prosilver h2.topic-title (3.1+) or #page-body h2 (3.0); subsilver2
# #pageheader h2 a.titles; phpBB 2 a.maintitle.
TITLE = ("h2.topic-title a, h2.topic-title, #page-body h2 a, #page-body h2, "
         "#pageheader h2 a.titles, a.maintitle")
# Cheap head markers: prosilver's asset paths and phpBB's copyright comment/meta.
HEAD_MARKERS = ("phpbb", "prosilver", "subsilver", "viewtopic.php")

# --- table styles: subsilver2 (phpBB 3) and subSilver (phpBB 2) -------------------
# The post's anchor names its id, <a name="p1234"> (subsilver2) or <a name="1234">
# (phpBB 2), beside the author (b.postauthor, span.name); the post is subsilver2's
# table.tablebg or phpBB 2's table row holding that anchor.
CLASSIC_AUTHOR = "b.postauthor, span.name"
CLASSIC_ANCHOR = re.compile(r"^p?(\d+)$")
SUBSILVER2_BODY = "div.postbody"
PHPBB2_BODY = "span.postbody"
# subsilver2: div.quotetitle "X wrote:" then div.quotecontent; phpBB 2: a table whose
# first row says "X wrote:" (or "Quote:") and whose second row is td.quote.
CLASSIC_QUOTE = "div.quotecontent, td.quote"
# Dates: subsilver2 "<b>Posted:</b> Mon Mar 03, 2008 2:17 pm" in the header's right
# float; phpBB 2 "Posted: Mon Mar 03, 2008 2:17 pm" as span.postdetails' own text.
SUBSILVER2_DATE = "td.gensmall div[style*='right']"
PHPBB2_DATE = "span.postdetails"
DATE_LABEL = re.compile(r"^[^:\d]{1,30}:\s*")
# The "Last edited by" line under a phpBB 2 post.
CLASSIC_SKIP = ("gensmall",)


def detect(doc: Document) -> float:
    """Claim phpBB topic pages (engine markers plus posts of prosilver or a table style)."""
    if not doc.looks_like_html or not any(m in doc.head for m in HEAD_MARKERS):
        return 0.0
    text = doc.text
    if 'class="postbody"' not in text:
        return 0.0
    if re.search(r'<div id="p\d+" class="post', text) or 'class="postauthor"' in text \
            or re.search(r'<span class="name"><a name="\d+"', text):
        return 0.95
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The topic's posts in page order, each top level, quotes linked to their posts."""
    root = doc.html
    languages = page_languages(root)
    comments = [_post(post, languages, ctx.now) for post in select(root, POST)
                if POST_ID.match(post.get("id") or "")]
    if not comments:
        comments = _classic_posts(root, languages, ctx.now)
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
        author=first_text(post, AUTHOR), timestamp=_time(post, languages, now),
        text=text, quotes=quotes,
        title=clean(text_of(subject)) if subject is not None else None,
        deleted=bool(classes & DELETED_CLASSES),
    )


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
    return forum_time(match.group(1), reference=now, languages=languages) if match else None


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


def _classic_posts(
    root: etree._Element, languages: list[str] | None, now: datetime | None
) -> list[Comment]:
    comments: list[Comment] = []
    for author in select(root, CLASSIC_AUTHOR):
        cell = author.getparent()
        anchor = next((a for a in (cell.iter("a") if cell is not None else ())
                       if CLASSIC_ANCHOR.match(a.get("name") or "")), None)
        if anchor is None:
            continue
        number = CLASSIC_ANCHOR.match(anchor.get("name") or "")
        subsilver2 = author.tag == "b"
        holder = next((a for a in author.iterancestors("table" if subsilver2 else "tr")
                       if not subsilver2 or "tablebg" in (a.get("class") or "")), None)
        if holder is None or number is None:
            continue
        comments.append(_classic_post(holder, f"p{number.group(1)}", author,
                                      subsilver2=subsilver2, languages=languages, now=now))
    return comments


def _classic_post(
    holder: etree._Element, pid: str, author: etree._Element, *, subsilver2: bool,
    languages: list[str] | None, now: datetime | None,
) -> Comment:
    body = select_one(holder, SUBSILVER2_BODY) if subsilver2 else None
    if not subsilver2:
        first = select_one(holder, PHPBB2_BODY)
        body = first.getparent() if first is not None else None
    text, quotes = split_quotes(body, quote_css=CLASSIC_QUOTE, skip=CLASSIC_SKIP,
                                reader=_classic_quote) if body is not None else ("", ())
    name = select_one(author, "b") if author.tag == "span" else author
    subject = select_one(holder, "a[href^='#p']") if subsilver2 else None
    return Comment(
        id=pid, parent_id=None, depth=1,
        author=clean(text_of(name if name is not None else author)),
        timestamp=_classic_time(holder, subsilver2, languages, now),
        text=text, quotes=quotes,
        title=clean(text_of(subject)) if subject is not None else None,
    )


def _classic_time(
    holder: etree._Element, subsilver2: bool, languages: list[str] | None, now: datetime | None
) -> Timestamp | None:
    raw = ""
    if subsilver2:
        node = select_one(holder, SUBSILVER2_DATE)
        raw = text_of(node) if node is not None else ""
    else:  # the header's postdetails holds a span.gen; the author cell's does not
        node = next((n for n in select(holder, PHPBB2_DATE) if select_one(n, "span.gen")
                     is not None), None)
        raw = node.text or "" if node is not None else ""
    raw = DATE_LABEL.sub("", " ".join(raw.split()))
    return forum_time(raw, reference=now, languages=languages) if raw else None


def _classic_quote(quote: etree._Element) -> QuoteInfo:
    """The "X wrote:" title before a table style's quote (its own row in phpBB 2)."""
    if quote.tag == "td":
        row = quote.getparent()
        title = row.getprevious() if row is not None else None
    else:
        title = quote.getprevious()
        if title is not None and "quotetitle" not in (title.get("class") or ""):
            title = None
    if title is None:
        return QuoteInfo()
    return QuoteInfo(author=attribution_author(text_of(title)), attribution=title)


FAMILY = SiteFamily(
    name="phpbb",
    description="phpBB 2/3 topics (prosilver, subsilver2, subSilver; 'X wrote:' quotes linked)",
    detect=detect,
    parse=parse,
    examples=("fixtures/synthetic/phpbb3_prosilver_topic.html",
              "fixtures/synthetic/phpbb30_prosilver_topic.html",
              "fixtures/synthetic/phpbb3_subsilver2_topic.html",
              "fixtures/synthetic/phpbb2_subsilver_topic_de.html"),
)

"""WordPress blog posts: the article and its nested comment list (li#comment-N)."""

from __future__ import annotations

import copy
import re
from dataclasses import replace

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.htmltools import int_or_none, select, select_one, text_of
from threadscope.model import Article, Comment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.forum_common import (
    clean,
    forum_time,
    link_quotes,
    meta_content,
    page_languages,
    page_url,
    paragraphs,
    split_quotes,
)

# The comment list wp_list_comments() prints; themes use either class spelling,
# and a few print it as <ul> or <div>; the WordPress 1.x "Classic" theme used an id.
COMMENT_LIST = ("ol.commentlist, ol.comment-list, ul.commentlist, ul.comment-list, "
                "div.commentlist, div.comment-list, ol#commentlist")
# Every comment, pingback and trackback carries id="comment-N" (li in the default
# walker, div or article with the "div" style); replies nest inside ul.children.
COMMENT_ITEM = "li[id^=comment-], div[id^=comment-], article[id^=comment-]"
COMMENT_ID = re.compile(r"^comment-(\d+)$")
# wp_list_comments() classes every item "depth-N"; a theme that prints the list flat
# (no ul.children) still shows the nesting through them.
DEPTH_CLASS = re.compile(r"\bdepth-(\d+)\b")
# The sidebar "Recent Comments" widget reuses comment markup (li.recentcomments,
# .comment-author-link); anything inside a widget is never a comment.
WIDGET_MARKERS = ("widget", "widget_recent_comments", "recentcomments", "widget-area")
# Author: default themes print .comment-author .fn (cite.fn before 3.x); others
# (Avada) print a bare <strong>; pingbacks print the linking post as a.url.
# Genesis prints .comment-author-name, Astra .ast-comment-cite-wrap cite, Divi
# .comment_postinfo .fn, themes calling get_comment_author_link() .comment-author-link.
AUTHOR = (".comment-author .fn", ".comment-author cite", "cite.fn", ".fn",
          ".comment-author-name", ".ast-comment-cite-wrap cite", ".comment-author strong",
          ".comment-author a.url", ".comment-author-link", ".comment-body > a.url", "cite")
# Time: <time datetime> inside .comment-metadata (HTML5 themes); older themes print
# the date as the text of the permalink in .comment-meta / .commentmetadata.
TIME_ATTR = ".comment-metadata time[datetime], .comment-meta time[datetime], time[datetime]"
TIME_TEXT = (".comment-metadata a, .comment-meta a, .commentmetadata a, .comment-date, "
             ".comment_date, .comment-time")
# Header holding author and (in some themes) the date as a bare text node.
HEADER = ".comment-author"
# Comment text container, most specific first; .comment-body also holds the meta.
TEXT = (".comment-content", ".comment-text", ".comment_text", ".comment-entry", ".comment-body")
# Chrome inside the comment body that is not the comment's text.
TEXT_SKIP = ("comment-meta", "comment-metadata", "commentmetadata", "reply", "comment-author",
             "comment-reply-link", "edit-link", "says", "screen-reader-text")
QUOTE = "blockquote"
# Themes from before wp_list_comments() (WordPress 1.x Classic, 2.x Kubrick) print the
# text as bare paragraphs in the li: Classic ends with <p><cite>Comment by NAME —
# DATE @ TIME</cite></p>; Kubrick opens with <cite>NAME</cite> Says: and a
# small.commentmetadata date. Both lose that chrome to give the text.
BARE_CHROME = "cite, .commentmetadata, .comment-meta, .reply, ul.children, ol.children"
BYLINE = re.compile(r"^(?:Comment by|Kommentar von|Commentaire par|Comentario de)\s+"
                    r"(?P<name>.+?)\s+[—–-]\s+(?P<when>.+)$", re.IGNORECASE)
# Article: the post title, body and date the default themes print.
# (h3.storytitle and div.storycontent: the 1.x Classic theme.)
ARTICLE_TITLE = "h1.entry-title, h1.post-title, h2.entry-title, .entry-title, h3.storytitle"
ARTICLE_BODY = "div.entry-content, div.post-content, div.entry, div.storycontent"
ARTICLE_TIME = "time.entry-date[datetime], time.published[datetime], .entry-date"
ARTICLE_AUTHOR = (".entry-meta .author .fn", ".byline .author a", ".entry-author .fn",
                  "a[rel=author]")
# Printed count above the list: "5 thoughts on", "36 Comments", "One thought on",
# "12 Kommentare", "3 Antworten", "2 Responses to", "7 Gedanken zu".
COUNT_HEADING = (".comments-title, #comments-title, #comments h2, #comments h3, h2.comments, "
                 "h2#comments, h3#comments")
DECLARED_COUNT = re.compile(
    r"(\d[\d.,]*|one|ein|eine)\s+(?:thoughts?|comments?|responses?|replies|reply|"
    r"kommentare?|antworten|gedanken|reaktionen|commentaires?|comentarios?)\b",
    re.IGNORECASE)
# Cheap markers: WordPress asset paths in the head; in the text, a numbered comment
# id and a class attribute naming the comment list as a whole word (Slashdot's
# "commentlisting" must not count).
WP_MARKERS = ("/wp-content/", "/wp-includes/", 'content="wordpress')
COMMENT_ID_MARKER = re.compile(r"""id=["']comment-\d+["']""")
LIST_MARKER = re.compile(
    r"""(?:class=["'](?:[^"']*\s)?(?:comment-list|commentlist)[\s"']|id=["']commentlist["'])""")


# --- wpDiscuz (the most used comment plugin) -----------------------------------
# Each comment is div.wpd-comment#wpd-comm-<id>_<parent id> (parent 0 = top level),
# replies nested inside; the comment's own part is div.wpd-comment-right#comment-<id>.
WPD_ITEM = "div.wpd-comment[id^='wpd-comm-']"
WPD_ID = re.compile(r"^wpd-comm-(\d+)_(\d+)$")
WPD_AUTHOR = ".wpd-comment-author"
# The date's title is absolute ("March 3, 2021 2:17 pm"); its text is relative.
WPD_DATE = ".wpd-comment-date"
WPD_TEXT = ".wpd-comment-text"
WPD_VOTES = ".wpd-vote-result"
WPD_COUNT = ".wpd-thread-info[data-comments-count]"


def detect(doc: Document) -> float:
    """Claim pages with a WordPress comment list (core li#comment-N items or wpDiscuz)."""
    if not doc.looks_like_html:
        return 0.0
    text = doc.text
    wordpress = any(marker in doc.head for marker in WP_MARKERS)
    if 'id="wpd-comm-' in text and 'id="wpdcom"' in text:
        return 0.9 if wordpress else 0.6
    if "comment-" not in text or not COMMENT_ID_MARKER.search(text):
        return 0.0
    if not LIST_MARKER.search(text):
        return 0.0
    return 0.9 if wordpress else 0.6


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The post and its comment tree (pingbacks kept as comments: the page lists them)."""
    root = doc.html
    languages = page_languages(root)
    article = _article(root, languages)
    wpd_items = [n for n in select(root, WPD_ITEM) if WPD_ID.match(n.get("id") or "")]
    if wpd_items:
        keys = {id(item) for item in wpd_items}
        comments = _wpd_parents(wpd_items, keys, [
            _wpd_comment(item, keys, languages, ctx) for item in wpd_items])
        count = select_one(root, WPD_COUNT)
        if count is not None and article.declared_comment_count is None:
            article = replace(article, declared_comment_count=int_or_none(
                count.get("data-comments-count")))
    else:
        items = _comment_items(root)
        keys = {id(item) for item in items}
        comments = [_comment(item, keys, languages, ctx) for item in items]
        comments = _parents_from_depth_classes(items, comments)
    comments = link_quotes(comments, "\n\n".join(article.body))
    return [build_thread(article, comments)]


def _wpd_comment(
    item: etree._Element, keys: set[int], languages: list[str] | None, ctx: ParseContext
) -> Comment:
    match = WPD_ID.match(item.get("id") or "")
    cid, parent = (match.group(1), match.group(2)) if match else ("0", "0")
    body = _own(item, WPD_TEXT, keys)
    text, quotes = split_quotes(body, quote_css=QUOTE) if body is not None else ("", ())
    author = _own(item, WPD_AUTHOR, keys)
    votes = _own(item, WPD_VOTES, keys)
    score = int_or_none(votes.get("title") or text_of(votes)) if votes is not None else None
    return Comment(
        id=f"comment-{cid}", parent_id=None if parent == "0" else f"comment-{parent}", depth=0,
        author=clean(text_of(author)) if author is not None else None,
        score=score, score_label="votes" if score is not None else None,
        timestamp=_wpd_time(_own(item, WPD_DATE, keys), languages, ctx),
        text=text, quotes=quotes,
    )


def _wpd_parents(
    items: list[etree._Element], keys: set[int], comments: list[Comment]
) -> list[Comment]:
    """Keep the id-encoded parent when it is on the page; else the enclosing comment."""
    ids = {c.id for c in comments}
    fixed: list[Comment] = []
    for item, comment in zip(items, comments, strict=True):
        if comment.parent_id is None or comment.parent_id in ids:
            fixed.append(comment)
            continue
        holder = _nearest_item(item, keys)
        match = WPD_ID.match(holder.get("id") or "") if holder is not None else None
        fixed.append(replace(comment, parent_id=f"comment-{match.group(1)}" if match else None))
    return fixed


def _wpd_time(
    node: etree._Element | None, languages: list[str] | None, ctx: ParseContext
) -> Timestamp | None:
    if node is None:
        return None
    for raw in (node.get("title"), text_of(node)):
        stamp = forum_time(raw, reference=ctx.now, languages=languages) if raw else None
        if stamp is not None:
            return stamp
    return None


def _parents_from_depth_classes(
    items: list[etree._Element], comments: list[Comment]
) -> list[Comment]:
    """Parents for a flat list: a depth-N item answers the last depth-(N-1) item above it."""
    last: dict[int, str] = {}
    fixed: list[Comment] = []
    for item, comment in zip(items, comments, strict=True):
        match = DEPTH_CLASS.search(item.get("class") or "")
        level = int(match.group(1)) if match else 0
        flat = comment.parent_id is None and level > 1 and (level - 1) in last
        fixed.append(replace(comment, parent_id=last[level - 1]) if flat else comment)
        if level:
            last = {k: v for k, v in last.items() if k < level}
            last[level] = comment.id
    return fixed


def _in_widget(node: etree._Element) -> bool:
    for anc in node.iterancestors():
        classes = set((anc.get("class") or "").split())
        if classes & set(WIDGET_MARKERS) or anc.get("id") in WIDGET_MARKERS:
            return True
    return False


def _comment_items(root: etree._Element) -> list[etree._Element]:
    """Comment elements inside comment lists, outside widgets, once each, in page order."""
    seen: set[int] = set()
    found: list[etree._Element] = []
    for listing in select(root, COMMENT_LIST):
        if _in_widget(listing):
            continue
        for item in select(listing, COMMENT_ITEM):
            if id(item) not in seen and COMMENT_ID.match(item.get("id") or ""):
                seen.add(id(item))
                found.append(item)
    if len(found) > 1:
        order = {id(node): index for index, node in enumerate(root.iter())}
        found.sort(key=lambda node: order[id(node)])
    return _drop_wrappers(found)


def _drop_wrappers(items: list[etree._Element]) -> list[etree._Element]:
    """Keep one element per comment id (a theme may print li#comment-N > div#comment-N)."""
    kept: list[etree._Element] = []
    ids: set[str] = set()
    for item in items:
        cid = item.get("id") or ""
        if cid not in ids:
            ids.add(cid)
            kept.append(item)
    return kept


def _nearest_item(node: etree._Element, keys: set[int]) -> etree._Element | None:
    for anc in node.iterancestors():
        if id(anc) in keys:
            return anc
    return None


def _own(item: etree._Element, css: str, keys: set[int]) -> etree._Element | None:
    """First match of css inside this comment but not inside one of its replies."""
    for node in select(item, css):
        if _nearest_item(node, keys) is item:
            return node
    return None


def _comment(
    item: etree._Element, keys: set[int], languages: list[str] | None, ctx: ParseContext
) -> Comment:
    parent = _nearest_item(item, keys)
    body = _body(item, keys)
    text, quotes = split_quotes(body, quote_css=QUOTE, skip=TEXT_SKIP) if body is not None \
        else ("", ())
    cite = _own(item, "cite", keys)
    byline = BYLINE.match(" ".join(text_of(cite).split())) if cite is not None else None
    author = _author(item, keys)
    if byline is not None and (author is None or author == byline.string):
        author = clean(byline.group("name"))
    timestamp = _time(item, keys, languages, ctx)
    if timestamp is None and byline is not None:
        timestamp = forum_time(byline.group("when"), reference=ctx.now, languages=languages)
    return Comment(
        id=item.get("id") or "",
        parent_id=parent.get("id") if parent is not None else None,
        depth=0, author=author, timestamp=timestamp, text=text, quotes=quotes,
    )


def _body(item: etree._Element, keys: set[int]) -> etree._Element | None:
    for css in TEXT:
        node = _own(item, css, keys)
        if node is not None:
            return _without_children(node)
    return _bare_body(item, keys)


def _bare_body(item: etree._Element, keys: set[int]) -> etree._Element:
    """The li without its byline, date and replies (themes with bare paragraphs)."""
    work = copy.deepcopy(item)
    inner = {id(n) for n in select(work, COMMENT_ITEM)} - {id(work)}
    for node in select(work, BARE_CHROME):
        if any(id(a) in inner for a in node.iterancestors()):
            continue  # inside a reply: it goes with the reply's list
        holder = node.getparent()
        if holder is None:
            continue
        only_child = holder.tag == "p" and len(holder) == 1 and not (holder.text or "").strip()
        target = holder if only_child and holder.getparent() is not None else node
        _remove(target, keep_tail=len((target.tail or "").strip()) > 12)  # not "Says:"
    return work


def _remove(node: etree._Element, *, keep_tail: bool) -> None:
    """Remove node; lxml drops its tail text with it unless that is moved first."""
    parent = node.getparent()
    if parent is None:
        return
    if keep_tail and node.tail:
        prev = node.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _without_children(node: etree._Element) -> etree._Element:
    """A copy of a body without nested reply lists (div-style themes nest inside it)."""
    if select_one(node, "ul.children, ol.children") is None:
        return node
    work = copy.deepcopy(node)
    for child in select(work, "ul.children, ol.children"):
        parent = child.getparent()
        if parent is not None:
            parent.remove(child)
    return work


def _author(item: etree._Element, keys: set[int]) -> str | None:
    for css in AUTHOR:
        node = _own(item, css, keys)
        if node is not None:
            name = clean(text_of(node, skip=("says", "screen-reader-text")))
            if name:
                return name
    return None


def _time(
    item: etree._Element, keys: set[int], languages: list[str] | None, ctx: ParseContext
) -> Timestamp | None:
    node = _own(item, TIME_ATTR, keys)
    if node is not None:
        return parse_time(node.get("datetime"), reference=ctx.now, languages=languages)
    node = _own(item, TIME_TEXT, keys)
    if node is not None and not _is_reply_link(node):
        stamp = forum_time(text_of(node), reference=ctx.now, languages=languages)
        if stamp is not None:
            return stamp
    header = _own(item, HEADER, keys)
    return _header_time(header, languages, ctx) if header is not None else None


def _is_reply_link(node: etree._Element) -> bool:
    return "comment-reply-link" in (node.get("class") or "")


def _header_time(
    header: etree._Element, languages: list[str] | None, ctx: ParseContext
) -> Timestamp | None:
    """A date printed as bare text beside the author (Avada: "<strong>Ben</strong> 19. Juni …")."""
    loose = [header.text or ""] + [child.tail or "" for child in header]
    raw = " ".join(" ".join(loose).split())
    return forum_time(raw, reference=ctx.now, languages=languages) if raw else None


def _article(root: etree._Element, languages: list[str] | None) -> Article:
    title = select_one(root, ARTICLE_TITLE)
    body = _article_body(root)
    author = next((n for n in (select_one(root, css) for css in ARTICLE_AUTHOR)
                   if n is not None), None)
    return Article(
        title=clean(text_of(title)) if title is not None else meta_content(root, "og:title"),
        body=paragraphs(body, skip=("sharedaddy", "jp-relatedposts", "screen-reader-text")),
        url=page_url(root),
        author=clean(text_of(author)) if author is not None else None,
        published=_published(root, languages),
        declared_comment_count=_declared_count(root),
    )


def _article_body(root: etree._Element) -> etree._Element | None:
    for node in select(root, ARTICLE_BODY):
        if not _in_widget(node) and node.xpath("ancestor::*[@id='comments']") == []:
            return node
    return None


def _published(root: etree._Element, languages: list[str] | None) -> Timestamp | None:
    raw = meta_content(root, "article:published_time")
    if raw is None:
        node = select_one(root, ARTICLE_TIME)
        if node is None:
            return None
        raw = node.get("datetime") or text_of(node)
    return parse_time(raw, languages=languages)


def _declared_count(root: etree._Element) -> int | None:
    for node in select(root, COUNT_HEADING):
        match = DECLARED_COUNT.search(text_of(node))
        if match:
            number = match.group(1).lower()
            if number in ("one", "ein", "eine"):
                return 1
            return int(re.sub(r"[.,]", "", number))
    return None


FAMILY = SiteFamily(
    name="wordpress",
    description="WordPress blog comments (li#comment-N lists, pingbacks; never the widget)",
    detect=detect,
    parse=parse,
    examples=("trafilatura/moritz-meyer.net.vreni.html", "trafilatura/lemire.me.json.html"),
)

"""WordPress blog posts: the article and its nested comment list (li#comment-N)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

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
# XML whitespace: what XPath's normalize-space() (and so a CSS class test) splits on.
XML_SPACE = " \t\r\n"
XML_SPACES = re.compile(f"[{XML_SPACE}]+")
# The reply list wp_list_comments() nests inside a comment; never part of its text.
CHILDREN = "ul.children, ol.children"
# Themes from before wp_list_comments() (WordPress 1.x Classic, 2.x Kubrick) print the
# text as bare paragraphs in the li: Classic ends with <p><cite>Comment by NAME —
# DATE @ TIME</cite></p>; Kubrick opens with <cite>NAME</cite> Says: and a
# small.commentmetadata date. Both lose that chrome to give the text.
BARE_CHROME = "cite, .commentmetadata, .comment-meta, .reply, " + CHILDREN
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
    if not _has_list_marker(text):
        return 0.0
    return 0.9 if wordpress else 0.6


def _has_list_marker(text: str) -> bool:
    """LIST_MARKER, searched only when its words occur (the regex retries every class
    attribute: 14 ms on a 640 KB page that has neither word)."""
    return ("commentlist" in text or "comment-list" in text) and bool(LIST_MARKER.search(text))


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The post and its comment tree (pingbacks kept as comments: the page lists them)."""
    root = doc.html
    languages = page_languages(root)
    page = _Page(root)
    article = _article(page, languages)
    wpd_items = [n for n in page.select(WPD_ITEM) if WPD_ID.match(n.get("id") or "")]
    if wpd_items:
        owned = _Owned(page, wpd_items)
        comments = _wpd_parents(wpd_items, owned, [
            _wpd_comment(item, owned, languages, ctx) for item in wpd_items])
        count = select_one(root, WPD_COUNT)
        if count is not None and article.declared_comment_count is None:
            article = replace(article, declared_comment_count=int_or_none(
                count.get("data-comments-count")))
    else:
        items = _comment_items(page)
        owned = _Owned(page, items)
        comments = [_comment(item, owned, languages, ctx) for item in items]
        comments = _parents_from_depth_classes(items, comments)
    comments = link_quotes(comments, "\n\n".join(article.body))
    return [build_thread(article, comments)]


class _Page:
    """Page-wide CSS selection in document order, without XPath, for per-comment lookups.

    libxml2 orders an XPath result by walking each node's ancestors, and lxml frees an
    element proxy the same way: on a reply chain N deep each page-wide select cost
    O(N^2) (8,000 levels: 7 s a selector). Here every element is kept alive and
    matched in Python. Supports what this module's selectors use: type, class, id,
    [attr], [attr=v], [attr^=v] and the " " and ">" combinators.
    """

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.elements = list(root.iter(etree.Element))  # alive: frees are O(1) then
        self.by_tag: dict[str, list[etree._Element]] = {}
        self.by_class: dict[str, list[etree._Element]] = {}
        for element in self.elements:
            self.by_tag.setdefault(element.tag, []).append(element)
            classes = element.get("class")
            for name in set(_classes(classes)) if classes else ():
                self.by_class.setdefault(name, []).append(element)
        self._found: dict[str, list[etree._Element]] = {}

    def select(self, css: str) -> list[etree._Element]:
        """The page's elements matching css (anywhere, the root included), in page order."""
        found = self._found.get(css)
        if found is None:
            from cssselect import parse

            parts = [self._matches(part.parsed_tree) for part in parse(css)]
            if len(parts) == 1:
                found = parts[0]
            else:
                hits = {hit for part in parts for hit in part}
                found = [e for e in self.elements if e in hits] if hits else []
            self._found[css] = found
        return found

    def first(self, css: str) -> etree._Element | None:
        """The page's first element matching css, or None."""
        found = self.select(css)
        return found[0] if found else None

    def _matches(self, tree: object) -> list[etree._Element]:
        """Matches of one selector, in page order (each candidate list is)."""
        from cssselect.parser import CombinedSelector

        if not isinstance(tree, CombinedSelector):
            candidates, test = self._compound(tree)
            return [e for e in candidates if test(e)]
        if tree.combinator not in (" ", ">"):
            raise ValueError(f"combinator {tree.combinator!r} not supported")
        left = set(self._matches(tree.selector))
        right = self._matches(tree.subselector)
        if tree.combinator == ">":
            return [e for e in right if e.getparent() in left]
        memo: dict[etree._Element, bool] = {}
        return [e for e in right if _below(e, left.__contains__, memo)]

    def _compound(
        self, tree: object
    ) -> tuple[list[etree._Element], Callable[[etree._Element], bool]]:
        """Candidates (by first class, else by type, else all) and a test for the rest."""
        from cssselect.parser import Attrib, Class, Element, Hash

        classes: list[str] = []
        tests: list[Callable[[etree._Element], bool]] = []
        while not isinstance(tree, Element):
            if isinstance(tree, Class):
                classes.append(tree.class_name)
            elif isinstance(tree, Hash):
                tests.append(partial(_has_value, "id", tree.id))
            elif isinstance(tree, Attrib):
                tests.append(_attrib_test(tree))
            else:
                raise ValueError(f"selector {tree!r} not supported")
            tree = tree.selector
        if tree.namespace is not None:
            raise ValueError("namespaced selectors not supported")
        tag = tree.element
        if tag:
            tests.append(partial(_has_tag, tag))
        if classes:
            tests.append(partial(_has_classes, frozenset(classes)))
            candidates = self.by_class.get(classes[-1], [])
        else:
            candidates = self.by_tag.get(tag, []) if tag else self.elements
        return candidates, lambda element: all(test(element) for test in tests)


def _classes(value: str) -> list[str]:
    """A class attribute's names, split as XPath's normalize-space() splits."""
    return XML_SPACES.split(value.strip(XML_SPACE))


def _has_tag(tag: str, element: etree._Element) -> bool:
    return bool(element.tag == tag)


def _has_classes(names: frozenset[str], element: etree._Element) -> bool:
    return names.issubset(_classes(element.get("class") or ""))


def _has_value(attrib: str, expected: str, element: etree._Element) -> bool:
    return element.get(attrib) == expected


def _starts_with(attrib: str, prefix: str, element: etree._Element) -> bool:
    value = element.get(attrib)
    return value is not None and value.startswith(prefix)


def _has_attrib(attrib: str, element: etree._Element) -> bool:
    return element.get(attrib) is not None


def _attrib_test(tree: object) -> Callable[[etree._Element], bool]:
    """[attr], [attr=v] or [attr^=v] as cssselect translates them ("^=" with "" never)."""
    attrib, operator = getattr(tree, "attrib"), getattr(tree, "operator")  # noqa: B009
    token = getattr(tree, "value")  # noqa: B009
    expected: str = token.value if token is not None else ""
    if getattr(tree, "namespace") is not None or getattr(tree, "flag") is not None:  # noqa: B009
        raise ValueError("namespaced or flagged attribute selectors not supported")
    if operator == "exists":
        return partial(_has_attrib, attrib)
    if operator == "=":
        return partial(_has_value, attrib, expected)
    if operator == "^=":
        return partial(_starts_with, attrib, expected) if expected else (lambda _: False)
    raise ValueError(f"attribute operator {operator!r} not supported")


def _below(node: etree._Element, is_anchor: Callable[[etree._Element], bool],
           memo: dict[etree._Element, bool]) -> bool:
    """Whether a strict ancestor of node is an anchor (memoised along the path walked)."""
    path: list[etree._Element] = []
    current = node.getparent()
    found = False
    while current is not None:
        if current in memo:
            found = memo[current]
            break
        path.append(current)
        if is_anchor(current):
            found = True
            break
        current = current.getparent()
    memo.update(dict.fromkeys(path, found))
    return found


class _Owned:
    """Which comment each element belongs to, and each comment's own selector matches.

    An element belongs to its nearest enclosing comment; "own" matches of a selector
    are those belonging to the comment, not to one of its replies. Both are found in
    passes over the whole page, so a reply chain N deep costs O(N), not the O(N^2) of
    selecting over every comment's subtree (its replies included) at every level.
    """

    def __init__(self, page: _Page, items: list[etree._Element]) -> None:
        self.page = page
        self.items = set(items)
        self._owners: dict[etree._Element, etree._Element | None] = {}
        self._firsts: dict[str, dict[etree._Element, etree._Element]] = {}
        self._lists: dict[etree._Element, list[etree._Element]] | None = None
        self._children: set[etree._Element] | None = None

    def owner(self, node: etree._Element) -> etree._Element | None:
        """The nearest comment strictly enclosing node (memoised along the path walked)."""
        path: list[etree._Element] = []
        current = node.getparent()
        found: etree._Element | None = None
        while current is not None:
            if current in self._owners:
                found = self._owners[current]
                break
            if current in self.items:
                found = current
                break
            path.append(current)
            current = current.getparent()
        self._owners.update(dict.fromkeys(path, found))
        return found

    def first(self, item: etree._Element, css: str) -> etree._Element | None:
        """First match of css inside this comment but not inside one of its replies."""
        firsts = self._firsts.get(css)
        if firsts is None:
            firsts = self._firsts[css] = self._first_matches(css)
        return firsts.get(item)

    def _first_matches(self, css: str) -> dict[etree._Element, etree._Element]:
        checks = [_Check.of(self.page, part, alone=("," not in css)) for part in css.split(",")]
        firsts: dict[etree._Element, etree._Element] = {}
        for node in self.page.select(css):
            owner = self.owner(node)
            if owner is not None and owner not in firsts and any(
                    self._fits(node, check) for check in checks):
                firsts[owner] = node
        return firsts

    def _fits(self, node: etree._Element, check: _Check) -> bool:
        """Whether node matches check's selector as selected from inside its own comment."""
        if check.members is not None and node not in check.members:
            return False
        parent = node.getparent()
        if check.anchors is None:
            return True
        return parent is not None and self._anchored(parent, check.anchors, check.memo)

    def _anchored(self, node: etree._Element, anchors: set[etree._Element],
                  memo: dict[etree._Element, bool]) -> bool:
        """Whether node, or an ancestor up to its comment (inclusive), is an anchor."""
        path: list[etree._Element] = []
        found = False
        current: etree._Element | None = node
        while current is not None:
            if current in memo:
                found = memo[current]
                break
            path.append(current)
            if current in anchors or current in self.items:
                found = current in anchors
                break
            current = current.getparent()
        memo.update(dict.fromkeys(path, found))
        return found

    def children_lists(self) -> set[etree._Element]:
        """Every reply list (ul.children, ol.children) on the page."""
        if self._children is None:
            self._children = set(self.page.select(CHILDREN))
        return self._children

    def reply_lists(self, item: etree._Element) -> list[etree._Element]:
        """The reply lists in item outside any element a bare-body copy treats as a reply."""
        if self._lists is None:
            self._lists = {}
            boxes = set(self.page.select(COMMENT_ITEM))
            lists = self.children_lists()
            box: dict[etree._Element, etree._Element | None] = {}
            for node in self.page.elements:
                parent = node.getparent()
                holder = None if parent is None else (
                    parent if parent in boxes else box.get(parent))
                box[node] = holder
                if node in lists and holder is not None:
                    self._lists.setdefault(holder, []).append(node)
        return self._lists.get(item, [])


@dataclass(slots=True)
class _Check:
    """One comma-separated part of a selector, as _Owned tests it on a page-wide match.

    A match of "A B" found from the page root may take its A from outside the comment,
    so such parts keep their anchors (the A matches); "A > B" and "B" need no check.
    """

    members: set[etree._Element] | None
    anchors: set[etree._Element] | None
    memo: dict[etree._Element, bool] = field(default_factory=dict)

    @classmethod
    def of(cls, page: _Page, part: str, *, alone: bool) -> _Check:
        words = part.split()
        if not (len(words) <= 2 or (len(words) == 3 and words[1] == ">")):
            raise ValueError(f"selector part too complex for _Owned: {part!r}")
        members = None if alone else set(page.select(part))
        anchors = set(page.select(words[0])) if len(words) == 2 else None
        return cls(members, anchors)


def _wpd_comment(
    item: etree._Element, owned: _Owned, languages: list[str] | None, ctx: ParseContext
) -> Comment:
    match = WPD_ID.match(item.get("id") or "")
    cid, parent = (match.group(1), match.group(2)) if match else ("0", "0")
    body = owned.first(item, WPD_TEXT)
    text, quotes = split_quotes(body, quote_css=QUOTE) if body is not None else ("", ())
    author = owned.first(item, WPD_AUTHOR)
    votes = owned.first(item, WPD_VOTES)
    score = int_or_none(votes.get("title") or text_of(votes)) if votes is not None else None
    return Comment(
        id=f"comment-{cid}", parent_id=None if parent == "0" else f"comment-{parent}", depth=0,
        author=clean(text_of(author)) if author is not None else None,
        score=score, score_label="votes" if score is not None else None,
        timestamp=_wpd_time(owned.first(item, WPD_DATE), languages, ctx),
        text=text, quotes=quotes,
    )


def _wpd_parents(
    items: list[etree._Element], owned: _Owned, comments: list[Comment]
) -> list[Comment]:
    """Keep the id-encoded parent when it is on the page; else the enclosing comment."""
    ids = {c.id for c in comments}
    fixed: list[Comment] = []
    for item, comment in zip(items, comments, strict=True):
        if comment.parent_id is None or comment.parent_id in ids:
            fixed.append(comment)
            continue
        holder = owned.owner(item)
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
    open_: list[tuple[int, str]] = []  # (level, id) of the items still open, levels rising
    fixed: list[Comment] = []
    for item, comment in zip(items, comments, strict=True):
        match = DEPTH_CLASS.search(item.get("class") or "")
        level = int(match.group(1)) if match else 0
        while level and open_ and open_[-1][0] >= level:
            open_.pop()
        flat = comment.parent_id is None and level > 1 and bool(open_) \
            and open_[-1][0] == level - 1
        fixed.append(replace(comment, parent_id=open_[-1][1]) if flat else comment)
        if level:
            open_.append((level, comment.id))
    return fixed


def _widget_or_comments(node: etree._Element) -> bool:
    return _is_widget(node) or node.get("id") == "comments"


def _is_widget(node: etree._Element) -> bool:
    classes = set((node.get("class") or "").split())
    return bool(classes & set(WIDGET_MARKERS)) or node.get("id") in WIDGET_MARKERS


def _comment_items(page: _Page) -> list[etree._Element]:
    """Comment elements inside comment lists, outside widgets, once each, in page order.

    One pass in page order: an element is listed when it, or an ancestor, is a comment
    list with no widget above it.
    """
    listings = set(page.select(COMMENT_LIST))
    candidates = set(page.select(COMMENT_ITEM))
    state: dict[etree._Element, tuple[bool, bool]] = {}  # (in a widget, in a listing)
    found: list[etree._Element] = []
    for node in page.elements:
        parent = node.getparent()
        in_widget, listed = state[parent] if parent is not None else (False, False)
        listed = listed or (node in listings and not in_widget)
        state[node] = (in_widget or _is_widget(node), listed)
        if listed and node in candidates and COMMENT_ID.match(node.get("id") or ""):
            found.append(node)
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


def _comment(
    item: etree._Element, owned: _Owned, languages: list[str] | None, ctx: ParseContext
) -> Comment:
    parent = owned.owner(item)
    body = _body(item, owned)
    text, quotes = split_quotes(body, quote_css=QUOTE, skip=TEXT_SKIP) if body is not None \
        else ("", ())
    cite = owned.first(item, "cite")
    byline = BYLINE.match(" ".join(text_of(cite).split())) if cite is not None else None
    author = _author(item, owned)
    if byline is not None and (author is None or author == byline.string):
        author = clean(byline.group("name"))
    timestamp = _time(item, owned, languages, ctx)
    if timestamp is None and byline is not None:
        timestamp = forum_time(byline.group("when"), reference=ctx.now, languages=languages)
    return Comment(
        id=item.get("id") or "",
        parent_id=parent.get("id") if parent is not None else None,
        depth=0, author=author, timestamp=timestamp, text=text, quotes=quotes,
    )


def _body(item: etree._Element, owned: _Owned) -> etree._Element | None:
    for css in TEXT:
        node = owned.first(item, css)
        if node is not None:
            return _without_children(node, owned)
    return _bare_body(item, owned)


def _bare_body(item: etree._Element, owned: _Owned) -> etree._Element:
    """The li without its byline, date and replies (themes with bare paragraphs)."""
    work = _hollow_copy(item, owned.reply_lists(item))
    # Elements, not id()s: a freed lxml proxy's id is reused by the next one made.
    inner = set(select(work, COMMENT_ITEM)) - {work}
    for node in select(work, BARE_CHROME):
        if any(a in inner for a in node.iterancestors()):
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


def _hollow_copy(node: etree._Element, hollow: list[etree._Element]) -> etree._Element:
    """A deep copy of node in which the hollow elements are copied without content.

    Used for reply lists the copy then removes: copying the replies first made every
    level of a reply chain copy all the levels below it.
    """
    saved = [list(element) for element in hollow]
    for element in hollow:
        del element[:]
    try:
        return copy.deepcopy(node)
    finally:
        for element, content in reversed(list(zip(hollow, saved, strict=True))):
            element.extend(content)


def _top_reply_lists(node: etree._Element, owned: _Owned) -> list[etree._Element]:
    """The reply lists below node that are not inside another reply list."""
    lists = owned.children_lists()
    found: list[etree._Element] = []
    stack = list(node)
    while stack:
        element = stack.pop()
        if element in lists:
            found.append(element)
        else:
            stack.extend(element)
    return found


def _without_children(node: etree._Element, owned: _Owned) -> etree._Element:
    """A copy of a body without nested reply lists (div-style themes nest inside it)."""
    tops = _top_reply_lists(node, owned)
    if not tops and node not in owned.children_lists():
        return node
    work = _hollow_copy(node, tops)
    for child in select(work, CHILDREN):
        parent = child.getparent()
        if parent is not None:
            parent.remove(child)
    return work


def _author(item: etree._Element, owned: _Owned) -> str | None:
    for css in AUTHOR:
        node = owned.first(item, css)
        if node is not None:
            name = clean(text_of(node, skip=("says", "screen-reader-text")))
            if name:
                return name
    return None


def _time(
    item: etree._Element, owned: _Owned, languages: list[str] | None, ctx: ParseContext
) -> Timestamp | None:
    node = owned.first(item, TIME_ATTR)
    if node is not None:
        return parse_time(node.get("datetime"), reference=ctx.now, languages=languages)
    node = owned.first(item, TIME_TEXT)
    if node is not None and not _is_reply_link(node):
        stamp = forum_time(text_of(node), reference=ctx.now, languages=languages)
        if stamp is not None:
            return stamp
    header = owned.first(item, HEADER)
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


def _article(page: _Page, languages: list[str] | None) -> Article:
    root = page.root
    title = page.first(ARTICLE_TITLE)
    body = _article_body(page)
    author = next((n for n in (page.first(css) for css in ARTICLE_AUTHOR)
                   if n is not None), None)
    return Article(
        title=clean(text_of(title)) if title is not None else meta_content(root, "og:title"),
        body=paragraphs(body, skip=("sharedaddy", "jp-relatedposts", "screen-reader-text")),
        url=page_url(root),
        author=clean(text_of(author)) if author is not None else None,
        published=_published(page, languages),
        declared_comment_count=_declared_count(page),
    )


def _article_body(page: _Page) -> etree._Element | None:
    """The first post body not inside a widget or the comments section."""
    memo: dict[etree._Element, bool] = {}
    for node in page.select(ARTICLE_BODY):
        if not _below(node, _widget_or_comments, memo):
            return node
    return None


def _published(page: _Page, languages: list[str] | None) -> Timestamp | None:
    raw = meta_content(page.root, "article:published_time")
    if raw is None:
        node = page.first(ARTICLE_TIME)
        if node is None:
            return None
        raw = node.get("datetime") or text_of(node)
    return parse_time(raw, languages=languages)


def _declared_count(page: _Page) -> int | None:
    for node in page.select(COUNT_HEADING):
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

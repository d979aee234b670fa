"""Reddit comment pages as HTML: new Reddit (2019 React, shreddit) and old Reddit markup."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.htmltools import int_or_none, select, select_one, text_of
from threadscope.model import Article, Comment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.forum_common import (
    clean,
    link_quotes,
    meta_content,
    page_url,
    paragraphs,
    split_quotes,
)

QUOTE = "blockquote"
# Bodies Reddit prints instead of a removed comment's text.
DELETED_TEXTS = frozenset({"[deleted]", "[removed]", "comment deleted by user",
                           "comment removed by moderator"})
# "50 comments" in og:description or "View entire discussion (50 comments)".
DECLARED = re.compile(r"(\d[\d,.]*k?)\s+comments?\b", re.IGNORECASE)
# "3 more replies", "1 more reply", "load more comments (12 replies)".
HIDDEN = re.compile(r"(\d[\d,]*)\s+(?:more\s+)?repl(?:y|ies)", re.IGNORECASE)

# --- new Reddit, 2019 React markup ---------------------------------------------
# Comments are flat siblings div#t1_X; nesting is shown by threadline columns whose
# classes name every ancestor (and the comment itself), in order.
REACT_ITEM = "div[id^='t1_'], div[id^='continueThread-'], div[id^='moreComments-']"
REACT_THREADLINE = "i.threadline"
THING_ID = re.compile(r"^t1_[0-9a-z]+$")
# "39 points", "1 point"; hidden scores print "Score hidden".
POINTS = re.compile(r"^(-?[\d.,]+k?)\s+points?$", re.IGNORECASE)
# Screen-reader label of the nesting level ("level 2"), printed on every comment.
LEVEL = re.compile(r"^level (\d+)$", re.IGNORECASE)
REACT_TIME = "a[id^='CommentTopMeta--Created--']"
REACT_BODY = "div[data-test-id=comment], div[data-testid=comment]"
REACT_AUTHOR = "a[href^='/user/'], a[href*='reddit.com/user/']"
REACT_TITLE = "div[data-test-id=post-content] h1, h1"
REACT_POST_TIME = "a[data-click-id=timestamp]"
REACT_POST_BODY = "div[data-test-id=post-content] div[data-click-id=text], div[data-click-id=text]"
# The page's own fetch time, in the embedded store: the reference for "6 years ago".
PAGELOAD = re.compile(r'"pageloadServerTime"\s*:\s*(\d{10,13})')

# --- new Reddit, shreddit web components (2023+) ---------------------------------
SHREDDIT_ITEM = "shreddit-comment"
SHREDDIT_BODY = "div[slot=comment]"
SHREDDIT_TIME = "faceplate-timeago[ts], time[datetime]"
# "N more replies" loader and the "Continue this thread" link below deep comments.
SHREDDIT_MORE = "faceplate-partial[src*='more-comments'], a[slot=more-comments-permalink]"
SHREDDIT_POST = "shreddit-post"

# --- old Reddit -----------------------------------------------------------------
# div.thing.comment data-fullname=t1_X; replies sit in div.child > div.sitetable.
OLD_ITEM = "div.thing.comment, div.thing.morechildren, div.thing.morerecursion"
OLD_AUTHOR = "a.author"
# Three scores are printed (dislikes/unvoted/likes); unvoted is the one shown.
OLD_SCORE = "span.score.unvoted"
OLD_TIME = "time[datetime]"
OLD_BODY = "div.usertext-body div.md"
OLD_POST = "div.thing.link"
OLD_COUNT = "a.comments"

HEAD_MARKERS = ("redditstatic.com", 'content="reddit"', "reddit.com/r/", "shreddit")


def detect(doc: Document) -> float:
    """Claim Reddit comment pages in any of the three HTML generations."""
    if not doc.looks_like_html or not any(m in doc.head for m in HEAD_MARKERS):
        return 0.0
    text = doc.text
    if "<shreddit-comment" in text or 'data-fullname="t1_' in text or 'id="t1_' in text:
        return 0.95
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The post and its comments; collapsed branches become placeholders."""
    root = doc.html
    reference = ctx.now or _pageload(doc.text)
    if select_one(root, SHREDDIT_ITEM) is not None:
        article, comments = _shreddit(root, reference)
    elif select_one(root, "div.thing.comment") is not None:
        article, comments = _old(root, reference)
    else:
        article, comments = _react(root, reference)
    return [build_thread(article, link_quotes(comments))]


def _pageload(text: str) -> datetime | None:
    match = PAGELOAD.search(text)
    if not match:
        return None
    value = int(match.group(1))
    return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, tz=UTC)


@lru_cache(maxsize=512)
def _relative(raw: str, reference: datetime | None) -> Timestamp | None:
    """"6 years ago" against the reference, once per distinct text (pages repeat it)."""
    return parse_time(raw, reference=reference)


def _is_deleted(text: str) -> bool:
    return text.strip().casefold() in DELETED_TEXTS


def _hidden(text: str) -> int | None:
    match = HIDDEN.search(text)
    return int(match.group(1).replace(",", "")) if match else None


# --- 2019 React ---------------------------------------------------------------------


def _react(root: etree._Element, reference: datetime | None) -> tuple[Article, list[Comment]]:
    comments: list[Comment] = []
    chain: list[str] = []  # ids of the latest comment at each level, for the fallback
    for item in select(root, REACT_ITEM):
        ident = item.get("id") or ""
        lines = _threadlines(item)
        parents = [line for line in lines if line != ident]
        level = _level(item) or len(parents) + 1
        parent = parents[-1] if parents else (chain[level - 2] if 1 < level <= len(chain) + 1
                                              else None)
        if THING_ID.match(ident):
            chain = [*chain[:level - 1], ident]
            comments.append(_react_comment(item, ident, parent, reference))
        elif ident.startswith(("continueThread-", "moreComments-")):
            comments.append(Comment(
                id=ident, parent_id=parent, depth=0,
                placeholder=True, hidden_count=_hidden(text_of(item)), text=text_of(item)))
    return _react_article(root, reference), comments


def _level(item: etree._Element) -> int | None:
    """The "level N" label screen readers get; used when threadlines are missing."""
    for span in select(item, "span"):
        match = LEVEL.match(" ".join(text_of(span).split()))
        if match:
            return int(match.group(1))
    return None


def _points(raw: str) -> int | None:
    """"39", "-2", "1.2k" as an integer."""
    value = raw.strip().lower().replace(",", "")
    if value.endswith("k"):
        try:
            return int(float(value[:-1]) * 1000)
        except ValueError:
            return None
    return int_or_none(value)


def _threadlines(item: etree._Element) -> list[str]:
    """Ids named by the threadline columns, outermost first."""
    found: list[str] = []
    for line in select(item, REACT_THREADLINE):
        holder = line.getparent()
        classes = (holder.get("class") or "").split() if holder is not None else []
        found.extend(c for c in classes if THING_ID.match(c))
    return found


def _react_comment(
    item: etree._Element, ident: str, parent: str | None, reference: datetime | None
) -> Comment:
    body = select_one(item, REACT_BODY)
    text, quotes = split_quotes(body, quote_css=QUOTE) if body is not None else ("", ())
    score = next((_points(m.group(1)) for m in (POINTS.match(text_of(s).strip())
                                               for s in select(item, "span")) if m), None)
    author = select_one(item, REACT_AUTHOR)
    when = select_one(item, REACT_TIME)
    return Comment(
        id=ident, parent_id=parent, depth=0,
        author=_user(text_of(author)) if author is not None else None,
        score=score, score_label="points" if score is not None else None,
        timestamp=_relative(text_of(when), reference) if when is not None else None,
        text=text, quotes=quotes, deleted=_is_deleted(text),
    )


def _user(name: str) -> str | None:
    value = clean(name)
    if value is None or value in ("[deleted]", "[removed]"):
        return None
    return value.removeprefix("u/")


def _react_article(root: etree._Element, reference: datetime | None) -> Article:
    title = select_one(root, REACT_TITLE)
    when = select_one(root, REACT_POST_TIME)
    return Article(
        title=clean(text_of(title)) if title is not None else meta_content(root, "og:title"),
        body=paragraphs(select_one(root, REACT_POST_BODY)),
        url=page_url(root),
        published=_relative(text_of(when), reference) if when is not None else None,
        declared_comment_count=_declared(meta_content(root, "og:description") or ""),
    )


def _declared(text: str) -> int | None:
    match = DECLARED.search(text)
    if not match:
        return None
    return _points(match.group(1))


# --- shreddit -----------------------------------------------------------------------


def _shreddit(root: etree._Element, reference: datetime | None) -> tuple[Article, list[Comment]]:
    items = select(root, SHREDDIT_ITEM)
    ids = {item.get("thingid") for item in items}
    comments: list[Comment] = []
    for node in select(root, f"{SHREDDIT_ITEM}, {SHREDDIT_MORE}"):  # page order
        if node.tag == SHREDDIT_ITEM:
            comments.append(_shreddit_comment(node, ids, reference))
        else:
            comments.append(_shreddit_stub(node, len(comments)))
    post = select_one(root, SHREDDIT_POST)
    article = Article(
        title=clean(post.get("post-title")) if post is not None else None,
        body=paragraphs(select_one(post, "[slot=text-body]")) if post is not None else (),
        url=page_url(root),
        author=_user(post.get("author") or "") if post is not None else None,
        published=parse_time(post.get("created-timestamp")) if post is not None else None,
        declared_comment_count=int_or_none(post.get("comment-count")) if post is not None
        else None,
    )
    return article, comments


def _shreddit_parent(item: etree._Element, ids: set[str | None]) -> str | None:
    parent = item.get("parentid")
    if parent in ids:
        return parent
    for anc in item.iterancestors(SHREDDIT_ITEM):
        return anc.get("thingid")
    return None


def _shreddit_comment(
    item: etree._Element, ids: set[str | None], reference: datetime | None
) -> Comment:
    body = _own_shreddit(item, SHREDDIT_BODY)
    text, quotes = split_quotes(body, quote_css=QUOTE) if body is not None else ("", ())
    when = _own_shreddit(item, SHREDDIT_TIME)
    raw = (when.get("ts") or when.get("datetime")) if when is not None else None
    author = item.get("author") or ""
    score = int_or_none(item.get("score"))
    return Comment(
        id=item.get("thingid") or "", parent_id=_shreddit_parent(item, ids), depth=0,
        author=_user(author), score=score, score_label="points" if score is not None else None,
        timestamp=parse_time(raw, reference=reference) if raw else None,
        text=text, quotes=quotes,
        deleted=author in ("[deleted]", "[removed]") or item.get("is-comment-deleted") == "true",
    )


def _own_shreddit(item: etree._Element, css: str) -> etree._Element | None:
    for node in select(item, css):
        if next(node.iterancestors(SHREDDIT_ITEM), None) is item:
            return node
    return None


def _shreddit_stub(node: etree._Element, index: int) -> Comment:
    """A "4 more replies" loader or "Continue this thread" link under its comment."""
    owner = next(node.iterancestors(SHREDDIT_ITEM), None)
    parent = owner.get("thingid") if owner is not None else None
    label = " ".join(str(t) for t in node.itertext())  # the count sits in a <button>
    label = " ".join(label.split())
    return Comment(id=f"more-{parent or 'post'}-{index}", parent_id=parent, depth=0,
                   placeholder=True, hidden_count=_hidden(label), text=label)


# --- old Reddit ---------------------------------------------------------------------


def _old(root: etree._Element, reference: datetime | None) -> tuple[Article, list[Comment]]:
    comments: list[Comment] = []
    for index, thing in enumerate(select(root, OLD_ITEM)):
        parent = next((a.get("data-fullname") for a in thing.iterancestors("div")
                       if "comment" in (a.get("class") or "").split()), None)
        if "comment" in (thing.get("class") or "").split():
            comments.append(_old_comment(thing, parent, reference))
        else:
            label = text_of(thing)
            comments.append(Comment(
                id=f"more-{index}", parent_id=parent, depth=0, placeholder=True,
                hidden_count=_hidden(label), text=label))
    return _old_article(root, reference), comments


def _entry(thing: etree._Element) -> etree._Element:
    """The thing's own entry block (replies live in its div.child, not here)."""
    for child in thing:
        if child.tag == "div" and "entry" in (child.get("class") or "").split():
            return child
    return thing


def _old_comment(thing: etree._Element, parent: str | None, reference: datetime | None) -> Comment:
    entry = _entry(thing)
    author = select_one(entry, OLD_AUTHOR)
    text, quotes = split_quotes(body, quote_css=QUOTE) if (body := select_one(
        entry, OLD_BODY)) is not None else ("", ())
    score = _old_score(entry)
    when = select_one(entry, OLD_TIME)
    deleted = "deleted" in (thing.get("class") or "").split() or _is_deleted(text)
    return Comment(
        id=thing.get("data-fullname") or thing.get("id") or "",
        parent_id=parent, depth=0,
        author=_user(text_of(author)) if author is not None else None,
        score=score, score_label="points" if score is not None else None,
        timestamp=parse_time(when.get("datetime"), reference=reference) if when is not None
        else None,
        text=text, quotes=quotes, deleted=deleted,
    )


def _old_score(entry: etree._Element) -> int | None:
    node = select_one(entry, OLD_SCORE)
    if node is None:
        return None
    return int_or_none(node.get("title") or text_of(node))


def _old_article(root: etree._Element, reference: datetime | None) -> Article:
    post = select_one(root, OLD_POST)
    if post is None:
        return Article(url=page_url(root))
    entry = _entry(post)
    title = select_one(entry, "a.title")
    when = select_one(entry, OLD_TIME)
    author = select_one(entry, OLD_AUTHOR)
    count = select_one(entry, OLD_COUNT)
    return Article(
        title=clean(text_of(title)) if title is not None else None,
        body=paragraphs(select_one(entry, OLD_BODY)),
        url=page_url(root),
        author=_user(text_of(author)) if author is not None else None,
        published=parse_time(when.get("datetime"), reference=reference) if when is not None
        else None,
        declared_comment_count=_declared(text_of(count)) if count is not None else None,
    )


FAMILY = SiteFamily(
    name="reddit-html",
    description="Reddit comment pages as HTML (new React/shreddit and old Reddit markup)",
    detect=detect,
    parse=parse,
    examples=("trafilatura/reddit.com.init.html",),
)

"""Hacker News: item pages (HTML comment rows nested by indent) and the item APIs' JSON.

Three inputs: the item page (``tr.athing.comtr`` rows whose nesting is an
indent), the Firebase API item with its ``kids`` expanded into objects (or a
flat list of items linked by ``parent``), and the Algolia items API (nested
``children``). HN shows no per-comment scores; deleted and flagged comments
keep their row with a bracketed marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.errors import InputError
from threadscope.htmltools import int_or_none, parse_html, select, select_one, text_of
from threadscope.model import Article, Comment, QuoteSegment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.reddit_json import markdown_quotes

SITE_URL = "https://news.ycombinator.com"
# Page markers: the site's name in the title or links, and its row class.
HTML_MARKERS = ("news.ycombinator.com", "| hacker news</title>")
ROW_MARKERS = ("class='athing", 'class="athing')
# Comment rows; older pages lack "comtr", so rows are also taken by their td.ind.
ROW = "tr.athing"
INDENT_CELL = "td.ind"
# Before 2022 the indent was only a spacer image 40 px wide per level.
INDENT_PX = 40
AUTHOR = "a.hnuser"
AGE = "span.age"
# The comment text; its "reply" link sat inside it on pages before ~2019.
BODY = ".commtext"
BODY_SKIP = ("reply",)
COMMENT_CELL = "div.comment"
# What HN prints instead of a removed comment's text.
GONE_MARKERS = frozenset({"[deleted]", "[flagged]", "[dead]", "[removed]"})
# Long threads are paginated: the first page ends with a "More" link.
MORE_LINK = "a.morelink"
STORY_TITLE = "span.titleline > a, a.storylink, td.title > a"
STORY_SUBTEXT = "td.subtext"
# Ask/Show HN text; pages before ~2020 put it in an unmarked cell: an accepted gap.
STORY_TEXT = "div.toptext"
COMMENT_COUNT = re.compile(r"(\d+)\s*comments?")

# JSON shapes: Firebase items have "by"/"kids"/"time"; Algolia items have
# "children"/"created_at_i"/"story_id". Both carry "type" story|comment.
JSON_TYPE = re.compile(r'"type"\s*:\s*"(story|comment|job|poll|ask)"')
FIREBASE_KEYS = ('"kids"', '"by"', '"descendants"')
ALGOLIA_KEYS = ('"children"', '"created_at_i"', '"story_id"')
STORY_TYPES = frozenset({"story", "job", "poll", "ask"})
# Marks a stack entry standing for unexpanded kids (never a key of an API item).
HIDDEN_KEY = "\x00hidden"


def detect(doc: Document) -> float:
    """Claim HN item pages and HN API items."""
    head = doc.head
    if doc.looks_like_json:
        if not JSON_TYPE.search(head):
            return 0.0
        if sum(k in head for k in ALGOLIA_KEYS) >= 2 or (
            '"time"' in head and sum(k in head for k in FIREBASE_KEYS) >= 1
        ):
            return 0.9
        return 0.0
    if not doc.looks_like_html:
        return 0.0
    if any(m in head for m in HTML_MARKERS) and any(m in head for m in ROW_MARKERS):
        return 0.95
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The story and its comments from an item page or an API item."""
    if doc.looks_like_json:
        return [_parse_json(doc.json, doc.path)]
    return [_parse_html(doc.html, ctx.now)]


# --- item page (HTML) ---------------------------------------------------------


def _parse_html(root: etree._Element, now: datetime | None) -> Thread:
    story = _story_row(root)
    reference = now or _page_time(root)
    comments: list[Comment] = []
    open_at: list[str] = []  # open_at[k] = id of the latest comment at indent k
    for row in select(root, ROW):
        indent = _indent(row)
        if indent is None or not row.get("id"):
            continue
        del open_at[indent:]
        parent = open_at[-1] if open_at else None
        comment = _html_comment(row, parent, reference)
        comments.append(comment)
        open_at.append(comment.id)
    comments.extend(_more_link(root))
    return build_thread(_html_article(root, story, reference), comments)


def _indent(row: etree._Element) -> int | None:
    """The row's nesting level (0 = top), None when the row is not a comment."""
    cell = select_one(row, INDENT_CELL)
    if cell is None:
        return None
    if cell.get("indent", "").isdigit():
        return int(cell.get("indent", "0"))
    img = select_one(cell, "img")
    width = int_or_none(img.get("width")) if img is not None else None
    return (width or 0) // INDENT_PX


def _html_comment(row: etree._Element, parent: str | None, reference: datetime | None) -> Comment:
    author = select_one(row, AUTHOR)
    body = select_one(row, BODY)
    text = text_of(body, skip=BODY_SKIP) if body is not None else ""
    # A removed comment shows only its marker, in the text span or bare in the cell.
    shown = text or text_of(select_one(row, COMMENT_CELL), skip=BODY_SKIP)
    gone = shown.strip() in GONE_MARKERS
    return Comment(
        id=str(row.get("id")),
        parent_id=parent,
        depth=0,
        author=text_of(author) or None if author is not None else None,
        timestamp=_age(select_one(row, AGE), reference),
        text="" if gone else text,
        quotes=() if gone else _quotes(text),
        deleted=gone,
    )


def _age(node: etree._Element | None, reference: datetime | None) -> Timestamp | None:
    """The title's ISO time (newer pages append the epoch), else the relative text."""
    if node is None:
        return None
    title = (node.get("title") or "").split()
    if title:
        stamp = parse_time(title[0])
        if stamp is not None:
            return stamp
    return parse_time(text_of(node), reference=reference)


def _quotes(text: str) -> tuple[QuoteSegment, ...]:
    """HN has no quote markup: people quote with a paragraph starting ">"."""
    return markdown_quotes(text) if ">" in text else ()


def _more_link(root: etree._Element) -> list[Comment]:
    """A placeholder for the next page's comments (count not given)."""
    link = select_one(root, MORE_LINK)
    if link is None or "p=" not in (link.get("href") or ""):
        return []
    return [Comment(id="more_next_page", parent_id=None, depth=0, placeholder=True)]


def _story_row(root: etree._Element) -> etree._Element | None:
    for row in select(root, ROW):
        if select_one(row, INDENT_CELL) is None:
            return row
    return None


def _page_time(root: etree._Element) -> datetime | None:
    """The latest absolute time on the page: the best stand-in for "saved at"."""
    times = [parse_time((a.get("title") or "").split()[0]) for a in select(root, AGE)
             if (a.get("title") or "").split()]
    isos = sorted(t.iso for t in times if t is not None)
    return datetime.fromisoformat(isos[-1]) if isos else None


def _html_article(
    root: etree._Element, story: etree._Element | None, reference: datetime | None
) -> Article:
    if story is None:
        return Article()
    title = select_one(story, STORY_TITLE)
    sub = story.getnext()
    subtext = select_one(sub, STORY_SUBTEXT) if sub is not None else None
    author = select_one(subtext, AUTHOR) if subtext is not None else None
    age = select_one(subtext, AGE) if subtext is not None else None
    count = COMMENT_COUNT.search(text_of(subtext)) if subtext is not None else None
    body = select_one(root, STORY_TEXT)
    return Article(
        title=text_of(title) or None,
        body=tuple(p for p in text_of(body).split("\n\n") if p),
        url=f"{SITE_URL}/item?id={story.get('id')}",
        author=text_of(author) or None if author is not None else None,
        published=_age(age, reference),
        declared_comment_count=int(count.group(1)) if count else None,
    )


# --- API items (JSON) ---------------------------------------------------------


def _parse_json(data: Any, path: str) -> Thread:
    if isinstance(data, list):
        return _parse_flat(data, path)
    if not isinstance(data, dict):
        raise InputError("not a Hacker News API item (expected an object or a list)", path)
    story = data if data.get("type") in STORY_TYPES else None
    roots = _kids(data) if story is not None else [data]
    return build_thread(_json_article(story), list(_walk_items(roots)))


def _kids(item: Mapping[str, Any]) -> list[Any]:
    """Replies: Algolia's ``children`` or Firebase's ``kids`` (objects or bare ids)."""
    kids = item.get("children", item.get("kids"))
    return kids if isinstance(kids, list) else []


def _walk_items(roots: list[Any]) -> Iterator[Comment]:
    """Iterative pre-order walk; a run of bare ids (unexpanded kids) is one placeholder.

    The placeholder stands after its parent's expanded replies, as on the site.
    """
    stack: list[tuple[Any, str | None]] = []
    _push_kids(stack, roots, None)
    while stack:
        item, parent = stack.pop()
        if HIDDEN_KEY in item:
            yield Comment(id=f"more_{parent or 'top'}", parent_id=parent, depth=0,
                          placeholder=True, hidden_count=item[HIDDEN_KEY])
            continue
        comment = _json_comment(item, parent)
        yield comment
        _push_kids(stack, _kids(item), comment.id)


def _push_kids(stack: list[tuple[Any, str | None]], kids: list[Any], parent: str | None) -> None:
    hidden = sum(1 for k in kids if isinstance(k, int) and not isinstance(k, bool))
    if hidden:
        stack.append(({HIDDEN_KEY: hidden}, parent))
    stack.extend((k, parent) for k in reversed(kids) if isinstance(k, dict))


def _json_comment(item: Mapping[str, Any], parent: str | None) -> Comment:
    text = _html_text(item.get("text"))
    author = item.get("by", item.get("author"))
    gone = bool(item.get("deleted") or item.get("dead")) or (author is None and not text)
    return Comment(
        id=str(item.get("id")),
        parent_id=parent,
        depth=0,
        author=str(author) if author else None,
        timestamp=_json_time(item),
        text=text,
        quotes=_quotes(text),
        deleted=gone,
    )


def _json_time(item: Mapping[str, Any]) -> Timestamp | None:
    for key in ("time", "created_at_i"):
        value = item.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return parse_time(value)
    created = item.get("created_at")
    return parse_time(created) if isinstance(created, str) else None


def _html_text(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        return ""
    return text_of(parse_html(f"<div>{raw}</div>"))  # a wrapper: never an empty document


def _json_article(story: Mapping[str, Any] | None) -> Article:
    if story is None:
        return Article()
    count = story.get("descendants")
    return Article(
        title=str(story["title"]) if story.get("title") else None,
        body=tuple(p for p in _html_text(story.get("text")).split("\n\n") if p),
        url=str(story.get("url") or f"{SITE_URL}/item?id={story.get('id')}"),
        author=str(story.get("by", story.get("author")) or "") or None,
        published=_json_time(story),
        declared_comment_count=count if isinstance(count, int) else None,
    )


def _parse_flat(items: list[Any], path: str) -> Thread:
    """A list of Firebase items linked by ``parent``; unknown parents give top level."""
    records = [i for i in items if isinstance(i, dict) and i.get("id") is not None]
    if not records:
        raise InputError("not a Hacker News API item list (no objects with an id)", path)
    story = next((r for r in records if r.get("type") in STORY_TYPES), None)
    ids = {str(r["id"]) for r in records if r is not story}
    comments = []
    for record in records:
        if record is story:
            continue
        parent = str(record.get("parent")) if record.get("parent") is not None else None
        comments.append(_json_comment(record, parent if parent in ids else None))
    return build_thread(_json_article(story), comments)


FAMILY = SiteFamily(
    name="hackernews",
    description="Hacker News item pages (indent rows) and item API JSON (Firebase, Algolia)",
    detect=detect,
    parse=parse,
    formats=("html", "json"),
    examples=("hackernews/hn_item_28016025.html",),
)

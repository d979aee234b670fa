"""Discourse: topic JSON (/t/<id>.json post streams) and topic pages' crawler HTML.

In the JSON every post names the post it answers (``reply_to_post_number``), so
the tree is real. The crawler HTML (what a saved page or a search engine sees)
shows posts flat, with no reply links: every post there is top level, an
accepted gap. Quotes of other posts (``aside.quote`` in cooked HTML,
``[quote="user, post:N"]`` in raw text) become explicit quote segments naming
the quoted author, and the quoted post when it is in the same topic on the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.errors import InputError
from threadscope.htmltools import int_or_none, parse_html, select, select_one, text_of
from threadscope.model import Article, Comment, QuoteSegment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.news_common import body_with_quotes

# --- topic JSON ---------------------------------------------------------------

# Every topic JSON carries a post stream; no other family's JSON uses the key.
JSON_MARKER = '"post_stream"'
# actions_summary entry id 2 is "like" in every Discourse version.
LIKE_ACTION_ID = 2
LIKES_LABEL = "likes"
# A quote in raw markdown: [quote="user, post:3, topic:57"] ... [/quote]
RAW_QUOTE = re.compile(
    r'\[quote="(?P<user>[^",\]]+)(?:,\s*post:(?P<post>\d+))?(?:,\s*topic:(?P<topic>\d+))?'
    r'[^"\]]*"\](?P<text>.*?)\[/quote\]',
    re.DOTALL | re.IGNORECASE,
)

# --- quotes in cooked HTML ----------------------------------------------------

# A quote of another post: aside.quote with the quoted user, post number and
# topic as data attributes; its div.title repeats the user's name ("sam:").
QUOTE_ASIDE = "aside.quote"
QUOTE_SKIP = ("title", "quote-controls")
# Marks, on a private copy, the quote blocks to split on: asides, and plain
# markdown blockquotes that are not the inner block of an aside.
QUOTE_MARK = "ts-quote"

# --- crawler HTML -------------------------------------------------------------

# Discourse stamps every page with its generator; the crawler view then renders
# posts as div.crawler-post (2019+) or schema.org DiscussionForumPosting blocks.
HTML_GENERATOR = 'content="discourse'
HTML_POST_MARKERS = ("crawler-post", "discussionforumposting")
CRAWLER_POST = "div.crawler-post"
SCHEMA_POST = "div[itemtype$='DiscussionForumPosting']"
POST_NUMBER_ID = re.compile(r"^post_(\d+)$")
POSITION = "[itemprop=position]"
AUTHOR = ".creator [itemprop=name], [itemprop=author] [itemprop=name], b[itemprop=author]"
AUTHOR_LINK = ".creator a"
TIME = "time[datetime], meta[itemprop=datePublished]"
TIME_TEXT = ".crawler-post-infos"
BODY = "div.post"
# Likes: 2018 pages put "UserLikes:N" in a meta, newer ones a "5 Likes" span.
LIKES_META = "meta[itemprop=interactionCount]"
LIKES_SPAN = "span.post-likes"
USER_LIKES = re.compile(r"UserLikes:\s*(\d+)")
TITLE = "#topic-title h1, h1, meta[property='og:title']"
CANONICAL = "link[rel=canonical]"


def detect(doc: Document) -> float:
    """Claim topic JSON (a post stream) and Discourse crawler pages."""
    head = doc.head
    if doc.looks_like_json:
        return 0.95 if JSON_MARKER in head else 0.0
    if not doc.looks_like_html or HTML_GENERATOR not in head:
        return 0.0
    text = doc.text.lower()
    return 0.9 if any(m in text for m in HTML_POST_MARKERS) else 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The topic as one thread: posts as comments, the opening post included."""
    if doc.looks_like_json:
        return [_parse_json(doc.json, doc.path)]
    return [_parse_html(doc.html, ctx.now)]


# --- topic JSON ---------------------------------------------------------------


def _parse_json(data: Any, path: str) -> Thread:
    stream = data.get("post_stream") if isinstance(data, dict) else None
    if not isinstance(stream, dict) or not isinstance(stream.get("posts"), list):
        raise InputError("not a Discourse topic (no post_stream.posts list)", path)
    posts = stream["posts"]
    posts = [p for p in posts if isinstance(p, dict) and p.get("id") is not None]
    by_number = {p["post_number"]: str(p["id"]) for p in posts if "post_number" in p}
    topic = data.get("id")
    comments = [_json_post(p, by_number, topic) for p in posts]
    comments.extend(_unloaded(stream, posts))
    return build_thread(_json_article(data), comments)


def _json_post(post: Mapping[str, Any], by_number: Mapping[Any, str], topic: Any) -> Comment:
    cid = str(post["id"])
    # A reply to a post not in this stream (deleted, or on a later page of a
    # long topic) cannot be linked: it is kept as a top-level post.
    parent = by_number.get(post.get("reply_to_post_number"))
    text, quotes = _post_text(post, by_number, topic)
    likes = _likes(post)
    return Comment(
        id=cid,
        parent_id=parent if parent != cid else None,
        depth=0,
        author=str(post.get("username") or post.get("name") or "") or None,
        score=likes,
        score_label=LIKES_LABEL if likes is not None else None,
        timestamp=_iso_time(post.get("created_at")),
        text=text,
        quotes=quotes,
        deleted=bool(post.get("deleted_at") or post.get("user_deleted")),
    )


def _post_text(
    post: Mapping[str, Any], by_number: Mapping[Any, str], topic: Any
) -> tuple[str, tuple[QuoteSegment, ...]]:
    cooked = post.get("cooked")
    if isinstance(cooked, str) and cooked.strip():
        # Wrapped so cooked HTML holding only a comment is not an empty document.
        body = select_one(parse_html(f"<div>{cooked}</div>"), "body")
        if body is not None:
            return cooked_quotes(body, by_number, topic)
    raw = post.get("raw")
    if isinstance(raw, str):
        return raw.strip(), raw_quotes(raw, by_number, topic)
    return "", ()


def _likes(post: Mapping[str, Any]) -> int | None:
    count = post.get("like_count")
    if isinstance(count, int) and not isinstance(count, bool):
        return count
    for action in post.get("actions_summary") or ():
        if isinstance(action, dict) and action.get("id") == LIKE_ACTION_ID:
            value = action.get("count", 0)
            return value if isinstance(value, int) else None
    return None


def _unloaded(stream: Mapping[str, Any], posts: list[Mapping[str, Any]]) -> list[Comment]:
    """One placeholder for posts the stream lists but this page did not load."""
    ids = stream.get("stream")
    if not isinstance(ids, list):
        return []
    loaded = {p["id"] for p in posts}
    missing = sum(1 for i in ids if i not in loaded)
    if not missing:
        return []
    return [Comment(id="more_stream", parent_id=None, depth=0, placeholder=True,
                    hidden_count=missing)]


def _iso_time(raw: Any) -> Timestamp | None:
    return parse_time(raw) if isinstance(raw, str) and raw else None


def _json_article(data: Mapping[str, Any]) -> Article:
    """Title, time and post count; the opening post stays comment 1, not the body."""
    details = data.get("details") if isinstance(data.get("details"), dict) else {}
    creator = details.get("created_by") if isinstance(details, dict) else None
    slug, topic = data.get("slug"), data.get("id")
    count = data.get("posts_count")
    return Article(
        title=str(data["title"]) if data.get("title") else None,
        url=f"/t/{slug}/{topic}" if slug and topic is not None else None,
        author=str(creator["username"]) if isinstance(creator, dict) and creator.get(
            "username") else None,
        published=_iso_time(data.get("created_at")),
        declared_comment_count=count if isinstance(count, int) else None,
    )


# --- quotes -------------------------------------------------------------------


def cooked_quotes(
    body: etree._Element, by_number: Mapping[Any, str], topic: Any
) -> tuple[str, tuple[QuoteSegment, ...]]:
    """Text and quote segments of a cooked post body (the element is marked in place).

    Args:
        body: The post's body element, a tree the caller owns.
        by_number: Post number to comment id, for posts on the page.
        topic: This topic's id (a quote of another topic is not linked).
    """
    marked = _mark_quotes(body)
    text, segments = body_with_quotes(body, quote_css=f".{QUOTE_MARK}", skip=QUOTE_SKIP)
    quoted = [q for q in marked if text_of(q, skip=QUOTE_SKIP)]
    if len(quoted) != len(segments):
        return text, segments  # nested quotes: authors cannot be matched one to one
    return text, tuple(
        _attributed(seg, q, by_number, topic) for seg, q in zip(segments, quoted, strict=True)
    )


def _mark_quotes(body: etree._Element) -> list[etree._Element]:
    marked = []
    for node in select(body, f"{QUOTE_ASIDE}, blockquote"):
        if node.tag == "blockquote" and any(
            a.tag == "aside" and "quote" in (a.get("class") or "").split()
            for a in node.iterancestors()
        ):
            continue
        node.set("class", f"{node.get('class') or ''} {QUOTE_MARK}".strip())
        marked.append(node)
    return marked


def _attributed(
    seg: QuoteSegment, node: etree._Element, by_number: Mapping[Any, str], topic: Any
) -> QuoteSegment:
    user = node.get("data-username")
    number = int_or_none(node.get("data-post"))
    quoted_topic = int_or_none(node.get("data-topic"))
    same_topic = quoted_topic is None or topic is None or str(quoted_topic) == str(topic)
    source = by_number.get(number) if same_topic and number is not None else None
    return replace(seg, source_author=user or None, source_id=source)


def raw_quotes(
    raw: str, by_number: Mapping[Any, str], topic: Any
) -> tuple[QuoteSegment, ...]:
    """Quote segments from ``[quote="user, post:N, topic:T"]`` blocks in raw markdown."""
    matches = list(RAW_QUOTE.finditer(raw))
    segments = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(raw)
        number = int(match["post"]) if match["post"] else None
        same_topic = match["topic"] is None or topic is None or match["topic"] == str(topic)
        segments.append(QuoteSegment(
            text=match["text"].strip(),
            source_id=by_number.get(number) if same_topic and number is not None else None,
            answer=raw[match.end():end].strip(),
            kind="explicit",
            source_author=match["user"].strip(),
        ))
    return tuple(s for s in segments if s.text)


# --- crawler HTML -------------------------------------------------------------


def _parse_html(root: etree._Element, now: datetime | None) -> Thread:
    nodes = select(root, CRAWLER_POST) or [
        n for n in select(root, SCHEMA_POST) if select_one(n, BODY) is not None
    ]
    numbers = [_post_number(n, i) for i, n in enumerate(nodes, start=1)]
    by_number = {n: str(n) for n in numbers}
    topic = _topic_id(root)
    comments = [
        _html_post(node, number, by_number, topic, now)
        for node, number in zip(nodes, numbers, strict=True)
    ]
    comments = _dedupe(comments)
    opening = comments[0] if comments and numbers[0] == 1 else None
    article = replace(
        _html_article(root),
        author=opening.author if opening else None,
        published=opening.timestamp if opening else None,
    )
    return build_thread(article, comments)


def _post_number(node: etree._Element, fallback: int) -> int:
    match = POST_NUMBER_ID.match(node.get("id") or "")
    if match:
        return int(match.group(1))
    position = select_one(node, POSITION)
    number = int_or_none(text_of(position)) if position is not None else None
    return number if number is not None else fallback


def _topic_id(root: etree._Element) -> str | None:
    link = select_one(root, CANONICAL)
    match = re.search(r"/t/[^/]+/(\d+)", link.get("href") or "") if link is not None else None
    return match.group(1) if match else None


def _html_post(
    node: etree._Element,
    number: int,
    by_number: Mapping[Any, str],
    topic: str | None,
    now: datetime | None,
) -> Comment:
    body = select_one(node, BODY)
    text, quotes = cooked_quotes(body, by_number, topic) if body is not None else ("", ())
    likes = _html_likes(node)
    return Comment(
        id=str(number),
        parent_id=None,
        depth=0,
        author=_html_author(node),
        score=likes,
        score_label=LIKES_LABEL if likes is not None else None,
        timestamp=_html_time(node, now),
        text=text,
        quotes=quotes,
    )


def _html_author(node: etree._Element) -> str | None:
    found = select_one(node, AUTHOR)
    if found is None:  # lxml elements without children are falsy: no "or" chaining
        found = select_one(node, AUTHOR_LINK)
    return text_of(found) or None if found is not None else None


def _html_time(node: etree._Element, now: datetime | None) -> Timestamp | None:
    stamp = select_one(node, TIME)
    if stamp is not None:
        parsed = parse_time(stamp.get("datetime") or stamp.get("content"))
        if parsed is not None:
            return parsed
    infos = select_one(node, TIME_TEXT)
    if infos is None:
        return None
    # The printed date, without the post number that shares its span.
    words = infos.xpath("./text() | ./*[not(@itemprop='position')]//text()")
    text = " ".join(str(w) for w in words) if isinstance(words, list) else ""
    return parse_time(text, reference=now)


def _html_likes(node: etree._Element) -> int | None:
    for meta in select(node, LIKES_META):
        match = USER_LIKES.search(meta.get("content") or "")
        if match:
            return int(match.group(1))
    span = select_one(node, LIKES_SPAN)
    if span is None:
        return None
    return int_or_none(text_of(span)) or 0  # an empty span means no likes yet


def _dedupe(comments: list[Comment]) -> list[Comment]:
    """Drop repeats of a post number (a page that renders a post twice)."""
    seen: set[str] = set()
    out = []
    for comment in comments:
        if comment.id not in seen:
            seen.add(comment.id)
            out.append(comment)
    return out


def _html_article(root: etree._Element) -> Article:
    title = select_one(root, TITLE)
    text = (title.get("content") or "") if title is not None and title.tag == "meta" else (
        text_of(title))
    link = select_one(root, CANONICAL)
    return Article(title=text or None, url=link.get("href") if link is not None else None)


FAMILY = SiteFamily(
    name="discourse",
    description="Discourse topic JSON (reply links) and crawler-view topic pages",
    detect=detect,
    parse=parse,
    formats=("json", "html"),
    examples=("discourse/try_discourse_topic.json",),
)

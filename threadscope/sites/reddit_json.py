"""Reddit API JSON: /comments/<id> listings ([submission, comments]) and bare comment listings.

The tree is walked iteratively (reply chains thousands deep must not hit the
recursion limit). ``more`` stubs become placeholder comments where they stand;
"[deleted]"/"[removed]" authors become None and such bodies mark the comment
deleted. Markdown ``>`` lines become explicit quote segments with no source yet
(the quote linker resolves them by text).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from typing import Any

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.errors import InputError
from threadscope.model import Article, Comment, QuoteSegment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily

# A Reddit API answer is a "Listing" whose children are kinds t1 (comment),
# t3 (submission) or "more" (collapsed replies); the head must show both.
LISTING_KIND = re.compile(r'"kind"\s*:\s*"listing"')
THING_KIND = re.compile(r'"kind"\s*:\s*"(t1|t3|more)"')
COMMENT_KIND = "t1"
SUBMISSION_KIND = "t3"
MORE_KIND = "more"
# What Reddit prints in place of an author or body that is gone.
GONE = frozenset({"[deleted]", "[removed]"})
SCORE_LABEL = "points"
SITE_URL = "https://www.reddit.com"
# A markdown quote line: up to three spaces, then ">"; only this one level is
# stripped, so a quote of a quote keeps its inner ">".
QUOTE_LINE = re.compile(r"^ {0,3}> ?")
# "continue this thread" stubs carry id "_" and count 0: no site id and no count.
NO_ID = "_"


def detect(doc: Document) -> float:
    """Claim JSON whose head shows a Listing with t1/t3/more children."""
    if not doc.looks_like_json:
        return 0.0
    head = doc.head
    if LISTING_KIND.search(head) and THING_KIND.search(head):
        return 0.95
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The submission (when present) and its comment tree, placeholders included."""
    submission, top = _split(_listings(doc.json, doc.path))
    comments = list(_walk(top))
    return [build_thread(_article(submission), comments)]


def _listings(data: Any, path: str) -> list[Mapping[str, Any]]:
    """The Listing objects: a [submission, comments] pair or one bare listing."""
    items = data if isinstance(data, list) else [data]
    found: list[Mapping[str, Any]] = [
        i for i in items if isinstance(i, dict) and i.get("kind") == "Listing"
    ]
    if not found:
        raise InputError("not a Reddit API listing (no object with kind Listing)", path)
    return found


def _children(listing: Any) -> list[Mapping[str, Any]]:
    data = listing.get("data") if isinstance(listing, dict) else None
    kids = data.get("children") if isinstance(data, dict) else None
    if not isinstance(kids, list):
        return []
    return [k for k in kids if isinstance(k, dict) and isinstance(k.get("data"), dict)]


def _split(
    listings: list[Mapping[str, Any]],
) -> tuple[Mapping[str, Any] | None, list[Mapping[str, Any]]]:
    """The first submission's data and every top-level comment or stub, in order."""
    submission: Mapping[str, Any] | None = None
    top: list[Mapping[str, Any]] = []
    for listing in listings:
        for child in _children(listing):
            kind = child.get("kind")
            if kind == SUBMISSION_KIND and submission is None:
                submission = child["data"]
            elif kind in (COMMENT_KIND, MORE_KIND):
                top.append(child)
    return submission, top


def _walk(top: list[Mapping[str, Any]]) -> Iterator[Comment]:
    """Pre-order over comments and stubs; the parent is where a thing stands.

    The structural parent is used rather than ``parent_id`` so that a bare
    listing of a sub-thread (its first comments answer comments not in the
    file) still gives a tree: those comments become top level. Depths are known
    from the nesting, so build_thread keeps each comment as it is (a copy with
    the depth set cost 7 µs a comment).
    """
    stack: list[tuple[Mapping[str, Any], str | None, int]] = [
        (c, None, 1) for c in reversed(top)]
    seen: set[str] = set()
    while stack:
        child, parent, depth = stack.pop()
        data = child["data"]
        if child.get("kind") == MORE_KIND:
            yield _placeholder(data, parent, depth, seen)
            continue
        if child.get("kind") != COMMENT_KIND:
            continue
        comment = _comment(data, parent, depth, seen)
        yield comment
        replies = _children(data.get("replies"))
        stack.extend((reply, comment.id, depth + 1) for reply in reversed(replies))


def _unique(candidate: str, seen: set[str]) -> str:
    """The id, suffixed when a broken dump repeats it (ids must be unique)."""
    cid, n = candidate, 1
    while cid in seen:
        n += 1
        cid = f"{candidate}~{n}"
    seen.add(cid)
    return cid


def _comment(data: Mapping[str, Any], parent: str | None, depth: int,
             seen: set[str]) -> Comment:
    body = str(data.get("body") or "")
    gone = body.strip() in GONE
    text = "" if gone else html.unescape(body).strip()
    author = data.get("author")
    return Comment(
        id=_unique(str(data.get("id") or data.get("name") or f"c{len(seen)}"), seen),
        parent_id=parent,
        depth=depth,
        author=None if not author or author in GONE else str(author),
        score=_score(data),
        score_label=SCORE_LABEL if _score(data) is not None else None,
        timestamp=_time(data.get("created_utc")),
        text=text,
        quotes=markdown_quotes(text),
        deleted=gone,
    )


def _placeholder(data: Mapping[str, Any], parent: str | None, depth: int,
                 seen: set[str]) -> Comment:
    """A ``more`` stub: hidden replies, counted when Reddit says how many."""
    raw_id = str(data.get("id") or NO_ID)
    # The stub's id is its first hidden comment's id: prefixed so it never
    # collides with that comment when the replies are fetched and merged.
    base = f"more_{raw_id}" if raw_id != NO_ID else f"more_{parent or 'top'}"
    count = data.get("count")
    hidden = count if isinstance(count, int) and count > 0 else None
    return Comment(
        id=_unique(base, seen), parent_id=parent, depth=depth, placeholder=True,
        hidden_count=hidden,
    )


def _score(data: Mapping[str, Any]) -> int | None:
    """The score, None while Reddit hides it (``score_hidden``) or when absent."""
    score = data.get("score")
    if data.get("score_hidden") or isinstance(score, bool) or not isinstance(score, int | float):
        return None
    return int(score)


def _time(raw: Any) -> Timestamp | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    return parse_time(raw)


def markdown_quotes(text: str) -> tuple[QuoteSegment, ...]:
    """Explicit quote segments from markdown ``>`` blocks, each with its answer.

    A block is a run of ``>`` lines plus lazy continuation lines (markdown
    continues a quote paragraph until a blank line). The answer is the text
    after the block up to the next block. Text before the first block belongs
    to no quote. Nested ``>>`` lines stay in their outer block.
    """
    blocks: list[tuple[list[str], list[str]]] = []
    in_quote = False
    for line in text.split("\n"):
        if QUOTE_LINE.match(line):
            if not in_quote:
                blocks.append(([], []))
            blocks[-1][0].append(QUOTE_LINE.sub("", line, count=1))
            in_quote = True
        elif in_quote and line.strip():
            blocks[-1][0].append(line)
        else:
            in_quote = False
            if blocks:
                blocks[-1][1].append(line)
    return tuple(
        QuoteSegment(text=_joined(quote), source_id=None, answer=_joined(answer), kind="explicit")
        for quote, answer in blocks
        if _joined(quote)
    )


def _joined(lines: list[str]) -> str:
    return "\n".join(lines).strip()


def _article(data: Mapping[str, Any] | None) -> Article:
    if data is None:
        return Article()
    selftext = str(data.get("selftext") or "")
    body = () if selftext.strip() in GONE else _paragraphs(html.unescape(selftext))
    permalink = data.get("permalink")
    url = f"{SITE_URL}{permalink}" if isinstance(permalink, str) and permalink else data.get("url")
    author = data.get("author")
    count = data.get("num_comments")
    return Article(
        title=html.unescape(str(data["title"])) if data.get("title") else None,
        body=body,
        url=str(url) if url else None,
        author=None if not author or author in GONE else str(author),
        published=_time(data.get("created_utc")),
        declared_comment_count=count if isinstance(count, int) and count >= 0 else None,
    )


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())


FAMILY = SiteFamily(
    name="reddit_json",
    description="Reddit API JSON (/comments/<id> listings; more stubs as placeholders)",
    detect=detect,
    parse=parse,
    formats=("json",),
    examples=("reddit_json_praw/reddit_3hahrw_limit10.json",),
)

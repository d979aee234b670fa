"""News comment sections whose nesting is an outline number printed on each comment.

Such pages list comments flat and show the reply structure only in a label
("#1", "#1.1", "#1.1.2"). The blocks and fields are found as by the generic
fallback; the parent of "2.1.1" is "2.1", or the nearest numbered ancestor ("2")
when the direct parent was deleted. No real page of this family was available:
its tests use a synthetic fixture (fixtures/synthetic/outline_news.html).
"""

from __future__ import annotations

import re

from threadscope.document import Document
from threadscope.errors import ThreadscopeError
from threadscope.model import Comment, Thread, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.generic import (
    Fields,
    block_fields,
    comment_blocks,
    comment_ids,
    outline_of,
    outline_parent,
    page_article,
    page_reference,
    parents_from_outline,
    time_parser,
)

# Cheap first test on the raw text: a short element holding only a dotted outline
# number, like <span class="nr">#1.2</span>; three of them before any tree is built.
# The "*+" runs never give characters back (nothing after them can match a space),
# so the scan does not retry every blank run between tags: four times faster.
OUTLINE_TAG = re.compile(r">\s*+#?\d{1,3}(?:\.\d{1,3}){1,6}\.?\s*+<")
MIN_LABELS = 3
# Second cheap test: an outline answers itself. Some dotted label ("#2.1") must have
# a prefix ("#2") printed by the same kind of element. German thousands ("<dd>2.206</dd>"
# post counts) fail it: their "2" is a pager or user link, never a <dd>. Bounded
# repeats keep the scan linear on hostile text; possessive ones ("+") skip retries
# that cannot match (the tag name and attributes never hold ">"). Accepted gap: a
# page whose top-level numbers sit in another element type than its replies' (or
# only in running text) is not claimed.
LABEL_IN_TAG = re.compile(
    r"<([A-Za-z][\w-]{0,30}+)[^<>]{0,500}+>\s*+#?\s?(\d{1,3}(?:\.\d{1,3}){0,6})\.?\s*+<")
SCAN_CHARS = 2_000_000
"""Characters of the page the cheap tests read (the labels open the comment section)."""


def detect(doc: Document) -> float:
    """Claim HTML pages whose comment blocks carry consistent outline numbers.

    The raw-text tests run first; the generic block finder (the costly part) only
    on pages that pass them. A page that cannot be parsed is not claimed.
    """
    if not doc.looks_like_html or not _labels_answer_each_other(doc.text):
        return 0.0
    try:
        root = doc.html
    except ThreadscopeError:
        return 0.0
    blocks = comment_blocks(root)
    if len(blocks) < MIN_LABELS or parents_from_outline(blocks) is None:
        return 0.0
    return 0.7


def _labels_answer_each_other(text: str) -> bool:
    """At least MIN_LABELS dotted labels, one with its prefix in the same element type."""
    if len(OUTLINE_TAG.findall(text, 0, SCAN_CHARS)) < MIN_LABELS:
        return False
    by_tag: dict[str, set[str]] = {}
    for match in LABEL_IN_TAG.finditer(text, 0, SCAN_CHARS):
        by_tag.setdefault(match.group(1).lower(), set()).add(match.group(2))
    return any(_has_prefix(label, labels)
               for labels in by_tag.values() for label in labels if "." in label)


def _has_prefix(label: str, labels: set[str]) -> bool:
    parts = label.split(".")
    return any(".".join(parts[:cut]) in labels for cut in range(1, len(parts)))


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The article and its comments, nested by their outline numbers."""
    root = doc.html
    blocks = comment_blocks(root)
    article = page_article(root, blocks)
    parse_one = time_parser(root, page_reference(article, ctx))
    members = {id(b) for b in blocks}
    labels = [outline_of(b, members) for b in blocks]
    ids = comment_ids(blocks)
    parents = outline_parents(labels)
    parent_ids = [None if p is None else ids[p] for p in parents]
    comments = [
        _comment(block_fields(b, members, parse_one), ids[i], parent_ids[i], labels[i])
        for i, b in enumerate(blocks)
    ]
    return [build_thread(article, comments)]


def outline_parents(labels: list[str | None]) -> list[int | None]:
    """Each block's parent index: its nearest numbered ancestor that comes before it."""
    where = {label: i for i, label in enumerate(labels) if label}
    parents: list[int | None] = []
    for index, label in enumerate(labels):
        parent = outline_parent(label, where) if label else None
        parents.append(parent if parent is not None and parent < index else None)
    return parents


def _comment(fields: Fields, cid: str, parent_id: str | None, label: str | None) -> Comment:
    return Comment(
        id=cid, parent_id=parent_id, depth=0, path=label, author=fields.author,
        timestamp=fields.timestamp, score=fields.score, score_label=fields.score_label,
        text=fields.text, quotes=fields.quotes, deleted=fields.deleted,
    )


FAMILY = SiteFamily(
    name="outline_news",
    description="News comment sections nested by outline numbers (#1, #1.1, #1.1.2)",
    detect=detect,
    parse=parse,
)

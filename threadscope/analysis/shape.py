"""Thread shape: size, depth, breadth, participants, structural virality, reply latency."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from threadscope.analysis.common import ThreadFacts, is_anonymous, thread_facts, to_datetime
from threadscope.labels import LabelledThread
from threadscope.model import Comment, Thread


@dataclass(frozen=True, slots=True)
class Shape:
    """The shape of the discussion tree.

    Attributes:
        size: Comments (placeholders for hidden replies not counted).
        placeholders: 'More replies' placeholders in the tree.
        depth: Deepest level (1 = top level).
        top_level: Comments answering the article.
        breadth: Comments at each depth, from depth 1 down.
        participants: Distinct named authors plus one per unnamed comment.
        named_participants: Distinct named authors.
        structural_virality: Mean distance between two nodes of the tree rooted at the
            article (Goel et al. 2016), None with fewer than two nodes.
        reply_latency_median: Median seconds from a comment to its first reply.
        reply_latency_count: Comments the median is taken over.
        first_comment_latency: Seconds from the article to its first comment.
        first_reply_seconds: Per comment with a dated reply, seconds to the first one.
    """

    size: int
    placeholders: int
    depth: int
    top_level: int
    breadth: tuple[int, ...]
    participants: int
    named_participants: int
    structural_virality: float | None
    reply_latency_median: float | None
    reply_latency_count: int
    first_comment_latency: float | None
    first_reply_seconds: dict[str, float]


def structural_virality(
    thread: Thread, order: Sequence[Comment] | None = None,
) -> float | None:
    """Mean pairwise distance of the article-rooted tree, in O(n).

    The Wiener index (sum of all pairwise distances) of a tree is the sum over its
    edges of s * (N - s), s being the node count below the edge; dividing by the
    N (N - 1) / 2 pairs gives the mean distance.

    Args:
        thread: The thread.
        order: Its comments in pre-order (``thread.walk()``) when already listed.
    """
    total = len(thread.comments) + 1
    if total < 2:
        return None
    below: dict[str, int] = {}
    if order is None:
        order = list(thread.walk())
    for comment in reversed(order):
        below[comment.id] = below.get(comment.id, 0) + 1
        if comment.parent_id is not None:
            below[comment.parent_id] = below.get(comment.parent_id, 0) + below[comment.id]
    wiener = sum(s * (total - s) for s in below.values())
    return 2.0 * wiener / (total * (total - 1))


def comment_times(thread: Thread) -> dict[str, datetime | None]:
    """Every comment's time as ``to_datetime`` reads it (None when undated)."""
    return {c.id: to_datetime(c.timestamp) for c in thread.comments}


def first_reply_seconds(
    thread: Thread, when: dict[str, datetime | None] | None = None,
) -> dict[str, float]:
    """Seconds from each dated comment to its earliest dated reply (negative gaps dropped).

    Args:
        thread: The thread.
        when: Its ``comment_times`` when already read.
    """
    if when is None:
        when = comment_times(thread)
    first: dict[str, datetime] = {}
    for comment in thread.comments:
        moment = when[comment.id]
        parent = comment.parent_id
        if parent is None or moment is None or when[parent] is None:
            continue
        if parent not in first or moment < first[parent]:
            first[parent] = moment
    out: dict[str, float] = {}
    for cid, moment in first.items():
        start = when[cid]
        assert start is not None
        gap = (moment - start).total_seconds()
        if gap >= 0:
            out[cid] = gap
    return out


def _first_comment_latency(
    thread: Thread, roots: list[Comment], when: dict[str, datetime | None],
) -> float | None:
    published = to_datetime(thread.article.published)
    times = [t for t in (when[c.id] for c in roots) if t is not None]
    if published is None or not times:
        return None
    gap = (min(times) - published).total_seconds()
    return gap if gap >= 0 else None


def thread_shape(labelled: LabelledThread, facts: ThreadFacts | None = None) -> Shape:
    """Size, depth, breadth per level, participants, virality and reply latency.

    Args:
        labelled: The labelled thread.
        facts: Its ``thread_facts`` when already gathered.
    """
    facts = facts or thread_facts(labelled)
    thread = labelled.thread
    depth = thread.max_depth
    breadth: list[int] = [0] * depth
    for comment in thread.comments:
        breadth[comment.depth - 1] += 1
    authors = {facts.author[c.id] for c in facts.real}
    named = sum(not is_anonymous(a) for a in authors)
    when = comment_times(thread)
    latency = first_reply_seconds(thread, when)
    roots = [c for c in thread.comments if c.parent_id is None]
    size = len(facts.real)
    return Shape(
        size=size,
        placeholders=len(thread.comments) - size,
        depth=depth,
        top_level=len(roots),
        breadth=tuple(breadth),
        participants=len(authors),
        named_participants=named,
        structural_virality=structural_virality(thread, facts.order),
        reply_latency_median=statistics.median(latency.values()) if latency else None,
        reply_latency_count=len(latency),
        first_comment_latency=_first_comment_latency(thread, roots, when),
        first_reply_seconds=latency,
    )

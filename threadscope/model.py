"""The frozen data model: article, comments, quote segments and the validated thread."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from threadscope.errors import TreeError

ARTICLE_ID = "article"
"""The source id a quote carries when it quotes the article rather than a comment."""

QuoteKind = Literal["explicit", "implicit"]
TimePrecision = Literal["second", "minute", "hour", "day", "month", "year", "relative"]


@dataclass(frozen=True, slots=True)
class QuoteSegment:
    """A passage a comment quotes, and the comment's own answer that follows it.

    Attributes:
        text: The quoted passage as it stands in the reply.
        source_id: Id of the quoted comment, ``"article"``, or None when not found.
        answer: The reply's own text answering this quote ("" when none follows).
        kind: ``explicit`` (blockquote, "X said:") or ``implicit`` (repeated text).
        source_author: Author named by an explicit quote ("X said:"), when given.
    """

    text: str
    source_id: str | None
    answer: str = ""
    kind: QuoteKind = "implicit"
    source_author: str | None = None


@dataclass(frozen=True, slots=True)
class Timestamp:
    """A comment or article time as normalised ISO 8601 text.

    Attributes:
        iso: ISO 8601 text, with an offset only when the page gave one.
        precision: The finest unit the page stated; ``relative`` when resolved
            from text like "6 years ago" against a reference time.
        raw: The text as it stood on the page.
    """

    iso: str
    precision: TimePrecision = "minute"
    raw: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    """The article or opening post that a comment section discusses."""

    title: str | None = None
    body: tuple[str, ...] = ()
    url: str | None = None
    author: str | None = None
    published: Timestamp | None = None
    declared_comment_count: int | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment, linked flat to its parent.

    Attributes:
        id: Unique within the thread (the site's own id where it has one).
        parent_id: Id of the comment answered; None for a top-level comment.
        depth: 1 for top-level comments, parent depth + 1 below.
        path: The page's outline number ("2.1") when it prints one.
        author: Display name, None when the page shows none.
        score: Net votes/points/likes as the site counts them.
        score_label: The site's label beside a score ("Insightful", "likes").
        timestamp: When the comment was posted, when the page says.
        text: Full comment text, paragraphs separated by blank lines.
        emoticons: Smiley words or emoji recorded where an emoticon stood.
        quotes: Quote segments, explicit and implicit, in text order.
        deleted: The comment was deleted or removed; text may be a stub.
        placeholder: Not a real comment: stands for hidden or collapsed replies.
        hidden_count: For a placeholder, how many replies it hides, when stated.
        title: Comment subject line, on sites that have one (Slashdot, phpBB).
    """

    id: str
    parent_id: str | None
    depth: int
    author: str | None = None
    score: int | None = None
    score_label: str | None = None
    timestamp: Timestamp | None = None
    text: str = ""
    path: str | None = None
    emoticons: tuple[str, ...] = ()
    quotes: tuple[QuoteSegment, ...] = ()
    deleted: bool = False
    placeholder: bool = False
    hidden_count: int | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """Where a thread came from."""

    path: str
    sha256: str
    format: str
    site: str
    thread_key: str | None = None


@dataclass(frozen=True, slots=True)
class Thread:
    """An article and its comments, validated as a tree on construction.

    Comments are kept flat in document order. Construction raises TreeError
    naming the ids when an id repeats, a parent is missing, parents form a
    cycle, or a depth disagrees with its parent's.
    """

    article: Article
    comments: tuple[Comment, ...]
    source: Source | None = None
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _children: Mapping[str | None, tuple[str, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index = _build_index(self.comments)
        _check_parents(self.comments, index)
        children = _build_children(self.comments)
        _check_acyclic_and_depths(self.comments, children)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_children", children)

    def __len__(self) -> int:
        return len(self.comments)

    def get(self, comment_id: str) -> Comment:
        """Return the comment with this id (KeyError when absent)."""
        return self.comments[self._index[comment_id]]

    def __contains__(self, comment_id: object) -> bool:
        return comment_id in self._index

    def children(self, comment_id: str | None) -> tuple[Comment, ...]:
        """Direct replies to a comment, or the top-level comments for None."""
        return tuple(self.get(c) for c in self._children.get(comment_id, ()))

    def parent(self, comment: Comment) -> Comment | None:
        """The comment answered, or None for a top-level comment."""
        return None if comment.parent_id is None else self.get(comment.parent_id)

    def roots(self) -> tuple[Comment, ...]:
        """Top-level comments in document order."""
        return self.children(None)

    def walk(self, start: str | None = None) -> Iterator[Comment]:
        """Depth-first pre-order walk, iterative so 10,000-deep threads are fine."""
        stack = list(reversed(self._children.get(start, ())))
        while stack:
            cid = stack.pop()
            yield self.get(cid)
            stack.extend(reversed(self._children.get(cid, ())))

    def breadth_first(self) -> Iterator[Comment]:
        """Level-order walk from the top-level comments down."""
        level: list[str] = list(self._children.get(None, ()))
        while level:
            nxt: list[str] = []
            for cid in level:
                yield self.get(cid)
                nxt.extend(self._children.get(cid, ()))
            level = nxt

    def ancestors(self, comment: Comment) -> tuple[Comment, ...]:
        """Comments from the top-level ancestor down to the direct parent."""
        chain: list[Comment] = []
        cur = self.parent(comment)
        while cur is not None:
            chain.append(cur)
            cur = self.parent(cur)
        return tuple(reversed(chain))

    def leaves(self) -> tuple[Comment, ...]:
        """Comments with no replies, in document order."""
        return tuple(c for c in self.comments if not self._children.get(c.id))

    def paths(self) -> tuple[tuple[Comment, ...], ...]:
        """Every root-to-leaf path, in document order of the leaves."""
        return tuple((*self.ancestors(leaf), leaf) for leaf in self.leaves())

    def reply_pairs(self) -> tuple[tuple[Comment, Comment], ...]:
        """(parent, reply) for every comment that answers another comment."""
        return tuple(
            (self.get(c.parent_id), c) for c in self.comments if c.parent_id is not None
        )

    @property
    def max_depth(self) -> int:
        """Deepest comment's depth; 0 for a thread without comments."""
        return max((c.depth for c in self.comments), default=0)


def _build_index(comments: tuple[Comment, ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    dupes: list[str] = []
    for i, c in enumerate(comments):
        if c.id in index:
            dupes.append(c.id)
        index[c.id] = i
    if dupes:
        raise TreeError(f"duplicate comment ids: {', '.join(sorted(set(dupes)))}", dupes)
    return index


def _check_parents(comments: tuple[Comment, ...], index: Mapping[str, int]) -> None:
    dangling = [c.id for c in comments if c.parent_id is not None and c.parent_id not in index]
    if dangling:
        pairs = ", ".join(
            f"{cid} -> {comments[index[cid]].parent_id}" for cid in dangling[:10]
        )
        raise TreeError(f"comments whose parent is not in the thread: {pairs}", dangling)


def _build_children(comments: tuple[Comment, ...]) -> dict[str | None, tuple[str, ...]]:
    children: dict[str | None, list[str]] = {}
    for c in comments:
        children.setdefault(c.parent_id, []).append(c.id)
    return {k: tuple(v) for k, v in children.items()}


def _check_acyclic_and_depths(
    comments: tuple[Comment, ...], children: Mapping[str | None, tuple[str, ...]]
) -> None:
    by_id = {c.id: c for c in comments}
    expected: dict[str, int] = {}
    stack = [(cid, 1) for cid in children.get(None, ())]
    while stack:
        cid, depth = stack.pop()
        expected[cid] = depth
        stack.extend((child, depth + 1) for child in children.get(cid, ()))
    cyclic = [c.id for c in comments if c.id not in expected]
    if cyclic:
        raise TreeError(f"comments in a parent cycle: {', '.join(cyclic[:10])}", cyclic)
    wrong = [cid for cid, d in expected.items() if by_id[cid].depth != d]
    if wrong:
        detail = ", ".join(f"{cid} has {by_id[cid].depth}, expected {expected[cid]}"
                           for cid in wrong[:10])
        raise TreeError(f"comment depths disagree with parents: {detail}", wrong)


def build_thread(
    article: Article,
    comments: list[Comment] | tuple[Comment, ...],
    source: Source | None = None,
) -> Thread:
    """Build a Thread, deriving every depth from the parent links.

    Parsers that know parents but not depths pass depth=0 and call this; the
    parent may come before or after its reply in document order.
    """
    parent_of = {c.id: c.parent_id for c in comments}
    depth: dict[str, int] = {}
    for c in comments:
        depth[c.id] = _depth_of(c.id, parent_of, depth)
    fixed = tuple(c if c.depth == depth[c.id] else replace(c, depth=depth[c.id]) for c in comments)
    return Thread(article=article, comments=fixed, source=source)


def _depth_of(cid: str, parent_of: Mapping[str, str | None], known: dict[str, int]) -> int:
    """Depth by walking up without recursion; 0 marks a cycle or a missing parent."""
    chain: list[str] = []
    cur: str | None = cid
    seen: set[str] = set()
    base = 0
    while cur is not None:
        if cur in known:
            base = known[cur]
            break
        if cur in seen or cur not in parent_of:
            return 0
        seen.add(cur)
        chain.append(cur)
        cur = parent_of[cur]
    for offset, node in enumerate(reversed(chain), start=1):
        known[node] = base + offset
    return known[cid]

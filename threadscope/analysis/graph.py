"""The signed author interaction graph, its structural balance and central disagreers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from threadscope.analysis.common import ThreadFacts, thread_facts
from threadscope.labels import CommentLabels, LabelledThread
from threadscope.model import ARTICLE_ID, Comment

TOP_DISAGREERS = 10
_SLOT = {"agree": 0, "disagree": 1}  # edge counter per label; query and neutral share slot 2


@dataclass(frozen=True, slots=True)
class Edge:
    """Everything one author said to another, directed from replier to addressee.

    Attributes:
        source: The author who replied.
        target: The author replied to.
        agree: Interactions labelled agree.
        disagree: Interactions labelled disagree.
        other: Interactions labelled query or neutral.
        agree_weight: Sum of the agree interactions' agree probabilities.
        disagree_weight: Sum of the disagree interactions' disagree probabilities.
    """

    source: str
    target: str
    agree: int
    disagree: int
    other: int
    agree_weight: float
    disagree_weight: float

    @property
    def weight(self) -> float:
        """Signed weight: agree_weight - disagree_weight."""
        return self.agree_weight - self.disagree_weight

    @property
    def sign(self) -> int:
        """+1 for a net agreeing edge, -1 for a net disagreeing one, 0 otherwise."""
        return (self.weight > 0) - (self.weight < 0)


@dataclass(frozen=True, slots=True)
class Disagreer:
    """An author's place in the disagreement (negative) part of the graph.

    Attributes:
        author: Author key.
        partners: Distinct authors they disagree with or are disagreed with by.
        centrality: partners / (authors - 1): degree centrality in the negative graph.
        strength: Sum of disagree probabilities of interactions in both directions.
        given: Disagreements this author wrote.
        received: Disagreements addressed to this author.
    """

    author: str
    partners: int
    centrality: float
    strength: float
    given: int
    received: int


@dataclass(frozen=True, slots=True)
class Balance:
    """Structural balance: share of signed triangles whose sign product is positive."""

    triangles: int
    balanced: int

    @property
    def share(self) -> float | None:
        """balanced / triangles, None without triangles."""
        return self.balanced / self.triangles if self.triangles else None


@dataclass(frozen=True, slots=True)
class AuthorGraph:
    """Authors as nodes (with their comment counts), signed edges between them.

    Attributes:
        nodes: (author key, comments written) in order of first appearance.
        edges: Directed edges sorted by source then target.
        balance: Balance of the undirected signed graph.
        central_disagreers: Most central authors of the negative graph.
    """

    nodes: tuple[tuple[str, int], ...]
    edges: tuple[Edge, ...]
    balance: Balance
    central_disagreers: tuple[Disagreer, ...]


def interactions(
    labelled: LabelledThread, facts: ThreadFacts | None = None,
) -> Iterator[tuple[str, str, str, float]]:
    """(replier, addressee, label, confidence) for each labelled reply between two authors.

    A reply addresses its parent's author (the article's author for a top-level
    comment, when known); a quote segment addresses the author of a quoted comment
    other than the parent. Replies to oneself are left out.

    Args:
        labelled: The labelled thread.
        facts: Its ``thread_facts`` when already gathered.
    """
    facts = facts or thread_facts(labelled)
    article_author = labelled.thread.article.author
    author = facts.author
    for comment in facts.real:
        me = author[comment.id]
        label = facts.stance.get(comment.id)
        parent = comment.parent_id
        target = article_author if parent is None else author[parent]
        if label is not None and target is not None and target != me:
            yield me, target, label, facts.confidence[comment.id]
        labels = labelled.labels.get(comment.id)
        if labels is not None and labels.segments:
            yield from _segment_interactions(labels, comment, me, author)


def _segment_interactions(
    labels: CommentLabels, comment: Comment, me: str, author: dict[str, str],
) -> Iterator[tuple[str, str, str, float]]:
    for seg in labels.segments:
        target_id = seg.target_id
        label = seg.stance.label
        if (label is None or target_id is None
                or target_id in (comment.parent_id, ARTICLE_ID) or target_id not in author):
            continue
        target = author[target_id]
        if target != me:
            yield me, target, label, seg.stance.probabilities.get(label, 1.0)


def author_graph(
    labelled: LabelledThread, top: int = TOP_DISAGREERS, facts: ThreadFacts | None = None,
) -> AuthorGraph:
    """Build the signed graph, its balance and its most central disagreers.

    Args:
        labelled: The labelled thread.
        top: How many central disagreers to keep.
        facts: Its ``thread_facts`` when already gathered.
    """
    facts = facts or thread_facts(labelled)
    nodes: dict[str, int] = {}
    if labelled.thread.article.author:
        nodes[labelled.thread.article.author] = 0
    for comment in facts.real:
        key = facts.author[comment.id]
        nodes[key] = nodes.get(key, 0) + 1
    acc: dict[tuple[str, str], list[float]] = {}
    for me, target, label, conf in interactions(labelled, facts):
        cell = acc.setdefault((me, target), [0, 0, 0, 0.0, 0.0])
        slot = _SLOT.get(label, 2)
        cell[slot] += 1
        if slot < 2:
            cell[3 + slot] += conf
    edges = tuple(Edge(source=s, target=t, agree=int(v[0]), disagree=int(v[1]),
                       other=int(v[2]), agree_weight=v[3], disagree_weight=v[4])
                  for (s, t), v in sorted(acc.items()))
    return AuthorGraph(nodes=tuple(nodes.items()), edges=edges, balance=balance(edges),
                       central_disagreers=central_disagreers(edges, len(nodes), top))


def signed_pairs(edges: tuple[Edge, ...]) -> dict[tuple[str, str], int]:
    """Undirected pairs (sorted names) with the sign of their summed weight; zeros dropped."""
    total: dict[tuple[str, str], float] = {}
    for e in edges:
        pair = (e.source, e.target) if e.source < e.target else (e.target, e.source)
        total[pair] = total.get(pair, 0.0) + e.weight
    return {pair: (w > 0) - (w < 0) for pair, w in total.items() if w != 0}


def balance(edges: tuple[Edge, ...]) -> Balance:
    """Count signed triangles and the balanced ones (even number of negative edges).

    Each triangle is found once by orienting every edge from the lower to the higher
    (degree, name) node and intersecting out-neighbourhoods: O(m^1.5).
    """
    signs = signed_pairs(edges)
    neighbours: dict[str, set[str]] = {}
    for a, b in signs:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    rank = {n: (len(nb), n) for n, nb in neighbours.items()}
    out = {n: {m for m in nb if rank[m] > rank[n]} for n, nb in neighbours.items()}
    triangles = balanced = 0
    for u, higher in out.items():
        for v in higher:
            for w in higher & out[v]:
                product = _sign(signs, u, v) * _sign(signs, v, w) * _sign(signs, u, w)
                triangles += 1
                balanced += product > 0
    return Balance(triangles=triangles, balanced=balanced)


def _sign(signs: dict[tuple[str, str], int], a: str, b: str) -> int:
    return signs[(a, b) if a < b else (b, a)]


def central_disagreers(edges: tuple[Edge, ...], authors: int, top: int) -> tuple[Disagreer, ...]:
    """Authors ranked by distinct disagreement partners, then disagreement strength."""
    partners: dict[str, set[str]] = {}
    strength: dict[str, float] = {}
    given: dict[str, int] = {}
    received: dict[str, int] = {}
    for e in edges:
        if e.disagree == 0:
            continue
        partners.setdefault(e.source, set()).add(e.target)
        partners.setdefault(e.target, set()).add(e.source)
        share = e.disagree_weight
        strength[e.source] = strength.get(e.source, 0.0) + share
        strength[e.target] = strength.get(e.target, 0.0) + share
        given[e.source] = given.get(e.source, 0) + e.disagree
        received[e.target] = received.get(e.target, 0) + e.disagree
    denominator = max(1, authors - 1)
    ranked = sorted(partners, key=lambda a: (-len(partners[a]), -strength[a], a))
    return tuple(Disagreer(author=a, partners=len(partners[a]),
                           centrality=len(partners[a]) / denominator, strength=strength[a],
                           given=given.get(a, 0), received=received.get(a, 0))
                 for a in ranked[:top])

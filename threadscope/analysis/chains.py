"""Disagreement chains down the branches, and the most contested comments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from threadscope.analysis.common import ThreadFacts, thread_facts
from threadscope.labels import LabelledThread
from threadscope.model import Comment

_Getter = Callable[[str], Comment]

MIN_CHAIN = 2  # one disagreement is not yet a chain: a chain is disagreement answered in kind
TOP_CONTESTED = 10


@dataclass(frozen=True, slots=True)
class Chain:
    """A maximal run of comments, each disagreeing with the one it answers.

    Attributes:
        start_id: The first disagreeing comment (its parent does not disagree).
        end_id: The last one (no reply of it disagrees).
        length: Number of comments in the run.
    """

    start_id: str
    end_id: str
    length: int


@dataclass(frozen=True, slots=True)
class ChainSummary:
    """Every chain of at least MIN_CHAIN comments and the longest one.

    Attributes:
        chains: Chains in document order of their last comment.
        longest: Ids of the longest chain from top to bottom (first in document order
            on ties); empty when there is no chain.
        run_length: For every comment, how many consecutive disagreements end at it
            (0 when it does not disagree).
    """

    chains: tuple[Chain, ...]
    longest: tuple[str, ...]
    run_length: dict[str, int]

    @property
    def count(self) -> int:
        """Number of chains."""
        return len(self.chains)


@dataclass(frozen=True, slots=True)
class Contested:
    """How strongly a comment's direct replies disagree with it.

    Attributes:
        comment_id: The comment answered.
        replies: Its direct replies.
        disagreeing: Replies labelled ``disagree``.
        weight: Sum of those replies' disagree probabilities.
    """

    comment_id: str
    replies: int
    disagreeing: int
    weight: float


def disagreement_chains(
    labelled: LabelledThread, facts: ThreadFacts | None = None,
) -> ChainSummary:
    """Runs of disagree replies down each branch, in one pre-order pass.

    Args:
        labelled: The labelled thread.
        facts: Its ``thread_facts`` when already gathered.
    """
    facts = facts or thread_facts(labelled)
    thread = labelled.thread
    stance = facts.stance
    run: dict[str, int] = {}
    start: dict[str, str] = {}
    for comment in facts.order:
        if stance.get(comment.id) != "disagree":
            run[comment.id] = 0
            continue
        parent = comment.parent_id
        above = run.get(parent, 0) if parent else 0
        run[comment.id] = above + 1
        start[comment.id] = start[parent] if parent and above else comment.id
    continues = {c.parent_id for c in thread.comments if run[c.id] > 0 and c.parent_id}
    chains = tuple(Chain(start_id=start[c.id], end_id=c.id, length=run[c.id])
                   for c in thread.comments
                   if run[c.id] >= MIN_CHAIN and c.id not in continues)
    longest: tuple[str, ...] = ()
    if chains:
        best = max(chains, key=lambda ch: ch.length)
        longest = _chain_ids(thread.get, best.end_id, best.length)
    return ChainSummary(chains=chains, longest=longest, run_length=run)


def _chain_ids(get: _Getter, end_id: str, length: int) -> tuple[str, ...]:
    ids = [end_id]
    cur = get(end_id)
    for _ in range(length - 1):
        assert cur.parent_id is not None
        ids.append(cur.parent_id)
        cur = get(cur.parent_id)
    return tuple(reversed(ids))


def contest_weights(
    labelled: LabelledThread, facts: ThreadFacts | None = None,
) -> dict[str, Contested]:
    """For every comment with replies: replies, disagreeing replies and their weight.

    Args:
        labelled: The labelled thread.
        facts: Its ``thread_facts`` when already gathered.
    """
    facts = facts or thread_facts(labelled)
    stance = facts.stance
    replies: dict[str, int] = {}
    disagreeing: dict[str, int] = {}
    weight: dict[str, float] = {}
    for comment in facts.real:
        parent = comment.parent_id
        if parent is None:
            continue
        replies[parent] = replies.get(parent, 0) + 1
        if stance.get(comment.id) == "disagree":
            disagreeing[parent] = disagreeing.get(parent, 0) + 1
            weight[parent] = weight.get(parent, 0.0) + facts.confidence[comment.id]
    return {cid: Contested(comment_id=cid, replies=n, disagreeing=disagreeing.get(cid, 0),
                           weight=weight.get(cid, 0.0)) for cid, n in replies.items()}


def most_contested(labelled: LabelledThread, top: int = TOP_CONTESTED) -> tuple[Contested, ...]:
    """Comments with the heaviest disagreeing replies, heaviest first (ties: document order)."""
    return rank_contested(labelled, contest_weights(labelled), top)


def rank_contested(
    labelled: LabelledThread, weights: dict[str, Contested], top: int = TOP_CONTESTED,
) -> tuple[Contested, ...]:
    """The ``top`` heaviest of already computed contest weights (ties: document order)."""
    disputed = [c for c in weights.values() if c.disagreeing > 0]
    if not disputed:
        return ()
    order = {c.id: i for i, c in enumerate(labelled.thread.comments)}
    ranked = sorted(disputed, key=lambda c: (-c.weight, -c.disagreeing, order[c.comment_id]))
    return tuple(ranked[:top])

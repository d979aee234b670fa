"""Controversy per comment and per thread: from votes, from stance mix, and their link."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from threadscope.analysis.common import ThreadFacts, thread_facts
from threadscope.labels import STANCE_LABELS, LabelledThread


@dataclass(frozen=True, slots=True)
class CommentControversy:
    """How divided the direct replies to one comment are.

    Attributes:
        comment_id: The comment answered.
        stance_entropy: Normalised entropy of the replies' stance labels, in [0, 1];
            None with fewer than two labelled replies.
        vote_controversy: Reddit's formula applied to the replies' net scores
            (positively scored replies as ups, negatively scored as downs); None when
            no reply has a score.
    """

    comment_id: str
    stance_entropy: float | None
    vote_controversy: float | None


@dataclass(frozen=True, slots=True)
class ThreadControversy:
    """Thread-level controversy.

    Attributes:
        stance_entropy: Normalised entropy of all comments' stance labels.
        mean_reply_entropy: Mean of the per-comment stance entropies that exist.
        vote_controversy: Reddit's formula over all comments' net-score signs.
        negative_share: Share of scored comments with a negative score.
        stance_score_correlation: Point-biserial correlation between "disagrees"
            (1/0) and score over labelled, scored comments; None when undefined.
        mean_score_by_stance: Mean score of the scored comments of each stance.
        per_comment: Per-comment figures for every comment with replies.
    """

    stance_entropy: float | None
    mean_reply_entropy: float | None
    vote_controversy: float | None
    negative_share: float | None
    stance_score_correlation: float | None
    mean_score_by_stance: tuple[tuple[str, float | None], ...]
    per_comment: dict[str, CommentControversy]


def reddit_controversy(ups: int, downs: int) -> float:
    """Reddit's controversy: (ups + downs) ** (min/max of ups, downs); 0 if either is 0."""
    if ups <= 0 or downs <= 0:
        return 0.0
    balance = downs / ups if ups > downs else ups / downs
    return float((ups + downs) ** balance)


def normalised_entropy(labels: Sequence[str], classes: int = len(STANCE_LABELS)) -> float | None:
    """Shannon entropy of a label list divided by log(classes); None for fewer than 2 labels."""
    if len(labels) < 2:
        return None
    n = len(labels)
    h = -sum((k / n) * math.log(k / n) for k in Counter(labels).values())
    return max(0.0, h / math.log(classes))


def vote_sign_controversy(scores: Sequence[int]) -> float | None:
    """Reddit's formula on the signs of net scores; None when there are no scores."""
    if not scores:
        return None
    return reddit_controversy(sum(s > 0 for s in scores), sum(s < 0 for s in scores))


def point_biserial(flags: Sequence[int], values: Sequence[float]) -> float | None:
    """Pearson correlation of a 0/1 flag with values; None when either is constant."""
    n = len(flags)
    if n < 3:
        return None
    mf = sum(flags) / n
    mv = sum(values) / n
    cov = sum((f - mf) * (v - mv) for f, v in zip(flags, values, strict=True))
    vf = sum((f - mf) ** 2 for f in flags)
    vv = sum((v - mv) ** 2 for v in values)
    if vf == 0 or vv == 0:
        return None
    return cov / math.sqrt(vf * vv)


def thread_controversy(
    labelled: LabelledThread, facts: ThreadFacts | None = None,
) -> ThreadControversy:
    """Controversy of each comment's replies and of the whole thread.

    Args:
        labelled: The labelled thread.
        facts: Its ``thread_facts`` when already gathered.
    """
    facts = facts or thread_facts(labelled)
    reply_labels: dict[str, list[str]] = {}
    reply_scores: dict[str, list[int]] = {}
    all_labels: list[str] = []
    scored: list[tuple[str | None, int]] = []
    for comment in facts.real:
        label = facts.stance.get(comment.id)
        parent = comment.parent_id
        if parent is not None:
            reply_labels.setdefault(parent, [])
            reply_scores.setdefault(parent, [])
            if label is not None:
                reply_labels[parent].append(label)
            if comment.score is not None:
                reply_scores[parent].append(comment.score)
        if label is not None:
            all_labels.append(label)
        if comment.score is not None:
            scored.append((label, comment.score))
    per_comment = {cid: CommentControversy(comment_id=cid,
                                           stance_entropy=normalised_entropy(labels),
                                           vote_controversy=vote_sign_controversy(
                                               reply_scores[cid]))
                   for cid, labels in reply_labels.items()}
    return _thread_figures(all_labels, scored, per_comment)


def _thread_figures(
    all_labels: list[str], scored: list[tuple[str | None, int]],
    per_comment: dict[str, CommentControversy],
) -> ThreadControversy:
    entropies = [c.stance_entropy for c in per_comment.values() if c.stance_entropy is not None]
    labelled_scores = [(label, score) for label, score in scored if label is not None]
    means: list[tuple[str, float | None]] = []
    for name in STANCE_LABELS:
        values = [score for label, score in labelled_scores if label == name]
        means.append((name, sum(values) / len(values) if values else None))
    scores = [score for _, score in scored]
    return ThreadControversy(
        stance_entropy=normalised_entropy(all_labels),
        mean_reply_entropy=sum(entropies) / len(entropies) if entropies else None,
        vote_controversy=vote_sign_controversy(scores),
        negative_share=sum(s < 0 for s in scores) / len(scores) if scores else None,
        stance_score_correlation=point_biserial(
            [int(label == "disagree") for label, _ in labelled_scores],
            [float(score) for _, score in labelled_scores]),
        mean_score_by_stance=tuple(means),
        per_comment=per_comment,
    )

"""Stance and sarcasm shares, with expected counts and bootstrap 95% intervals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from threadscope.analysis.bootstrap import (
    BOOTSTRAP_REPLICATES,
    BOOTSTRAP_SEED,
    bootstrap_intervals,
)
from threadscope.analysis.common import STANCE_INDEX, ThreadFacts, real_comments, thread_facts
from threadscope.labels import STANCE_LABELS, LabelledThread
from threadscope.model import Comment

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class ShareEstimate:
    """One label's share among labelled comments, hard and expected, with 95% intervals.

    Attributes:
        label: The stance or sarcasm label.
        count: Comments whose most probable label is this one.
        share: count / n.
        expected_count: Sum of the calibrated probabilities of this label.
        expected_share: expected_count / n.
        ci: 2.5 and 97.5 percentiles of the share over bootstrap resamples of comments.
        expected_ci: The same for the expected share.
    """

    label: str
    count: int
    share: float | None
    expected_count: float
    expected_share: float | None
    ci: tuple[float, float] | None
    expected_ci: tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class Shares:
    """Shares of every label over n comments."""

    n: int
    estimates: tuple[ShareEstimate, ...]

    def get(self, label: str) -> ShareEstimate:
        """The estimate of one label (KeyError when unknown)."""
        for est in self.estimates:
            if est.label == label:
                return est
        raise KeyError(label)


@dataclass(frozen=True, slots=True)
class DepthCounts:
    """Stance counts among the labelled comments at one depth."""

    depth: int
    n: int
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class StanceSummary:
    """Stance shares overall, toward the article (top level), among replies, and by depth."""

    overall: Shares
    toward_article: Shares
    replies: Shares
    by_depth: tuple[DepthCounts, ...]


@dataclass(frozen=True, slots=True)
class SarcasmSummary:
    """Sarcasm rate, and how many agreements are sarcastic.

    Attributes:
        rate: Share estimate of ``sarcastic`` among comments with a sarcasm label.
        agreements: Comments labelled ``agree`` that also carry a sarcasm label.
        sarcastic_agreements: Those of them labelled sarcastic.
        sarcastic_agreement_share: sarcastic_agreements / agreements (None when 0).
    """

    rate: Shares
    agreements: int
    sarcastic_agreements: int
    sarcastic_agreement_share: float | None


_SARCASM_LABELS = ("not_sarcastic", "sarcastic")
_Row = tuple[int, int, tuple[float, ...]]  # depth, stance label index, probabilities


@dataclass(frozen=True, slots=True)
class ShareInput:
    """The comments one Shares block is estimated over.

    Attributes:
        hard: Index of each comment's label in ``labels``.
        probs: Each comment's probabilities, in ``labels`` order.
        labels: The label set.
    """

    hard: Sequence[int]
    probs: Sequence[Sequence[float]]
    labels: Sequence[str]


def shares(
    hard: Sequence[int], probs: Sequence[Sequence[float]], labels: Sequence[str],
    replicates: int = BOOTSTRAP_REPLICATES, seed: int = BOOTSTRAP_SEED,
) -> Shares:
    """Share estimates from hard label indices and probability rows (same order as labels)."""
    return shares_of([ShareInput(hard, probs, labels)], replicates, seed)[0]


def shares_of(
    inputs: Sequence[ShareInput], replicates: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED,
) -> list[Shares]:
    """``shares`` of each input, computed together: the same figures, less work.

    Equal inputs are estimated once (a flat thread's comments toward the article
    are all its comments), and inputs of one size share their resample draws.
    """
    unique: list[ShareInput] = []
    slots = []
    for item in inputs:  # inputs hold lists (unhashable): equal ones found by comparison
        # (not list.index: its ValueError spells out the repr of every float of the item)
        slot = next((i for i, seen in enumerate(unique) if seen == item), len(unique))
        if slot == len(unique):
            unique.append(item)
        slots.append(slot)
    arrays = [_arrays(item) for item in unique]
    intervals = bootstrap_intervals([values for _, _, values in arrays], replicates, seed)
    results = [_estimates(item.labels, index, prob, interval)
               for item, (index, prob, _), interval in zip(unique, arrays, intervals, strict=True)]
    return [results[slot] for slot in slots]


def _arrays(
    item: ShareInput,
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """Label indices, probabilities, and the bootstrap matrix (one-hot labels, then probs)."""
    import numpy as np

    n, k = len(item.hard), len(item.labels)
    index = np.asarray(item.hard, dtype=np.intp)
    prob = np.asarray(item.probs, dtype=np.float64).reshape(n, k)
    values = np.zeros((n, 2 * k))
    values[np.arange(n), index] = 1.0
    values[:, k:] = prob
    return index, prob, values


def _estimates(
    labels: Sequence[str], index: NDArray[np.intp], prob: NDArray[np.float64],
    interval: NDArray[np.float64] | None,
) -> Shares:
    import numpy as np

    n, k = len(index), len(labels)
    if interval is None:  # no comments
        return Shares(n=n, estimates=tuple(
            ShareEstimate(label=label, count=0, share=None, expected_count=0.0,
                          expected_share=None, ci=None, expected_ci=None) for label in labels))
    low, high = interval.tolist()
    counts = np.bincount(index, minlength=k).tolist()
    # each column summed on its own (contiguous rows): numpy's pairwise sum of a column
    expected = np.ascontiguousarray(prob.T).sum(axis=1).tolist()
    return Shares(n=n, estimates=tuple(
        ShareEstimate(label=label, count=counts[j], share=counts[j] / n,
                      expected_count=expected[j], expected_share=expected[j] / n,
                      ci=(low[j], high[j]), expected_ci=(low[k + j], high[k + j]))
        for j, label in enumerate(labels)))


def stance_summary(
    labelled: LabelledThread, replicates: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED, facts: ThreadFacts | None = None,
) -> StanceSummary:
    """Stance shares overall, toward the article, among replies, and counts by depth.

    Args:
        labelled: The labelled thread.
        replicates: Bootstrap resamples behind each interval.
        seed: Seed of the bootstrap.
        facts: Its ``thread_facts`` when already gathered.
    """
    rows = _stance_rows(facts or thread_facts(labelled))
    return _stance(rows, shares_of(_stance_inputs(rows), replicates, seed))


def sarcasm_summary(
    labelled: LabelledThread, replicates: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED, facts: ThreadFacts | None = None,
) -> SarcasmSummary:
    """Sarcasm rate with expected count and interval; sarcastic agreements.

    Args:
        labelled: The labelled thread.
        replicates: Bootstrap resamples behind the interval.
        seed: Seed of the bootstrap.
        facts: Its ``thread_facts`` when already gathered.
    """
    real = facts.real if facts else tuple(real_comments(labelled))
    item, agreements, sarcastic = _sarcasm_input(labelled, real)
    return _sarcasm(shares_of([item], replicates, seed)[0], agreements, sarcastic)


def agreement_summaries(
    labelled: LabelledThread, replicates: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED, facts: ThreadFacts | None = None,
) -> tuple[StanceSummary, SarcasmSummary]:
    """``stance_summary`` and ``sarcasm_summary`` at once, sharing resample draws.

    When as many comments carry a sarcasm label as a stance label (the usual
    case) both rates are resampled by the same draws, drawn once.
    """
    facts = facts or thread_facts(labelled)
    rows = _stance_rows(facts)
    item, agreements, sarcastic = _sarcasm_input(labelled, facts.real)
    *stance, rate = shares_of([*_stance_inputs(rows), item], replicates, seed)
    return _stance(rows, stance), _sarcasm(rate, agreements, sarcastic)


def _stance_rows(facts: ThreadFacts) -> list[_Row]:
    stance, probabilities = facts.stance, facts.probabilities
    return [(c.depth, STANCE_INDEX[stance[c.id]], probabilities[c.id])
            for c in facts.real if c.id in stance]


def _stance_inputs(rows: list[_Row]) -> list[ShareInput]:
    """Overall, toward the article (depth 1) and among replies (depth 2 and below)."""
    subsets = [rows, [r for r in rows if r[0] == 1], [r for r in rows if r[0] > 1]]
    return [ShareInput([r[1] for r in sub], [r[2] for r in sub], STANCE_LABELS)
            for sub in subsets]


def _stance(rows: list[_Row], results: Sequence[Shares]) -> StanceSummary:
    overall, toward_article, replies = results
    return StanceSummary(overall=overall, toward_article=toward_article, replies=replies,
                         by_depth=_by_depth(rows))


def _by_depth(rows: list[_Row]) -> tuple[DepthCounts, ...]:
    per_depth: dict[int, list[int]] = {}
    for depth, hard, _ in rows:
        counts = per_depth.get(depth)
        if counts is None:
            counts = per_depth[depth] = [0] * len(STANCE_LABELS)
        counts[hard] += 1
    return tuple(DepthCounts(depth=d, n=sum(c), counts=tuple(zip(STANCE_LABELS, c, strict=True)))
                 for d, c in sorted(per_depth.items()))


def _sarcasm_input(
    labelled: LabelledThread, real: Sequence[Comment],
) -> tuple[ShareInput, int, int]:
    """The sarcasm rate's input, agreements, and sarcastic agreements."""
    hard: list[int] = []
    probs: list[tuple[float, float]] = []
    agreements = sarcastic_agreements = 0
    for comment in real:
        labels = labelled.labels.get(comment.id)
        if labels is None or labels.sarcasm.label is None:
            continue
        is_sarcastic = labels.sarcasm.label == "sarcastic"
        p = labels.sarcasm.probability
        p = float(is_sarcastic) if p is None else min(1.0, max(0.0, float(p)))
        hard.append(int(is_sarcastic))
        probs.append((1.0 - p, p))
        if labels.stance.label == "agree":
            agreements += 1
            sarcastic_agreements += int(is_sarcastic)
    return ShareInput(hard, probs, _SARCASM_LABELS), agreements, sarcastic_agreements


def _sarcasm(rate: Shares, agreements: int, sarcastic_agreements: int) -> SarcasmSummary:
    return SarcasmSummary(
        rate=rate, agreements=agreements, sarcastic_agreements=sarcastic_agreements,
        sarcastic_agreement_share=sarcastic_agreements / agreements if agreements else None,
    )

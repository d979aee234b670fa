"""Stance and sarcasm shares, with expected counts and bootstrap 95% intervals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from threadscope.analysis.common import STANCE_INDEX, ThreadFacts, thread_facts
from threadscope.labels import STANCE_LABELS, LabelledThread

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

BOOTSTRAP_REPLICATES = 1000
BOOTSTRAP_SEED = 0
INTERVAL_PERCENTILES = (2.5, 97.5)  # a 95% percentile interval
_CELLS_PER_CHUNK = 1_000_000  # replicate x comment cells per vectorised step: bounds memory
_CELLS_PER_BLOCK = 16_384  # cells counted per bincount: the counts stay in cache


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


def bootstrap_interval(
    values: NDArray[np.float64], replicates: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED,
) -> NDArray[np.float64] | None:
    """2.5 and 97.5 percentiles of column means over bootstrap resamples of rows.

    Args:
        values: (n, k) matrix, one row per comment.
        replicates: Number of resamples.
        seed: Seed of numpy's default generator: same input, same interval.

    Returns:
        A (2, k) array (low row, high row), or None when there are no rows.
    """
    import numpy as np

    n = values.shape[0]
    if n == 0:
        return None
    rng = np.random.default_rng(seed)
    per_chunk = max(1, _CELLS_PER_CHUNK // n)
    means: list[NDArray[np.float64]] = []
    done = 0
    with _blas().limit(limits=1, user_api="blas"):
        while done < replicates:
            size = min(per_chunk, replicates - done)
            # chunks draw the same stream as one call would: the chunk size only bounds memory
            picks = rng.integers(0, n, size=(size, n), dtype=np.uint32)
            means.append(resample_counts(picks, n) @ values / n)
            done += size
    return percentiles(np.vstack(means), INTERVAL_PERCENTILES)


def percentiles(
    samples: NDArray[np.float64], q: Sequence[float],
) -> NDArray[np.float64]:
    """Percentiles of each column, exactly as ``np.percentile(samples, q, axis=0)``.

    numpy's default ('linear', Hyndman and Fan type 7) method with its own
    interpolation arithmetic, from one sort: np.percentile's fixed cost was
    0.2 ms a call, most of a small thread's analysis. Columns hold no NaN here.

    Args:
        samples: (m, k) matrix, m >= 1.
        q: Percentiles in [0, 100].

    Returns:
        A (len(q), k) array.
    """
    import numpy as np

    low, high, gamma = _interpolation(samples.shape[0], tuple(q))
    ordered = np.sort(samples, axis=0)
    a = ordered[low]
    b = ordered[high]
    diff = b - a
    result: NDArray[np.float64] = np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
    return result


@cache
def _interpolation(
    count: int, q: tuple[float, ...],
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Order statistics below and above each percentile, and the weight of the upper one."""
    import numpy as np

    virtual = (count - 1) * (np.asarray(q, dtype=np.float64) / 100)
    below = np.floor(virtual)
    low = below.astype(np.intp)
    return low, np.minimum(low + 1, count - 1), (virtual - below)[:, None]


@cache
def _blas() -> Any:
    """The process's BLAS thread pools (found once; threadpoolctl ships no type hints).

    The resample product runs on one BLAS thread: OpenBLAS's own threads made this
    small matrix product 15 times slower on a loaded machine (ProcessPool workers,
    other jobs), and made its last bits depend on the number of cores.
    """
    import numpy  # noqa: F401  (loads numpy's BLAS before the controller looks for it)
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return ThreadpoolController()


def resample_counts(picks: NDArray[np.uint32], n: int) -> NDArray[np.float64]:
    """How often each of n rows was drawn in each resample (one resample per row of picks).

    Rows are counted a block at a time with a single bincount over picks shifted by
    n per row: one numpy call per block instead of one per resample, and a block's
    counts stay within the CPU cache (one bincount over a whole chunk is slower).
    """
    import numpy as np

    size = picks.shape[0]
    counts = np.empty((size, n))
    step = max(1, _CELLS_PER_BLOCK // n)
    offsets = (np.arange(min(step, size), dtype=np.uint32) * np.uint32(n))[:, None]
    for start in range(0, size, step):
        block = picks[start:start + step]
        rows = block.shape[0]
        flat = (block + offsets[:rows]).ravel()
        counts[start:start + rows] = np.bincount(flat, minlength=rows * n).reshape(rows, n)
    return counts


def shares(
    hard: Sequence[int], probs: Sequence[Sequence[float]], labels: Sequence[str],
    replicates: int = BOOTSTRAP_REPLICATES, seed: int = BOOTSTRAP_SEED,
) -> Shares:
    """Share estimates from hard label indices and probability rows (same order as labels)."""
    import numpy as np

    n, k = len(hard), len(labels)
    if n == 0:
        return Shares(n=0, estimates=tuple(
            ShareEstimate(label=label, count=0, share=None, expected_count=0.0,
                          expected_share=None, ci=None, expected_ci=None) for label in labels))
    index = np.asarray(hard, dtype=np.intp)
    prob = np.asarray(probs, dtype=np.float64).reshape(n, k)
    values = np.zeros((n, 2 * k))  # one-hot hard labels, then the probabilities
    values[np.arange(n), index] = 1.0
    values[:, k:] = prob
    interval = bootstrap_interval(values, replicates, seed)
    assert interval is not None  # n > 0
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
    facts = facts or thread_facts(labelled)
    stance, probabilities = facts.stance, facts.probabilities
    rows = [(c.depth, STANCE_INDEX[stance[c.id]], probabilities[c.id])
            for c in facts.real if c.id in stance]

    overall = shares([r[1] for r in rows], [r[2] for r in rows], STANCE_LABELS,
                     replicates, seed)

    def subset(keep: Callable[[int], bool]) -> Shares:
        chosen = [r for r in rows if keep(r[0])]
        if len(chosen) == len(rows):  # the same rows, seed and replicates: the same shares
            return overall
        return shares([r[1] for r in chosen], [r[2] for r in chosen], STANCE_LABELS,
                      replicates, seed)

    return StanceSummary(overall=overall,
                         toward_article=subset(lambda depth: depth == 1),
                         replies=subset(lambda depth: depth > 1),
                         by_depth=_by_depth(rows))


def _by_depth(rows: list[tuple[int, int, tuple[float, ...]]]) -> tuple[DepthCounts, ...]:
    per_depth: dict[int, Counter[int]] = {}
    for depth, hard, _ in rows:
        per_depth.setdefault(depth, Counter())[hard] += 1
    return tuple(
        DepthCounts(depth=d, n=sum(c.values()),
                    counts=tuple((name, c[i]) for i, name in enumerate(STANCE_LABELS)))
        for d, c in sorted(per_depth.items())
    )


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
    real = facts.real if facts else tuple(c for c in labelled.thread.comments if not c.placeholder)
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
    rate = shares(hard, probs, ("not_sarcastic", "sarcastic"), replicates, seed)
    return SarcasmSummary(
        rate=rate, agreements=agreements, sarcastic_agreements=sarcastic_agreements,
        sarcastic_agreement_share=sarcastic_agreements / agreements if agreements else None,
    )

"""Bootstrap percentile intervals of column means, vectorised with numpy.

One seeded generator per sample size draws every resample as a matrix of row
indices; matrices with the same number of rows are resampled by the same draws
(the same seed gives the same draws), so their resamples are counted once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

BOOTSTRAP_REPLICATES = 1000
BOOTSTRAP_SEED = 0
INTERVAL_PERCENTILES = (2.5, 97.5)  # a 95% percentile interval
_CELLS_PER_CHUNK = 1_000_000  # replicate x comment cells per vectorised step: bounds memory
_CELLS_PER_BLOCK = 16_384  # cells counted per bincount: the counts stay in cache
_BLAS_LOCK = threading.Lock()  # one thread limits BLAS at a time: see bootstrap_intervals
_CACHED_ROWS = 64  # resample counts of samples up to this size are kept (uint8, 64 KB each)


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
    return bootstrap_intervals([values], replicates, seed)[0]


def bootstrap_intervals(
    matrices: Sequence[NDArray[np.float64]], replicates: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED,
) -> list[NDArray[np.float64] | None]:
    """``bootstrap_interval`` of each matrix, drawing once per distinct row count.

    Each result equals the matrix's own ``bootstrap_interval``: a matrix of n rows is
    resampled by the draws of a generator seeded with ``seed``, shared or not.
    """
    by_rows: dict[int, list[int]] = {}
    for i, values in enumerate(matrices):
        by_rows.setdefault(values.shape[0], []).append(i)
    out: list[NDArray[np.float64] | None] = [None] * len(matrices)
    by_rows.pop(0, None)  # no rows, no interval
    if not by_rows:
        return out
    # the BLAS thread count is process-wide: two threads limiting and restoring it at
    # once could leave one of them multiplying on every core, or the process on one
    with _BLAS_LOCK, _blas().limit(limits=1, user_api="blas"):
        for n, members in by_rows.items():
            group = _same_rows_intervals([matrices[i] for i in members], n, replicates, seed)
            for i, interval in zip(members, group, strict=True):
                out[i] = interval
    return out


def _same_rows_intervals(
    matrices: list[NDArray[np.float64]], n: int, replicates: int, seed: int,
) -> list[NDArray[np.float64]]:
    import numpy as np

    if n <= _CACHED_ROWS:
        counts = _small_counts(n, replicates, seed).astype(np.float64)
        return [percentiles(counts @ values / n, INTERVAL_PERCENTILES) for values in matrices]
    rng = np.random.default_rng(seed)
    per_chunk = max(1, _CELLS_PER_CHUNK // n)
    means: list[list[NDArray[np.float64]]] = [[] for _ in matrices]
    done = 0
    while done < replicates:
        size = min(per_chunk, replicates - done)
        # chunks draw the same stream as one call would: the chunk size only bounds memory
        picks = rng.integers(0, n, size=(size, n), dtype=np.uint32)
        counts = resample_counts(picks, n)
        for values, chunks in zip(matrices, means, strict=True):
            chunks.append(counts @ values / n)  # on one BLAS thread: see _blas
        done += size
    return [percentiles(np.vstack(chunks), INTERVAL_PERCENTILES) for chunks in means]


@lru_cache(maxsize=64)
def _small_counts(n: int, replicates: int, seed: int) -> NDArray[np.uint8]:
    """Resample counts of an n-row sample, drawn as _same_rows_intervals draws them.

    The same seed gives the same draws, so small samples (most threads of a forum
    corpus) reuse them instead of paying the generator's fixed cost each time.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, size=(replicates, n), dtype=np.uint32)
    counts = resample_counts(picks, n).astype(np.uint8)
    counts.flags.writeable = False
    return counts


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
    ordered = np.ascontiguousarray(samples.T)  # each column a contiguous row: sorting
    ordered.sort(axis=1)  # rows in place beats sorting strided columns (40 vs 60 us)
    a = ordered[:, low].T
    b = ordered[:, high].T
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

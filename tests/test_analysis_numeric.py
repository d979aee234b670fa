"""The bootstrap's fast paths against the plain computations they replace, value for value."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_analysis import labelled_thread
from threadscope.analysis.bootstrap import (
    INTERVAL_PERCENTILES,
    _blas,
    bootstrap_interval,
    bootstrap_intervals,
    percentiles,
    resample_counts,
)
from threadscope.analysis.stance import (
    agreement_summaries,
    sarcasm_summary,
    shares,
    stance_summary,
)
from threadscope.labels import STANCE_LABELS


@pytest.mark.parametrize("rows", [1, 2, 3, 40, 999, 1000, 2001])
@pytest.mark.parametrize("q", [INTERVAL_PERCENTILES, (0.0, 100.0), (50.0,), (0.1, 33.3, 99.9)])
def test_percentiles_equal_numpy_percentile_bit_for_bit(rows: int, q: tuple[float, ...]) -> None:
    rng = np.random.default_rng(rows)
    samples = rng.random((rows, 6)) * np.array([1e-3, 1.0, 1e6, 1.0, 1.0, 1.0])
    samples[:, 3] = np.round(samples[:, 3], 1)  # many ties
    samples[:, 4] = 0.25  # constant column
    np.testing.assert_array_equal(percentiles(samples, q), np.percentile(samples, q, axis=0))


@pytest.mark.parametrize("n", [1, 2, 7, 300, 16_385, 40_000])
def test_resample_counts_equal_one_bincount_per_resample(n: int) -> None:
    picks = np.random.default_rng(n).integers(0, n, size=(37, n), dtype=np.uint32)
    expected = np.array([np.bincount(row, minlength=n) for row in picks], dtype=np.float64)
    counts = resample_counts(picks, n)
    np.testing.assert_array_equal(counts, expected)
    assert counts.sum(axis=1).tolist() == [n] * 37  # each resample draws n rows


def test_chunked_draws_are_the_stream_of_one_draw() -> None:
    # bootstrap_interval draws its resamples in memory-bounded chunks; the figures must
    # not depend on the chunk size, so the chunks must continue one random stream
    whole = np.random.default_rng(0).integers(0, 333, size=(1000, 333), dtype=np.uint32)
    rng = np.random.default_rng(0)
    parts = [rng.integers(0, 333, size=(size, 333), dtype=np.uint32) for size in (1, 499, 500)]
    np.testing.assert_array_equal(np.vstack(parts), whole)


def test_bootstrap_interval_is_the_plain_definition() -> None:
    values = np.random.default_rng(5).random((120, 3))
    rng = np.random.default_rng(0)
    picks = rng.integers(0, 120, size=(500, 120), dtype=np.uint32)
    means = np.array([values[row].mean(axis=0) for row in picks])
    expected = np.percentile(means, INTERVAL_PERCENTILES, axis=0)
    got = bootstrap_interval(values, replicates=500, seed=0)
    assert got is not None
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_the_product_runs_on_one_blas_thread_and_the_setting_is_restored() -> None:
    controller = _blas()
    before = [lib["num_threads"] for lib in controller.info()]
    with controller.limit(limits=1, user_api="blas"):
        assert all(lib["num_threads"] == 1 for lib in controller.select(user_api="blas").info())
    assert [lib["num_threads"] for lib in controller.info()] == before
    assert any(lib["user_api"] == "blas" for lib in controller.info())  # numpy's BLAS is seen


@pytest.mark.parametrize("n", [0, 1, 5, 130, 1000])
def test_shares_equal_the_plain_column_sums(n: int) -> None:
    rng = np.random.default_rng(n)
    hard = rng.integers(0, 4, size=n).tolist()
    probs = rng.dirichlet(np.ones(4), size=n) if n else np.zeros((0, 4))
    result = shares(hard, probs.tolist(), STANCE_LABELS, replicates=200, seed=3)
    onehot = np.zeros((n, 4))
    onehot[np.arange(n), hard] = 1.0
    interval = bootstrap_interval(np.hstack([onehot, probs]), 200, 3)
    assert result.n == n
    for j, est in enumerate(result.estimates):
        assert est.label == STANCE_LABELS[j]
        assert est.count == int(onehot[:, j].sum())
        assert est.expected_count == float(probs[:, j].sum())  # same summation, same bits
        if n == 0:
            assert (est.share, est.expected_share, est.ci, est.expected_ci) == (None,) * 4
            continue
        assert interval is not None
        assert est.share == est.count / n
        assert est.ci == (interval[0, j], interval[1, j])
        assert est.expected_ci == (interval[0, 4 + j], interval[1, 4 + j])


def test_a_flat_thread_shares_one_bootstrap_for_overall_and_toward_article() -> None:
    rows = [(f"c{i}", None, f"u{i}", None, None, STANCE_LABELS[i % 4],
             (0.5, 0.25, 0.125, 0.125), ("not_sarcastic", 0.1)) for i in range(12)]
    summary = stance_summary(labelled_thread(rows), replicates=300)
    assert summary.toward_article is summary.overall
    assert summary.replies.n == 0
    direct = shares([i % 4 for i in range(12)], [(0.5, 0.25, 0.125, 0.125)] * 12, STANCE_LABELS,
                    replicates=300)
    assert summary.overall == direct


def test_intervals_drawn_together_equal_intervals_drawn_alone() -> None:
    rng = np.random.default_rng(9)
    matrices = [rng.random((n, k)) for n, k in ((50, 8), (0, 8), (50, 4), (7, 8), (50, 8))]
    together = bootstrap_intervals(matrices, replicates=400, seed=2)
    for values, interval in zip(matrices, together, strict=True):
        alone = bootstrap_interval(values, replicates=400, seed=2)
        if alone is None:
            assert interval is None
        else:
            assert interval is not None
            np.testing.assert_array_equal(interval, alone)


def test_agreement_summaries_equal_the_two_summaries() -> None:
    rows = [(f"c{i}", None if i < 5 else f"c{i % 5}", f"u{i % 4}", None, None,
             STANCE_LABELS[i % 3], (0.5, 0.25, 0.125, 0.125),
             ("sarcastic" if i % 4 == 0 else "not_sarcastic", (i % 10) / 10)) for i in range(30)]
    labelled = labelled_thread(rows)
    stance, sarcasm = agreement_summaries(labelled, replicates=300, seed=4)
    assert stance == stance_summary(labelled, replicates=300, seed=4)
    assert sarcasm == sarcasm_summary(labelled, replicates=300, seed=4)
    assert stance.overall.n == sarcasm.rate.n == 30  # the case whose draws are shared


def test_concurrent_intervals_are_the_sequential_ones_and_blas_is_restored() -> None:
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(11)
    matrices = [rng.random((n, 8)) for n in (300, 301, 302, 303, 304, 305)]
    before = [lib["num_threads"] for lib in _blas().info()]
    sequential = [bootstrap_interval(m, replicates=300) for m in matrices]
    with ThreadPoolExecutor(4) as pool:
        concurrent = list(pool.map(lambda m: bootstrap_interval(m, replicates=300), matrices))
    for one, other in zip(sequential, concurrent, strict=True):
        assert one is not None
        assert other is not None
        np.testing.assert_array_equal(one, other)
    assert [lib["num_threads"] for lib in _blas().info()] == before


@pytest.mark.parametrize("n", [1, 7, 64])
def test_cached_small_sample_draws_equal_fresh_draws(n: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import threadscope.analysis.bootstrap as bootstrap

    values = np.random.default_rng(n).random((n, 3))
    cached = [bootstrap_interval(values) for _ in range(2)]  # second call: from the cache
    monkeypatch.setattr(bootstrap, "_CACHED_ROWS", 0)
    fresh = bootstrap_interval(values)
    assert fresh is not None
    for interval in cached:
        assert interval is not None
        np.testing.assert_array_equal(interval, fresh)

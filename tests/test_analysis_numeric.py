"""The bootstrap's fast numeric paths against the plain numpy they replace, value for value."""

from __future__ import annotations

import numpy as np
import pytest

from threadscope.analysis.stance import (
    INTERVAL_PERCENTILES,
    _blas,
    bootstrap_interval,
    percentiles,
    resample_counts,
)


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

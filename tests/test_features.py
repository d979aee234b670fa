"""Hashed features: the batched computation equals the per-text definition."""

from __future__ import annotations

import itertools
import zlib

import numpy as np
import pytest

from tests.conftest import need_threads
from threadscope.classify.features import (
    WORD_SEED,
    byte_gram_hashes,
    hash_text,
    hashed_blocks,
    tokens,
    word_gram_hashes,
)

# synthetic edge cases: empty, shorter than a 3-gram, repeats, non-ASCII, whitespace runs
EDGE_TEXTS = ["", "a", "ab", "abc", "spam spam spam spam", "ünïcödé ✓ 😀", "  spaced \n\t out  "]


def _reference(text: str, bits: int, with_bytes: bool) -> tuple[np.ndarray, np.ndarray]:
    """One text alone: distinct columns, 1 + log(count), divided by the row's L2 norm."""
    cols, counts = np.unique(hash_text(tokens(text), text, bits, with_bytes),
                             return_counts=True)
    values = 1.0 + np.log(counts.astype(np.float64))
    if len(values):
        values = values / np.sqrt(np.sum(values * values))
    return cols, values


def _real_texts() -> list[str]:
    from threadscope.api import load

    thread = load(need_threads() / "dragnet/R990.html")[0]
    return [c.text for c in thread.comments]


@pytest.mark.parametrize(("bits", "with_bytes"), [(18, True), (16, False), (5, True)])
def test_batched_blocks_equal_each_text_alone(bits: int, with_bytes: bool) -> None:
    texts = EDGE_TEXTS + _real_texts()
    blocks = hashed_blocks([(word_gram_hashes(tokens(t)), t) for t in texts], bits, with_bytes)
    assert len(blocks) == len(texts)
    for text, (cols, values) in zip(texts, blocks, strict=True):
        ref_cols, ref_values = _reference(text, bits, with_bytes)
        np.testing.assert_array_equal(cols, ref_cols, err_msg=text[:60])
        # the norm's sum may associate differently (last bits): batch-independence,
        # which tagging relies on, is checked exactly below
        np.testing.assert_allclose(values, ref_values, rtol=1e-14, err_msg=text[:60])


@pytest.mark.parametrize(("bits", "with_bytes"), [(18, True), (16, False)])
def test_a_texts_block_is_the_same_in_any_batch(bits: int, with_bytes: bool) -> None:
    """Exactly the same columns and values alone, in a batch, and at another position
    of a reversed batch (runs start at other offsets), so labels never depend on the
    texts a comment is tagged with."""
    texts = EDGE_TEXTS + _real_texts()
    items = [(word_gram_hashes(tokens(t)), t) for t in texts]
    together = hashed_blocks(items, bits, with_bytes)
    backwards = hashed_blocks(items[::-1], bits, with_bytes)[::-1]
    for item, block, other in zip(items, together, backwards, strict=True):
        (alone_cols, alone_values), = hashed_blocks([item], bits, with_bytes)
        for cols, values in (block, other):
            assert np.array_equal(cols, alone_cols)
            assert np.array_equal(values, alone_values)


def test_word_gram_hashes_are_crc32_of_words_and_joined_pairs() -> None:
    words = tokens("Don't you think the café is great? Yes!")
    expected = [zlib.crc32(w.encode(), WORD_SEED) for w in words]
    expected += [zlib.crc32(f"{a} {b}".encode(), WORD_SEED)
                 for a, b in itertools.pairwise(words)]
    assert word_gram_hashes(words) == expected


def test_byte_grams_count_every_3_to_5_gram() -> None:
    data = b" the cat sat "
    hashes = byte_gram_hashes(data)
    assert len(hashes) == (len(data) - 2) + (len(data) - 3) + (len(data) - 4)
    assert (hashes >= 0).all()
    assert len(set(hashes.tolist())) == len({data[i:i + n] for n in (3, 4, 5)
                                             for i in range(len(data) - n + 1)})

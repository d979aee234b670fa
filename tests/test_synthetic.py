"""The synthetic thread generator behind the benchmarks (threadscope.corpus.synthetic).

Its threads are synthetic by design; what is checked here is that they are what the
benchmarks claim: reproducible, the stated size and depth, and (for the default
vocabulary) text whose word trigrams recur about as often as in the real threads.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from threadscope.api import load, load_one
from threadscope.corpus.synthetic import _LEFT_OUT, MAX_DEPTH, reddit_thread
from threadscope.model import Thread
from threadscope.quotes import _Index


def _recurrence(thread: Thread) -> float:
    """Word trigram occurrences per distinct trigram over a thread's comment lines, the
    trigrams as the quote finder's index takes them."""
    counts: Counter[str] = Counter()
    for comment in thread.comments:
        for line in _Index.prepare(comment.text):
            counts.update(line.grams)
    return sum(counts.values()) / len(counts)


def _thread(tmp_path: Path, comments: int, **options: str) -> Thread:
    page = tmp_path / f"syn-{comments}.json"
    page.write_bytes(reddit_thread(comments, seed=comments, **options))
    return load_one(page)


def test_same_seed_same_bytes_and_the_stated_shape(tmp_path: Path) -> None:
    assert reddit_thread(50, seed=3) == reddit_thread(50, seed=3)
    assert reddit_thread(50, seed=3) != reddit_thread(50, seed=4)
    thread = _thread(tmp_path, 300)
    assert len(thread.comments) == 300
    assert max(c.depth for c in thread.comments) <= MAX_DEPTH
    assert {len(c.text) for c in thread.comments} <= {199, 200}  # 199: a cut at a space


def test_zipf_text_leaves_out_the_listed_words(tmp_path: Path) -> None:
    words = {w for c in _thread(tmp_path, 1000).comments for w in c.text.lower().split()}
    assert len(words) > 500
    assert not words & _LEFT_OUT


def test_zipf_trigrams_recur_as_rarely_as_in_real_text_at_every_size(tmp_path: Path) -> None:
    """The small 26-word vocabulary repeats every trigram more the bigger the thread;
    the Zipf vocabulary keeps near the real threads' 1.03-1.14 recurrences."""
    zipf = [_recurrence(_thread(tmp_path, n)) for n in (300, 3000)]
    small = [_recurrence(_thread(tmp_path, n, vocabulary="small")) for n in (300, 3000)]
    assert zipf[0] < 1.15
    assert zipf[1] < 1.25
    assert small[1] > 2 * small[0] > 2


def test_the_real_threads_recurrence_the_zipf_text_is_held_to(threads_dir: Path) -> None:
    pages = [p for p in sorted(threads_dir.rglob("*")) if p.is_file()
             and p.suffix != ".md" and ".gold" not in p.name and "expected" not in p.name]
    threads = [t for page in pages for t in load(page) if len(t.comments) >= 100]
    assert threads, "no real thread of 100 comments or more"
    assert all(1.0 <= _recurrence(t) < 1.15 for t in threads)


def test_an_unknown_vocabulary_is_refused() -> None:
    with pytest.raises(ValueError, match="vocabulary"):
        reddit_thread(10, vocabulary="klingon")

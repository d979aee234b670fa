"""Tagging speed: comments/s/core for stance + sarcasm + sentiment, and model load time.

Threads of 100 comments (a tree: each comment answers one of the earlier ones) are built
from real corpus text cut to 200 and 2,000 characters, and tagged in this one process
(one core). Run: python benchmarks/bench_tagging.py [--data DIR] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from threadscope.model import Article, Comment, Thread, build_thread

COMMENTS_PER_THREAD = 100


def corpus_text(data: Path) -> str:
    """A long stream of real English comment text (DEBAGREEMENT replies + tweets)."""
    import csv

    parts: list[str] = []
    with (data / "stance/debagreement/dev.csv").open(encoding="utf-8", newline="") as f:
        parts += [row["body_child"] for row in csv.DictReader(f)]
    with (data / "stance/rumoureval2019/posts_train_dev.jsonl").open(encoding="utf-8") as f:
        parts += [json.loads(line)["text"] or "" for line in f]
    return " ".join(" ".join(parts).split())


def make_threads(text: str, length: int, count: int) -> list[Thread]:
    """Threads whose comments are consecutive `length`-character slices of the text."""
    threads = []
    pos = 0
    for t in range(count):
        comments = []
        for i in range(COMMENTS_PER_THREAD):
            if pos + length > len(text):
                pos = 0
            body = text[pos:pos + length]
            pos += length
            parent = None if i % 10 == 0 else str((i * 7919 + t) % i)
            comments.append(Comment(id=str(i), parent_id=parent, depth=0, text=body))
        threads.append(build_thread(Article(title=f"Thread {t}", body=(text[:500],)),
                                    comments))
    return threads


IDLE_VADER_RATE = 7_600
"""Stock VADER on 200-char comments, idle core of this machine kind (the issue's anchor)."""


def vader_reference(text: str) -> float:
    """VADER alone on whole 200-char texts: a yardstick for how loaded this machine is."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    samples = [text[i:i + 200] for i in range(0, 200 * 1000, 200)]
    start = time.perf_counter()
    for sample in samples:
        analyzer.polarity_scores(sample)
    rate = len(samples) / (time.perf_counter() - start)
    from threadscope.classify.sentiment import sentiment

    cost = {}
    for length in (200, 3000):
        chunks = [text[i:i + length] for i in range(0, length * 200, length)]
        start = time.perf_counter()
        for chunk in chunks:
            sentiment(chunk)
        cost[length] = (time.perf_counter() - start) / len(chunks)
    print(f"sentence-wise VADER: a 3,000-char text costs {cost[3000] / cost[200]:.1f} x a "
          f"200-char one ({cost[200] * 1e6:.0f} vs {cost[3000] * 1e6:.0f} us)")
    print(f"reference: VADER alone on 200-char texts {rate:,.0f} comments/s/core now "
          "(about 7,600 on an idle core of this kind of machine)")
    from threadscope.classify.sentiment import analyzer as fast_analyzer

    fast = fast_analyzer()
    start = time.perf_counter()
    for sample in samples:
        fast.polarity_scores(sample)
    fast_rate = len(samples) / (time.perf_counter() - start)
    print(f"threadscope's VADER (identical scores) on the same texts: {fast_rate:,.0f} "
          f"comments/s/core ({fast_rate / rate:.2f} x stock)")
    return rate


def main() -> None:
    """Print load times and comments/s/core at 200 and 2,000 characters."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=20)
    args = parser.parse_args()

    start = time.perf_counter()
    import numpy  # noqa: F401  (timed apart: every numeric tool pays it)

    numpy_s = time.perf_counter() - start
    from threadscope.classify.data import data_dir
    from threadscope.classify.language import _identifier
    from threadscope.classify.modelio import DEFAULT_DIR, load_head
    from threadscope.classify.tagging import tag_thread

    start = time.perf_counter()
    for name in ("sarcasm", "stance"):
        load_head(DEFAULT_DIR, name)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    _identifier()
    langid_s = time.perf_counter() - start
    print(f"numpy import {numpy_s:.3f} s; model load (both heads, hash-checked) {load_s:.3f} s; "
          f"py3langid model load (only when a text needs it) {langid_s:.3f} s")

    text = corpus_text(data_dir(args.data))
    reference = vader_reference(text)
    for length in (200, 2000):
        threads = make_threads(text, length, args.threads)
        tag_thread(make_threads(text[::-1], length, 1)[0])  # warm caches and imports
        start = time.perf_counter()
        for thread in threads:
            tag_thread(thread)
        elapsed = time.perf_counter() - start
        n = len(threads) * COMMENTS_PER_THREAD
        print(f"{length:>5}-char comments: {n} tagged in {elapsed:.2f} s = "
              f"{n / elapsed:,.0f} comments/s/core ({elapsed / n * 1e6:.0f} us each); "
              f"{n / elapsed / reference:.0%} of stock VADER's rate now, so about "
              f"{n / elapsed / reference * IDLE_VADER_RATE:,.0f}/s on an idle core")


if __name__ == "__main__":
    main()

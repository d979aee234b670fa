"""Speed and accuracy of quote detection (threadscope.quotes.resolve_quotes), as tables.

1. Synthetic threads of 1,000 and 10,000 comments (Zipf-distributed words, random
   reply tree) with planted quotes: a line of the parent (a third with a small
   edit), a sentence of the article, or a long line of an unrelated earlier
   comment. Prints time, comments per second, the growth from 1k to 10k (linear
   would be 10x), and precision/recall of the planted quotes' sources.
2. A 10,000-deep reply chain, each reply quoting its parent (no recursion allowed).
3. The real plain-text pages: seed 001 and the dragnet gold copies (when
   ../shared/threads is present), parse time and quote time.

Usage:
    python benchmarks/bench_quotes.py
    python benchmarks/bench_quotes.py --sizes 1000 10000 50000 --seed 7
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from dataclasses import dataclass
from pathlib import Path

from threadscope.api import load_one
from threadscope.model import ARTICLE_ID, Article, Comment, Thread, build_thread
from threadscope.quotes import resolve_quotes

ROOT = Path(__file__).resolve().parent.parent
THREADS = ROOT.parent / "shared" / "threads"
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "da", "pe", "gor", "lin",
             "tas", "mer", "bo", "fi", "zan", "qu", "el", "an"]


@dataclass(frozen=True)
class Planted:
    """Which comments got a planted quote, and of what."""

    sources: dict[str, str]


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = _vocabulary(rng)
        # Zipf weights: a few words are very common, as in real text.
        self.weights = [1.0 / (rank + 1) for rank in range(len(self.words))]

    def line(self, low: int = 8, high: int = 25) -> str:
        n = self.rng.randint(low, high)
        text = " ".join(self.rng.choices(self.words, self.weights, k=n))
        return text[0].upper() + text[1:] + "."

    def comment(self) -> list[str]:
        return [self.line() for _ in range(self.rng.randint(1, 6))]

    def edit(self, line: str) -> str:
        """A small copy edit: drop the full stop and change one letter."""
        chars = list(line.rstrip("."))
        i = self.rng.randrange(len(chars))
        if chars[i].isalpha():
            chars[i] = "x"
        return "".join(chars)


def synthetic(n: int, seed: int) -> tuple[Thread, Planted]:
    """A random reply tree of n comments with planted quotes of known sources."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    body = tuple(writer.line(12, 30) for _ in range(12))
    texts: dict[str, list[str]] = {}
    comments: list[Comment] = []
    sources: dict[str, str] = {}
    for i in range(n):
        cid = f"c{i}"
        parent = f"c{rng.randrange(i)}" if i and rng.random() < 0.7 else None
        lines = writer.comment()
        roll = rng.random()
        if parent and roll < 0.25:
            quoted = rng.choice(texts[parent])
            lines = [writer.edit(quoted) if rng.random() < 0.33 else quoted, *lines]
            sources[cid] = parent
        elif roll < 0.30:
            lines = [rng.choice(body), *lines]
            sources[cid] = ARTICLE_ID
        elif i > 10 and roll < 0.33:
            other = f"c{rng.randrange(i)}"
            long_lines = [x for x in texts[other] if len(x.split()) >= 12]
            if other != parent and long_lines:
                lines = [rng.choice(long_lines), *lines]
                sources[cid] = other
        texts[cid] = lines
        comments.append(Comment(id=cid, parent_id=parent, depth=0, author=f"user{i}",
                                text="\n".join(lines)))
    return build_thread(Article(title="Synthetic", body=body), comments), Planted(sources)


def _score(thread: Thread, planted: Planted) -> tuple[float, float, int]:
    found = {c.id: c.quotes[0].source_id for c in thread.comments if c.quotes}
    right = sum(1 for cid, src in found.items() if planted.sources.get(cid) == src)
    precision = right / len(found) if found else 0.0
    recall = right / len(planted.sources) if planted.sources else 0.0
    return precision, recall, len(found)


def _timed(thread: Thread) -> tuple[Thread, float]:
    """Quote resolution and its CPU seconds (wall time varies on a shared machine)."""
    start = time.process_time()
    out = resolve_quotes(thread)
    return out, time.process_time() - start


def bench_synthetic(sizes: list[int], seed: int) -> None:
    print("synthetic threads (planted quotes: parent line, a third edited; article; "
          "unrelated long line)")
    print(f"{'comments':>9} {'CPU s':>8} {'comments/s':>11} {'planted':>8} {'found':>6} "
          f"{'precision':>9} {'recall':>7}")
    times: dict[int, float] = {}
    for n in sizes:
        thread, planted = synthetic(n, seed)
        out, seconds = _timed(thread)
        precision, recall, found = _score(out, planted)
        times[n] = seconds
        print(f"{n:>9,} {seconds:>8.2f} {n / seconds:>11,.0f} {len(planted.sources):>8,} "
              f"{found:>6,} {precision:>9.3f} {recall:>7.3f}")
    ordered = sorted(times)
    for small, big in itertools.pairwise(ordered):
        print(f"growth {small:,} -> {big:,} comments: time x{times[big] / times[small]:.1f} "
              f"(linear would be x{big / small:.0f})")


def bench_chain(n: int) -> None:
    line = "Every reply in this chain repeats the words of the comment it answers."
    comments = [Comment(id="0", parent_id=None, depth=0, author="u0", text=line)]
    comments += [Comment(id=str(i), parent_id=str(i - 1), depth=0, author=f"u{i}",
                         text=f"{line}\nAnswer number {i}.") for i in range(1, n)]
    thread = build_thread(Article(), comments)
    out, seconds = _timed(thread)
    linked = sum(1 for c in out.comments if c.quotes and c.quotes[0].source_id == c.parent_id)
    print(f"\nreply chain {n:,} deep: {seconds:.2f} CPU s, {linked:,} of {n - 1:,} replies linked "
          "to their parent")


def bench_real() -> None:
    pages = [ROOT / "fixtures" / "001_42a6ee7e45e40515.txt"]
    pages += sorted((THREADS / "dragnet").glob("*.gold.txt")) if THREADS.exists() else []
    print(f"\n{'page':<28} {'comments':>8} {'parse CPU s':>11} {'quotes CPU s':>12} "
          f"{'with quotes':>11}")
    for page in pages:
        start = time.process_time()
        thread = load_one(page)
        parse_s = time.process_time() - start
        out, quote_s = _timed(thread)
        quoted = sum(1 for c in out.comments if c.quotes)
        print(f"{page.name:<28} {len(out.comments):>8} {parse_s:>11.3f} {quote_s:>12.3f} "
              f"{quoted:>11}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chain", type=int, default=10000)
    args = parser.parse_args()
    bench_synthetic(args.sizes, args.seed)
    bench_chain(args.chain)
    bench_real()


if __name__ == "__main__":
    main()

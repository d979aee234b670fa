"""Time the agreement analysis on synthetic 10,000-comment threads (bushy and 10,000 deep).

Run: python benchmarks/bench_analysis.py [--comments 10000] [--replicates 1000]
Prints seconds per step (best of 3; each step given the shared thread facts, which
analyse() gathers once) and, for the whole analysis, comments per second and CPU time
per comment (process time: it counts every thread, so BLAS threads are not hidden).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from threadscope.analysis import analyse, analysis_dict
from threadscope.analysis.chains import contest_weights, disagreement_chains
from threadscope.analysis.common import thread_facts
from threadscope.analysis.controversy import thread_controversy
from threadscope.analysis.graph import author_graph
from threadscope.analysis.shape import thread_shape
from threadscope.analysis.stance import agreement_summaries, sarcasm_summary, stance_summary
from threadscope.labels import (
    STANCE_LABELS,
    CommentLabels,
    LabelledThread,
    Sarcasm,
    Sentiment,
    Stance,
)
from threadscope.model import Article, Comment, Timestamp, build_thread

START = datetime(2024, 1, 1, 8, 0)


def synthetic(n: int, deep: bool, seed: int = 1) -> LabelledThread:
    """A labelled thread of n comments: random tree (or one chain), 300 authors, 10% anonymous."""
    rng = random.Random(seed)
    comments = []
    labels = {}
    for i in range(n):
        parent = None if i == 0 else f"c{i - 1}" if deep else (
            None if rng.random() < 0.1 else f"c{rng.randrange(i)}")
        author = None if rng.random() < 0.1 else f"user{rng.randrange(300)}"
        when = START + timedelta(minutes=i)
        comments.append(Comment(id=f"c{i}", parent_id=parent, depth=0, author=author,
                                score=rng.randint(-10, 20), timestamp=Timestamp(when.isoformat()),
                                text=f"comment {i}"))
        weights = [rng.random() for _ in STANCE_LABELS]
        total = sum(weights)
        probs: dict[str, float] = {
            k: w / total for k, w in zip(STANCE_LABELS, weights, strict=True)}
        best = max(STANCE_LABELS, key=probs.__getitem__)
        p_sarc = rng.random()
        labels[f"c{i}"] = CommentLabels(
            comment_id=f"c{i}", language="en",
            stance=Stance(label=best, target_id=parent or "article", probabilities=probs),
            sarcasm=Sarcasm(label="sarcastic" if p_sarc > 0.8 else "not_sarcastic",
                            probability=p_sarc),
            sentiment=Sentiment(0.0, 0.0, 1.0, 0.0))
    thread = build_thread(Article(title="synthetic", author="op"), comments)
    return LabelledThread(thread=thread, labels=labels)


def best_of(
    fn: Callable[[], Any], runs: int = 3, clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Fastest time of a few runs, in seconds (wall time unless another clock is given)."""
    times = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def bench(item: LabelledThread, replicates: int, shape: str) -> None:
    """Print each step's time and the whole analysis' throughput on one thread."""
    n = len(item.thread.comments)
    print(f"{n} comments, {shape} (depth {item.thread.max_depth}), "
          f"{replicates} bootstrap replicates")
    facts = thread_facts(item)  # gathered once by analyse() and shared by every step
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("thread facts (shared)", lambda: thread_facts(item)),
        ("stance shares + CIs", lambda: stance_summary(item, replicates, facts=facts)),
        ("sarcasm rate + CI", lambda: sarcasm_summary(item, replicates, facts=facts)),
        ("both, draws shared", lambda: agreement_summaries(item, replicates, facts=facts)),
        ("disagreement chains", lambda: disagreement_chains(item, facts)),
        ("contested comments", lambda: contest_weights(item, facts)),
        ("author graph + balance", lambda: author_graph(item, facts=facts)),
        ("controversy", lambda: thread_controversy(item, facts)),
        ("shape (virality, latency)", lambda: thread_shape(item, facts)),
    ]
    for name, fn in steps:
        print(f"  {name:<28} {best_of(fn):8.3f} s")
    total = best_of(lambda: analyse(item, replicates=replicates))
    cpu = best_of(lambda: analyse(item, replicates=replicates), clock=time.process_time)
    result = analyse(item, replicates=replicates)
    print(f"  {'analyse() total':<28} {total:8.3f} s  ({n / total:,.0f} comments/s, "
          f"{cpu / n * 1e6:.0f} us CPU per comment)")
    print(f"  {'analysis_dict()':<28} {best_of(lambda: analysis_dict(result)):8.3f} s")


def main() -> None:
    """Print the timings for a bushy and a 10,000-deep thread."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--replicates", type=int, default=1000)
    args = parser.parse_args()
    bench(synthetic(args.comments, deep=False), args.replicates, "random tree")
    bench(synthetic(args.comments, deep=True), args.replicates, "single chain")


if __name__ == "__main__":
    main()

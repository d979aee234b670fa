"""Agreement structure of a labelled thread, as pure functions returning frozen results.

Nothing here mutates the thread: ``analyse(labelled)`` reads a LabelledThread and
returns an ``Analysis``; ``analysis_dict`` turns it into the export's ``analysis`` block.
Every figure is defined, with its formula, in docs/metrics.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadscope.analysis.bootstrap import BOOTSTRAP_REPLICATES, BOOTSTRAP_SEED
from threadscope.analysis.chains import (
    ChainSummary,
    Contested,
    contest_weights,
    disagreement_chains,
    rank_contested,
)
from threadscope.analysis.common import thread_facts
from threadscope.analysis.controversy import ThreadControversy, thread_controversy
from threadscope.analysis.graph import AuthorGraph, author_graph
from threadscope.analysis.serialise import analysis_dict, comment_figures
from threadscope.analysis.shape import Shape, thread_shape
from threadscope.analysis.stance import SarcasmSummary, StanceSummary, agreement_summaries
from threadscope.labels import LabelledThread


@dataclass(frozen=True, slots=True)
class Analysis:
    """Every agreement figure of one thread.

    Attributes:
        stance: Stance shares overall, toward the article, among replies, by depth.
        sarcasm: Sarcasm rate and sarcastic agreements.
        chains: Disagreement chains and the longest one.
        contested: Most contested comments, heaviest first.
        contest: Per comment with replies: replies, disagreeing ones and their weight.
        graph: Signed author graph, balance and central disagreers.
        controversy: Vote- and stance-based controversy, per comment and thread.
        shape: Size, depth, breadth, participants, virality, latency.
        replicates: Bootstrap resamples behind every interval.
        seed: Seed of the bootstrap.
    """

    stance: StanceSummary
    sarcasm: SarcasmSummary
    chains: ChainSummary
    contested: tuple[Contested, ...]
    contest: dict[str, Contested]
    graph: AuthorGraph
    controversy: ThreadControversy
    shape: Shape
    replicates: int
    seed: int


def analyse(
    labelled: LabelledThread, *, replicates: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED,
) -> Analysis:
    """Compute every agreement figure of a labelled thread (deterministic for a seed).

    The per-comment facts every figure reads are gathered once and shared.
    """
    facts = thread_facts(labelled)
    contest = contest_weights(labelled, facts)
    stance, sarcasm = agreement_summaries(labelled, replicates, seed, facts)
    return Analysis(
        stance=stance,
        sarcasm=sarcasm,
        chains=disagreement_chains(labelled, facts),
        contested=rank_contested(labelled, contest),
        contest=contest,
        graph=author_graph(labelled, facts=facts),
        controversy=thread_controversy(labelled, facts),
        shape=thread_shape(labelled, facts),
        replicates=replicates,
        seed=seed,
    )


__all__ = ["Analysis", "analyse", "analysis_dict", "comment_figures"]

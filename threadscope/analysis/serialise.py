"""The analysis as plain JSON data: deterministic, rounded, null for undefined figures."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from threadscope.analysis.common import is_anonymous

if TYPE_CHECKING:
    from threadscope.analysis import Analysis
    from threadscope.analysis.graph import AuthorGraph
    from threadscope.analysis.shape import Shape
    from threadscope.analysis.stance import Shares

ANALYSIS_VERSION = 1
DIGITS = 6  # rounding keeps output byte-stable across platforms' last-bit float noise


def num(value: float | None) -> float | None:
    """A float rounded for output; None for missing, NaN or infinite values."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), DIGITS)


def _pair(values: tuple[float, float] | None) -> list[float | None] | None:
    return None if values is None else [num(values[0]), num(values[1])]


def shares_dict(shares: Shares) -> dict[str, Any]:
    """One Shares block: n and, per label, hard and expected shares with intervals."""
    return {
        "n": shares.n,
        "labels": {
            e.label: {
                "count": e.count,
                "share": num(e.share),
                "ci95": _pair(e.ci),
                "expected_count": num(e.expected_count),
                "expected_share": num(e.expected_share),
                "expected_ci95": _pair(e.expected_ci),
            }
            for e in shares.estimates
        },
    }


def analysis_dict(result: Analysis) -> dict[str, Any]:
    """The export's ``analysis`` block (JSON-serialisable; see docs/metrics.md)."""
    return {
        "version": ANALYSIS_VERSION,
        "bootstrap": {"replicates": result.replicates, "seed": result.seed, "level": 0.95},
        "stance": _stance(result),
        "sarcasm": _sarcasm(result),
        "disagreement_chains": _chains(result),
        "most_contested": [
            {"comment_id": c.comment_id, "replies": c.replies, "disagreeing": c.disagreeing,
             "weight": num(c.weight)} for c in result.contested
        ],
        "author_graph": graph_dict(result.graph),
        "controversy": _controversy(result),
        "shape": shape_dict(result.shape),
    }


def _stance(result: Analysis) -> dict[str, Any]:
    s = result.stance
    return {
        "overall": shares_dict(s.overall),
        "toward_article": shares_dict(s.toward_article),
        "replies": shares_dict(s.replies),
        "by_depth": [{"depth": d.depth, "n": d.n, "counts": dict(d.counts)}
                     for d in s.by_depth],
    }


def _sarcasm(result: Analysis) -> dict[str, Any]:
    s = result.sarcasm
    return {
        "rate": shares_dict(s.rate),
        "agreements": s.agreements,
        "sarcastic_agreements": s.sarcastic_agreements,
        "sarcastic_agreement_share": num(s.sarcastic_agreement_share),
    }


def _chains(result: Analysis) -> dict[str, Any]:
    c = result.chains
    return {
        "count": c.count,
        "longest_length": len(c.longest),
        "longest": list(c.longest),
        "chains": [{"start_id": ch.start_id, "end_id": ch.end_id, "length": ch.length}
                   for ch in c.chains],
    }


def graph_dict(graph: AuthorGraph) -> dict[str, Any]:
    """Nodes, signed edges, balance and central disagreers."""
    return {
        "nodes": [{"id": a, "anonymous": is_anonymous(a), "comments": n} for a, n in graph.nodes],
        "edges": [{"source": e.source, "target": e.target, "agree": e.agree,
                   "disagree": e.disagree, "other": e.other, "weight": num(e.weight),
                   "sign": e.sign} for e in graph.edges],
        "balance": {"triangles": graph.balance.triangles, "balanced": graph.balance.balanced,
                    "share": num(graph.balance.share)},
        "central_disagreers": [
            {"author": d.author, "partners": d.partners, "centrality": num(d.centrality),
             "strength": num(d.strength), "given": d.given, "received": d.received}
            for d in graph.central_disagreers
        ],
    }


def _controversy(result: Analysis) -> dict[str, Any]:
    c = result.controversy
    return {
        "stance_entropy": num(c.stance_entropy),
        "mean_reply_entropy": num(c.mean_reply_entropy),
        "vote_controversy": num(c.vote_controversy),
        "negative_share": num(c.negative_share),
        "stance_score_correlation": num(c.stance_score_correlation),
        "mean_score_by_stance": {k: num(v) for k, v in c.mean_score_by_stance},
    }


def shape_dict(shape: Shape) -> dict[str, Any]:
    """The shape block."""
    return {
        "size": shape.size,
        "placeholders": shape.placeholders,
        "depth": shape.depth,
        "top_level": shape.top_level,
        "breadth": list(shape.breadth),
        "participants": shape.participants,
        "named_participants": shape.named_participants,
        "structural_virality": num(shape.structural_virality),
        "reply_latency_median_seconds": num(shape.reply_latency_median),
        "reply_latency_count": shape.reply_latency_count,
        "first_comment_latency_seconds": num(shape.first_comment_latency),
    }


COMMENT_FIGURES = ("replies", "disagreeing_replies", "contest_weight", "reply_stance_entropy",
                   "reply_vote_controversy", "disagreement_run", "first_reply_seconds")
"""Per-comment figures, in column order (CSV export, HTML tooltips)."""


def comment_figures(result: Analysis, comment_id: str) -> dict[str, Any]:
    """The per-comment figures of one comment, keyed as in COMMENT_FIGURES."""
    contest = result.contest.get(comment_id)
    contro = result.controversy.per_comment.get(comment_id)
    return {
        "replies": contest.replies if contest else 0,
        "disagreeing_replies": contest.disagreeing if contest else 0,
        "contest_weight": num(contest.weight) if contest else 0.0,
        "reply_stance_entropy": num(contro.stance_entropy) if contro else None,
        "reply_vote_controversy": num(contro.vote_controversy) if contro else None,
        "disagreement_run": result.chains.run_length.get(comment_id, 0),
        "first_reply_seconds": num(result.shape.first_reply_seconds.get(comment_id)),
    }

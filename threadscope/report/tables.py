"""The report's summary tables as plain rows, shared by the text, markdown and HTML views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from threadscope.analysis.common import ANONYMOUS_PREFIX
from threadscope.labels import STANCE_LABELS

if TYPE_CHECKING:
    from threadscope.analysis import Analysis
    from threadscope.analysis.stance import Shares
    from threadscope.model import Thread

MAX_DEPTH_ROWS = 25  # a 10,000-deep thread still gets a readable depth table
TOP_ROWS = 5
DASH = "–"


@dataclass(frozen=True, slots=True)
class SummaryTable:
    """One titled table of strings."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def pct(value: float | None) -> str:
    """A share as a percentage with one decimal, or a dash."""
    return DASH if value is None else f"{100 * value:.1f}%"


def interval(values: tuple[float, float] | None) -> str:
    """A 95% interval of shares, as [low–high%]."""
    if values is None:
        return DASH
    return f"[{100 * values[0]:.1f}–{100 * values[1]:.1f}%]"


def fmt(value: float | int | None, digits: int = 3) -> str:
    """A figure for display: integers as they are, floats rounded, None as a dash."""
    if value is None:
        return DASH
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def duration(seconds: float | None) -> str:
    """Seconds as a short human duration (e.g. 7 h 8 min)."""
    if seconds is None:
        return DASH
    minutes = round(seconds / 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d"] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{mins} min"] if mins or not parts else []
    return " ".join(parts)


def author_name(key: str) -> str:
    """How an author key is shown: anonymous keys name the comment they wrote."""
    if key.startswith(ANONYMOUS_PREFIX):
        return f"anonymous (#{key[len(ANONYMOUS_PREFIX):]})"
    return key


def comment_ref(thread: Thread, comment_id: str) -> str:
    """A comment as readers see it: its outline number when the page has one."""
    if comment_id in thread:
        return thread.get(comment_id).path or comment_id
    return comment_id


def _share_rows(scope: str, shares: Shares) -> list[tuple[str, ...]]:
    return [(scope if i == 0 else "", e.label, str(e.count), pct(e.share), interval(e.ci),
             f"{e.expected_count:.2f}", interval(e.expected_ci))
            for i, e in enumerate(shares.estimates)]


def stance_table(a: Analysis) -> SummaryTable:
    """Stance shares with intervals, overall / toward the article / among replies."""
    rows = (_share_rows(f"overall (n={a.stance.overall.n})", a.stance.overall)
            + _share_rows(f"toward article (n={a.stance.toward_article.n})",
                          a.stance.toward_article)
            + _share_rows(f"replies (n={a.stance.replies.n})", a.stance.replies))
    return SummaryTable("Stance", ("scope", "stance", "count", "share", "95% CI",
                                   "expected count", "expected share 95% CI"), tuple(rows))


def depth_table(a: Analysis) -> SummaryTable:
    """Stance counts per depth (the first MAX_DEPTH_ROWS levels)."""
    rows = [(str(d.depth), str(d.n), *(str(n) for _, n in d.counts))
            for d in a.stance.by_depth[:MAX_DEPTH_ROWS]]
    hidden = len(a.stance.by_depth) - MAX_DEPTH_ROWS
    if hidden > 0:
        rows.append((f"… {hidden} deeper levels", "", "", "", "", ""))
    return SummaryTable("Stance by depth", ("depth", "n", *STANCE_LABELS), tuple(rows))


def sarcasm_table(a: Analysis) -> SummaryTable:
    """Sarcasm rate and sarcastic agreements."""
    s = a.sarcasm
    est = s.rate.get("sarcastic")
    rows = [("sarcasm rate", f"{pct(est.share)} {interval(est.ci)} of {s.rate.n}"),
            ("expected sarcastic", f"{est.expected_count:.2f} {interval(est.expected_ci)}"),
            ("sarcastic agreements",
             f"{s.sarcastic_agreements} of {s.agreements} ({pct(s.sarcastic_agreement_share)})")]
    return SummaryTable("Sarcasm", ("figure", "value"), tuple(rows))


def disagreement_table(a: Analysis, thread: Thread) -> SummaryTable:
    """Disagreement chains and the most contested comments."""
    longest = " → ".join(comment_ref(thread, c) for c in a.chains.longest) or DASH
    rows = [("disagreement chains (≥2)", str(a.chains.count)),
            ("longest chain", f"{len(a.chains.longest)}: {longest}")]
    for c in a.contested[:TOP_ROWS]:
        rows.append((f"contested #{comment_ref(thread, c.comment_id)}",
                     f"{c.disagreeing} of {c.replies} replies disagree (weight {c.weight:.2f})"))
    return SummaryTable("Disagreement", ("figure", "value"), tuple(rows))


def graph_table(a: Analysis) -> SummaryTable:
    """Author graph size, balance and central disagreers."""
    g = a.graph
    positive = sum(e.sign > 0 for e in g.edges)
    negative = sum(e.sign < 0 for e in g.edges)
    rows = [("authors", str(len(g.nodes))),
            ("edges (+ / −)", f"{len(g.edges)} ({positive} / {negative})"),
            ("structural balance",
             f"{pct(g.balance.share)} of {g.balance.triangles} signed triangles"
             if g.balance.triangles else "no signed triangles")]
    for d in g.central_disagreers[:TOP_ROWS]:
        rows.append((f"disagreer {author_name(d.author)}",
                     f"centrality {d.centrality:.2f}, {d.partners} partners, "
                     f"gave {d.given}, received {d.received}"))
    return SummaryTable("Author graph", ("figure", "value"), tuple(rows))


def controversy_table(a: Analysis) -> SummaryTable:
    """Thread controversy figures."""
    c = a.controversy
    means = ", ".join(f"{k} {fmt(v, 2)}" for k, v in c.mean_score_by_stance)
    rows = [("stance entropy", fmt(c.stance_entropy)),
            ("mean entropy of replies", fmt(c.mean_reply_entropy)),
            ("vote controversy (net-score signs)", fmt(c.vote_controversy)),
            ("negatively scored", pct(c.negative_share)),
            ("stance–score correlation (disagree)", fmt(c.stance_score_correlation)),
            ("mean score by stance", means)]
    return SummaryTable("Controversy", ("figure", "value"), tuple(rows))


def shape_table(a: Analysis) -> SummaryTable:
    """Thread shape figures."""
    s = a.shape
    breadth = ", ".join(str(b) for b in s.breadth[:12]) + (" …" if len(s.breadth) > 12 else "")
    rows = [("comments", str(s.size)), ("top-level", str(s.top_level)),
            ("max depth", str(s.depth)), ("breadth per level", breadth or DASH),
            ("participants (named)", f"{s.participants} ({s.named_participants})"),
            ("structural virality", fmt(s.structural_virality)),
            ("median time to first reply",
             f"{duration(s.reply_latency_median)} (over {s.reply_latency_count})"),
            ("article to first comment", duration(s.first_comment_latency))]
    return SummaryTable("Shape", ("figure", "value"), tuple(rows))


def summary_tables(a: Analysis, thread: Thread) -> list[SummaryTable]:
    """Every summary table of one thread, in report order."""
    return [shape_table(a), stance_table(a), depth_table(a), sarcasm_table(a),
            disagreement_table(a, thread), graph_table(a), controversy_table(a)]

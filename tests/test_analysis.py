"""Agreement figures on small hand-built threads whose answers are worked out by hand.

The builders here (``labelled_thread``, ``HAND``, ``seed001_labelled``) are shared by the
report and export tests.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from threadscope.analysis import analyse, analysis_dict
from threadscope.analysis.chains import disagreement_chains, most_contested
from threadscope.analysis.controversy import reddit_controversy, thread_controversy
from threadscope.analysis.graph import author_graph
from threadscope.analysis.shape import structural_virality, thread_shape
from threadscope.analysis.stance import sarcasm_summary, stance_summary
from threadscope.labels import (
    STANCE_LABELS,
    CommentLabels,
    LabelledThread,
    Sarcasm,
    Sentiment,
    Stance,
)
from threadscope.model import Article, Comment, Thread, Timestamp, build_thread

NEUTRAL_SENTIMENT = Sentiment(compound=0.0, pos=0.0, neu=1.0, neg=0.0)


def stance_labels(cid: str, target: str, label: str, probs: tuple[float, ...],
                  sarcasm: tuple[str, float]) -> CommentLabels:
    """Labels of one comment from its stance probabilities (agree, disagree, query, neutral)."""
    return CommentLabels(
        comment_id=cid, language="en",
        stance=Stance(label=label, target_id=target,  # type: ignore[arg-type]
                      probabilities=dict(zip(STANCE_LABELS, probs, strict=True))),
        sarcasm=Sarcasm(label=sarcasm[0], probability=sarcasm[1]),  # type: ignore[arg-type]
        sentiment=NEUTRAL_SENTIMENT,
    )


# id, parent, author, score, time, stance, (agree, disagree, query, neutral), sarcasm
HAND = [
    ("c1", None, "Bob", 5, "10:00", "agree", (0.8, 0.1, 0.05, 0.05), ("not_sarcastic", 0.1)),
    ("c2", "c1", "Cat", -2, "10:30", "disagree", (0.05, 0.9, 0.0, 0.05), ("sarcastic", 0.7)),
    ("c3", "c2", "Bob", 3, "11:00", "disagree", (0.2, 0.6, 0.1, 0.1), ("not_sarcastic", 0.1)),
    ("c4", "c3", "Cat", -1, "12:00", "disagree", (0.1, 0.7, 0.1, 0.1), ("not_sarcastic", 0.1)),
    ("c5", "c1", None, 1, "10:15", "agree", (0.5, 0.3, 0.1, 0.1), ("sarcastic", 0.6)),
    ("c6", None, "Dan", -3, "10:05", "disagree", (0.1, 0.8, 0.05, 0.05), ("not_sarcastic", 0.1)),
    ("c7", "c6", "Bob", 2, "13:05", "agree", (0.7, 0.1, 0.1, 0.1), ("not_sarcastic", 0.2)),
    ("c8", "c6", "Cat", 0, None, "query", (0.1, 0.1, 0.7, 0.1), ("not_sarcastic", 0.1)),
    ("c9", "c2", "Dan", None, "10:45", "disagree", (0.1, 0.6, 0.2, 0.1), ("not_sarcastic", 0.1)),
]


def labelled_thread(rows: list[tuple] = HAND, article_author: str | None = "Ann",  # type: ignore[type-arg]
                    texts: dict[str, str] | None = None) -> LabelledThread:
    """A LabelledThread from rows shaped like HAND (times on 2024-03-01)."""
    comments = [
        Comment(id=cid, parent_id=parent, depth=0, author=author, score=score,
                timestamp=Timestamp(f"2024-03-01T{time}") if time else None,
                text=(texts or {}).get(cid, f"text of {cid}"))
        for cid, parent, author, score, time, *_ in rows
    ]
    article = Article(title="Hand-built thread", body=("An article.",), author=article_author,
                      published=Timestamp("2024-03-01T09:30"))
    thread = build_thread(article, comments)
    labels = {cid: stance_labels(cid, parent or "article", label, probs, sarc)
              for cid, parent, _a, _s, _t, label, probs, sarc in rows}
    return LabelledThread(thread=thread, labels=labels)


def test_stance_counts_shares_and_expected_counts() -> None:
    s = stance_summary(labelled_thread())
    overall = s.overall
    assert overall.n == 9
    assert [overall.get(x).count for x in STANCE_LABELS] == [3, 5, 1, 0]
    assert overall.get("disagree").share == pytest.approx(5 / 9)
    expected = [overall.get(x).expected_count for x in STANCE_LABELS]
    assert expected == pytest.approx([2.65, 4.2, 1.4, 0.75])
    assert overall.get("agree").expected_share == pytest.approx(2.65 / 9)
    assert [s.toward_article.get(x).count for x in STANCE_LABELS] == [1, 1, 0, 0]
    assert s.replies.n == 7
    assert [s.replies.get(x).count for x in STANCE_LABELS] == [2, 4, 1, 0]
    by_depth = {d.depth: (d.n, dict(d.counts)) for d in s.by_depth}
    assert by_depth[1] == (2, {"agree": 1, "disagree": 1, "query": 0, "neutral": 0})
    assert by_depth[2] == (4, {"agree": 2, "disagree": 1, "query": 1, "neutral": 0})
    assert by_depth[3][1]["disagree"] == 2
    assert by_depth[4] == (1, {"agree": 0, "disagree": 1, "query": 0, "neutral": 0})


def test_intervals_bracket_the_share_and_are_deterministic() -> None:
    a = stance_summary(labelled_thread(), replicates=500, seed=3)
    b = stance_summary(labelled_thread(), replicates=500, seed=3)
    c = stance_summary(labelled_thread(), replicates=500, seed=4)
    assert a == b
    assert a != c
    for est in a.overall.estimates:
        assert est.ci is not None
        assert est.expected_ci is not None
        assert est.ci[0] <= est.share <= est.ci[1]  # type: ignore[operator]
        assert est.expected_ci[0] <= est.expected_share <= est.expected_ci[1]  # type: ignore[operator]
    assert a.overall.get("neutral").ci == (0.0, 0.0)  # never seen: no resample sees it


def test_bootstrap_interval_has_the_binomial_width() -> None:
    rows = [(f"x{i}", None, f"u{i}", None, None, "agree" if i % 2 else "disagree",
             (0.9, 0.1, 0.0, 0.0) if i % 2 else (0.1, 0.9, 0.0, 0.0), ("not_sarcastic", 0.0))
            for i in range(400)]
    est = stance_summary(labelled_thread(rows), replicates=2000).overall.get("agree")
    assert est.share == 0.5
    low, high = est.ci  # type: ignore[misc]
    half_width = 1.96 * math.sqrt(0.25 / 400)  # normal approximation of a binomial share
    assert high - low == pytest.approx(2 * half_width, rel=0.15)
    assert (low + high) / 2 == pytest.approx(0.5, abs=0.01)


def test_sarcasm_rate_and_sarcastic_agreements() -> None:
    s = sarcasm_summary(labelled_thread())
    sarcastic = s.rate.get("sarcastic")
    assert (s.rate.n, sarcastic.count) == (9, 2)
    assert sarcastic.expected_count == pytest.approx(0.7 + 0.6 + 0.2 + 6 * 0.1)
    assert (s.agreements, s.sarcastic_agreements) == (3, 1)
    assert s.sarcastic_agreement_share == pytest.approx(1 / 3)


def test_disagreement_chains_and_longest() -> None:
    chains = disagreement_chains(labelled_thread())
    assert [(c.start_id, c.end_id, c.length) for c in chains.chains] == [
        ("c2", "c4", 3), ("c2", "c9", 2)]
    assert chains.longest == ("c2", "c3", "c4")
    assert chains.run_length["c6"] == 1  # disagrees with the article: a run of one
    assert chains.run_length["c7"] == 0


def test_most_contested_weighs_disagreement_by_confidence() -> None:
    ranked = most_contested(labelled_thread())
    assert [(c.comment_id, c.replies, c.disagreeing) for c in ranked] == [
        ("c2", 2, 2), ("c1", 2, 1), ("c3", 1, 1)]
    assert [c.weight for c in ranked] == pytest.approx([1.2, 0.9, 0.7])


def test_signed_author_graph_edges() -> None:
    graph = author_graph(labelled_thread())
    assert graph.nodes == (("Ann", 0), ("Bob", 3), ("Cat", 3), ("anonymous#c5", 1),
                           ("Dan", 2))
    edges = {(e.source, e.target): (e.agree, e.disagree, e.other, round(e.weight, 6))
             for e in graph.edges}
    assert edges == {
        ("Bob", "Ann"): (1, 0, 0, 0.8), ("Bob", "Cat"): (0, 1, 0, -0.6),
        ("Bob", "Dan"): (1, 0, 0, 0.7), ("Cat", "Bob"): (0, 2, 0, -1.6),
        ("Cat", "Dan"): (0, 0, 1, 0.0), ("Dan", "Ann"): (0, 1, 0, -0.8),
        ("Dan", "Cat"): (0, 1, 0, -0.6), ("anonymous#c5", "Bob"): (1, 0, 0, 0.5),
    }


def test_structural_balance_counts_balanced_triangles() -> None:
    balance = author_graph(labelled_thread()).balance
    # Ann-Bob-Dan: + + -  (unbalanced); Bob-Cat-Dan: - + -  (balanced)
    assert (balance.triangles, balance.balanced, balance.share) == (2, 1, 0.5)


def test_central_disagreers() -> None:
    ranked = author_graph(labelled_thread()).central_disagreers
    assert [(d.author, d.partners, d.given, d.received) for d in ranked] == [
        ("Cat", 2, 2, 2), ("Dan", 2, 2, 0), ("Bob", 1, 1, 2), ("Ann", 1, 0, 1)]
    assert [d.centrality for d in ranked] == pytest.approx([0.5, 0.5, 0.25, 0.25])
    assert [d.strength for d in ranked] == pytest.approx([2.8, 1.4, 2.2, 0.8])


def test_anonymous_comments_are_distinct_authors() -> None:
    rows = [("a", None, None, None, None, "agree", (1, 0, 0, 0), ("not_sarcastic", 0.0)),
            ("b", "a", None, None, None, "disagree", (0, 1, 0, 0), ("not_sarcastic", 0.0)),
            ("c", "b", None, None, None, "disagree", (0, 1, 0, 0), ("not_sarcastic", 0.0))]
    graph = author_graph(labelled_thread(rows, article_author=None))
    assert len(graph.nodes) == 3
    assert [(e.source, e.target) for e in graph.edges] == [
        ("anonymous#b", "anonymous#a"), ("anonymous#c", "anonymous#b")]
    assert thread_shape(labelled_thread(rows)).participants == 3


def test_controversy_from_votes_and_stance_mix() -> None:
    c = thread_controversy(labelled_thread())
    per = c.per_comment
    assert per["c1"].stance_entropy == pytest.approx(0.5)  # one agree, one disagree of 4 classes
    assert per["c2"].stance_entropy == 0.0
    assert per["c3"].stance_entropy is None  # a single labelled reply
    assert per["c1"].vote_controversy == pytest.approx(2.0)  # one up, one down: 2 ** 1
    assert per["c6"].vote_controversy == 0.0
    h = -sum(p * math.log(p) for p in (3 / 9, 5 / 9, 1 / 9)) / math.log(4)
    assert c.stance_entropy == pytest.approx(h)
    assert c.mean_reply_entropy == pytest.approx(1 / 3)
    assert c.vote_controversy == pytest.approx(7 ** 0.75)  # 4 positive, 3 negative
    assert c.negative_share == pytest.approx(3 / 8)
    assert c.stance_score_correlation == pytest.approx(-5.5 / math.sqrt(2 * 49.875))
    means = dict(c.mean_score_by_stance)
    assert means["agree"] == pytest.approx(8 / 3)
    assert means["disagree"] == pytest.approx(-0.75)
    assert means["neutral"] is None


def test_reddit_controversy_formula() -> None:
    assert reddit_controversy(10, 10) == 20.0
    assert reddit_controversy(100, 1) == pytest.approx(101 ** 0.01)
    assert reddit_controversy(5, 0) == 0.0


def test_thread_shape() -> None:
    shape = thread_shape(labelled_thread())
    assert (shape.size, shape.depth, shape.top_level) == (9, 4, 2)
    assert shape.breadth == (2, 4, 2, 1)
    assert (shape.participants, shape.named_participants) == (4, 3)
    assert shape.structural_virality == pytest.approx(130 / 45)
    assert shape.first_reply_seconds == {"c1": 900, "c2": 900, "c3": 3600, "c6": 10800}
    assert shape.reply_latency_median == 2250
    assert shape.first_comment_latency == 1800


def test_structural_virality_matches_all_pairs_distances() -> None:
    labelled = labelled_thread()
    thread = labelled.thread
    nodes = ["article", *(c.id for c in thread.comments)]
    up = {c.id: c.parent_id or "article" for c in thread.comments}

    def chain(n: str) -> list[str]:
        out = [n]
        while out[-1] != "article":
            out.append(up[out[-1]])
        return out

    total = 0
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            ca, cb = chain(a), chain(b)
            common = len(set(ca) & set(cb))
            total += len(ca) + len(cb) - 2 * common
    pairs = len(nodes) * (len(nodes) - 1) / 2
    assert structural_virality(thread) == pytest.approx(total / pairs)


def test_unlabelled_and_empty_threads_give_empty_figures() -> None:
    labelled = labelled_thread()
    bare = LabelledThread(thread=labelled.thread, labels={})
    result = analyse(bare)
    assert result.stance.overall.n == 0
    assert result.stance.overall.get("agree").ci is None
    assert result.chains.count == 0
    assert result.graph.edges == ()
    assert result.shape.size == 9
    empty = analyse(LabelledThread(Thread(article=Article(), comments=()), {}))
    assert empty.shape.structural_virality is None
    assert empty.shape.breadth == ()


def test_a_10000_deep_thread_is_analysed_without_recursion() -> None:
    rows = [(f"d{i}", f"d{i - 1}" if i else None, f"u{i % 3}", (-1) ** i, None,
             "disagree", (0.1, 0.7, 0.1, 0.1), ("not_sarcastic", 0.1)) for i in range(10_000)]
    result = analyse(labelled_thread(rows), replicates=50)
    assert result.shape.depth == 10_000
    assert len(result.chains.longest) == 10_000
    # a path of N = 10,001 nodes has mean pairwise distance (N + 1) / 3
    assert result.shape.structural_virality == pytest.approx(10_002 / 3)
    assert result.chains.chains[0].start_id == "d0"


def test_analysis_does_not_mutate_the_thread() -> None:
    labelled = labelled_thread()
    before = (labelled.thread.comments, dict(labelled.labels))
    analyse(labelled)
    assert (labelled.thread.comments, dict(labelled.labels)) == before


def test_analysis_dict_is_json_without_nan_and_deterministic() -> None:
    import json

    labelled = labelled_thread()
    first = json.dumps(analysis_dict(analyse(labelled)), allow_nan=False)
    second = json.dumps(analysis_dict(analyse(labelled)), allow_nan=False)
    assert first == second
    data = json.loads(first)
    assert data["disagreement_chains"]["longest"] == ["c2", "c3", "c4"]
    assert data["author_graph"]["balance"]["share"] == 0.5
    assert data["shape"]["structural_virality"] == round(130 / 45, 6)
    bare = analysis_dict(analyse(LabelledThread(labelled.thread, {})))
    assert bare["stance"]["overall"]["labels"]["agree"]["share"] is None


def test_segments_address_quoted_authors() -> None:
    from threadscope.labels import SegmentLabels

    labelled = labelled_thread()
    c8 = labelled.labels["c8"]
    seg = SegmentLabels(quote_index=0, target_id="c3",
                        stance=Stance(label="agree", target_id="c3",
                                      probabilities={"agree": 0.9, "disagree": 0.1}),
                        sentiment=NEUTRAL_SENTIMENT)
    labels = dict(labelled.labels)
    labels["c8"] = replace(c8, segments=(seg,))
    edges = {(e.source, e.target): e for e in
             author_graph(LabelledThread(labelled.thread, labels)).edges}
    assert edges[("Cat", "Bob")].agree == 1  # Cat quoted Bob's c3 and agreed with it
    assert edges[("Cat", "Bob")].weight == pytest.approx(-1.6 + 0.9)

"""The fast VADER analyser must score exactly like the stock vaderSentiment analyser.

threadscope.classify.sentiment subclasses VADER to skip work (emoji scan on ASCII text,
per-word calls for non-lexicon words, whole-list lower-casing); these tests compare
every score on real corpus text and on crafted cases that exercise each VADER rule.
"""

from __future__ import annotations

import json

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from tests.conftest import need_data
from threadscope.classify.sentiment import analyzer, sentiment

# Synthetic: one sentence per VADER rule the fast path touches (negation windows of
# 1-3 words, "never so", "without doubt", idioms, "kind of", boosters, "but", "least",
# ALL CAPS, punctuation emphasis, emoji and non-ASCII text).
CRAFTED = [
    "This is not good at all.",
    "I don't think it is a great idea, but it is not terrible.",
    "It was never so good! Never this bad.",
    "Without doubt the best.",
    "That is the shit, and it kicks ass; yeah right.",
    "It is kind of good and sort of bad, kinda ok.",
    "At least it is fine. The least good option. Very least bad.",
    "I LOVE this, it is AMAZING!!! ???",
    "No good deed. No, not bad. no or nor happy",
    "Extremely good, barely ok, hardly nice, incredibly awful.",
    "Great 😀 film 😡 sad 💔",
    "Schön, très bien — naïve café.",
    "",
    "   spaced   out   text   ",
    ":) :( :D <3 lol",
]


@pytest.fixture(scope="module")
def stock() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@pytest.mark.parametrize("text", CRAFTED)
def test_fast_analyser_equals_stock_on_crafted_rules(
        stock: SentimentIntensityAnalyzer, text: str) -> None:
    assert analyzer().polarity_scores(text) == stock.polarity_scores(text)


def test_fast_analyser_equals_stock_on_real_comments(stock: SentimentIntensityAnalyzer) -> None:
    path = need_data() / "sarcasm" / "figlang2020" / "reddit_training.jsonl"
    texts: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts += [row["response"], *row["context"]]
            if len(texts) >= 1500:
                break
    fast = analyzer()
    differing = [t for t in texts if fast.polarity_scores(t) != stock.polarity_scores(t)]
    assert differing == []


def test_sentence_wise_score_matches_vader_on_one_sentence(
        stock: SentimentIntensityAnalyzer) -> None:
    text = "The referee was absolutely terrible and I hated every minute"
    expected = stock.polarity_scores(text)
    got = sentiment(text)
    assert (got.compound, got.pos, got.neu, got.neg) == (
        expected["compound"], expected["pos"], expected["neu"], expected["neg"])


@pytest.mark.parametrize("text", [
    # synthetic: short texts whose sentence-joined piece differs from the text itself
    "Great.\n\nBut awful!!", "end.\u00a0Next one is bad?", "😀\nfine. ok", "no\n\n\n:)",
    "  padded  good  ", "?!",
])
def test_a_one_piece_text_scores_as_its_joined_piece(text: str) -> None:
    from threadscope.classify.sentiment import pieces

    parts = pieces(text)
    assert len(parts) == 1
    expected = analyzer().polarity_scores(parts[0])
    got = sentiment(text)
    assert (got.compound, got.pos, got.neu, got.neg) == (
        expected["compound"], expected["pos"], expected["neu"], expected["neg"])

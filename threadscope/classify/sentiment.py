"""VADER sentiment scored sentence by sentence, so cost grows linearly with text length.

VADER's rules look back and forward across a whole input, so one long text costs far
more than its sentences scored apart. Each sentence (long ones cut at whitespace) is
scored alone and the scores are combined weighted by length; one analyser is shared.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from threadscope.labels import Sentiment

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
"""Sentence boundaries: end punctuation followed by space, or a line break."""

MAX_PIECE = 300
"""Longest piece VADER scores at once (characters); longer sentences are cut at spaces."""

NEUTRAL = Sentiment(compound=0.0, pos=0.0, neu=1.0, neg=0.0)


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """The one shared VADER analyser (its lexicon loads once per process): stock VADER's
    scores, computed faster (threadscope.classify.vader_fast)."""
    from threadscope.classify.vader_fast import FastAnalyzer

    return FastAnalyzer()


def pieces(text: str) -> list[str]:
    """Sentences of a text packed into pieces of at most about MAX_PIECE characters.

    VADER has a fixed cost per call, so short sentences are packed together; a
    sentence longer than MAX_PIECE is cut at a space.
    """
    out: list[str] = []
    current = ""
    for sentence in _sentences(text):
        if current and len(current) + len(sentence) + 1 > MAX_PIECE:
            out.append(current)
            current = ""
        current = f"{current} {sentence}" if current else sentence
    if current:
        out.append(current)
    return out


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for raw in SENTENCE_END.split(text):
        rest = raw.strip()
        while len(rest) > MAX_PIECE:
            cut = rest.rfind(" ", 0, MAX_PIECE)
            cut = MAX_PIECE if cut <= 0 else cut
            out.append(rest[:cut])
            rest = rest[cut:].strip()
        if rest:
            out.append(rest)
    return out


def _scored_pieces(text: str) -> list[str]:
    """The pieces VADER scores. A text of at most MAX_PIECE characters is one piece: its
    sentences joined by single spaces, which VADER splits into the same words with the
    same punctuation, so it is scored as it is (no sentence split)."""
    if len(text) > MAX_PIECE:
        return pieces(text)
    return [text] if text.strip() else []


def sentiment(text: str) -> Sentiment:
    """Length-weighted mean of VADER's per-sentence scores (neutral for empty text)."""
    parts = _scored_pieces(text)
    if not parts:
        return NEUTRAL
    score = analyzer().polarity_scores
    if len(parts) == 1:
        s = score(parts[0])
        return Sentiment(compound=s["compound"], pos=s["pos"], neu=s["neu"], neg=s["neg"])
    total = compound = pos = neu = neg = 0.0
    for part in parts:
        s = score(part)
        weight = float(len(part))
        total += weight
        compound += weight * s["compound"]
        pos += weight * s["pos"]
        neu += weight * s["neu"]
        neg += weight * s["neg"]
    return Sentiment(compound=round(compound / total, 4), pos=round(pos / total, 4),
                     neu=round(neu / total, 4), neg=round(neg / total, 4))

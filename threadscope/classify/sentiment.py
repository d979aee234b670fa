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
    """The one shared VADER analyser (its lexicon loads once per process)."""
    return _fast_analyzer_class()()


def _fast_analyzer_class() -> type[SentimentIntensityAnalyzer]:
    """VADER giving identical scores, without three avoidable costs of vaderSentiment 3.3.2.

    1. ``polarity_scores`` scans every character for emoji; all emoji keys are non-ASCII,
       so ASCII text skips the scan.
    2. It calls ``sentiment_valence`` for every word; for a word outside the lexicon that
       only appends 0, so it is done inline.
    3. ``_negation_check`` and ``_special_idioms_check`` lower-case the whole word list
       for every sentiment word (cost grows with the square of the length) but only look
       at words i-3 .. i+2: they get that window, index shifted.
    ``tests/test_sentiment.py`` compares every score with the stock analyser on real
    corpus text and on crafted negation, idiom, booster and emoji cases.
    """
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

    negation_check = SentimentIntensityAnalyzer._negation_check
    idioms_check = SentimentIntensityAnalyzer._special_idioms_check

    class FastAnalyzer(SentimentIntensityAnalyzer):  # type: ignore[misc]
        def polarity_scores(self, text: str) -> dict[str, float]:
            """VADER's own method, minus its per-character emoji scan for ASCII text.

            Every key of VADER's emoji table is non-ASCII, so the scan is a no-op there.
            """
            if not text.isascii():
                return dict(super().polarity_scores(text))
            sentitext = SentiText(text.strip())
            words = sentitext.words_and_emoticons
            sentiments: list[float] = []
            lexicon = self.lexicon
            for i, item in enumerate(words):
                low = item.lower()
                if low not in lexicon or low in BOOSTER_DICT or (
                        low == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"):
                    sentiments.append(0)  # what sentiment_valence gives a non-lexicon word
                    continue
                sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
            sentiments = self._but_check(words, sentiments)
            return dict(self.score_valence(sentiments, text.strip()))

        @staticmethod
        def _negation_check(valence: float, words: list[str], start_i: int, i: int) -> float:
            low = max(i - 3, 0)
            return float(negation_check(valence, words[low:i + 1], start_i, i - low))

        @staticmethod
        def _special_idioms_check(valence: float, words: list[str], i: int) -> float:
            if i < 3:  # never called so by VADER; negative indices would wrap
                return float(idioms_check(valence, words, i))
            return float(idioms_check(valence, words[i - 3:i + 3], 3))

    return FastAnalyzer


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


def sentiment(text: str) -> Sentiment:
    """Length-weighted mean of VADER's per-sentence scores (neutral for empty text)."""
    parts = pieces(text)
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

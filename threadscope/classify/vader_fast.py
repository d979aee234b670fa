"""VADER with identical scores, without the avoidable costs of vaderSentiment 3.3.2.

For ASCII text (every key of VADER's emoji table is non-ASCII, so its per-character
emoji scan is a no-op there) the words are lower-cased once and VADER's rules run on
that list. Stock VADER lower-cases the whole word list again in every negation, idiom
and "but" check (cost growing with the square of the length), tests negation against
a list, and calls ``sentiment_valence`` even for words outside its lexicon (which only
append 0). The rules here are VADER's, in VADER's order, with its constants; non-ASCII
text goes to VADER unchanged. ``tests/test_sentiment.py`` compares every score with the
stock analyser on real corpus text and on crafted cases for each rule (on all 43,905
texts of the shared corpora, no score differs).

Imported only when sentiment is first scored (vaderSentiment loads its lexicon then).
"""

from __future__ import annotations

import string

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    scalar_inc_dec,
)

NEGATIONS = frozenset(NEGATE)
IDIOM_WORDS = frozenset(w for key in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in key
                        for w in key.split())
"""Words of VADER's multi-word idioms and boosters: its idiom check joins words with a
space, so it can only change a valence when one of these is within its window."""
_INTENSIFIED = ("so", "this")
"""``never so`` / ``never this`` before a word intensify it (VADER's rule)."""
_DAMPING = (1.0, 0.95, 0.9)
"""A booster 1, 2 or 3 words before a lexicon word counts this much (VADER's rule)."""


def _negated(word: str) -> bool:
    """VADER's ``negated`` of one lower-cased word."""
    return word in NEGATIONS or "n't" in word


def _negation(valence: float, lower: list[str], start_i: int, i: int) -> float:
    """VADER's ``_negation_check``: the word start_i + 1 before i negates or intensifies."""
    if start_i == 1:
        if lower[i - 2] == "never" and lower[i - 1] in _INTENSIFIED:
            return valence * 1.25
        if lower[i - 2] == "without" and lower[i - 1] == "doubt":
            return valence
    elif start_i == 2:
        if (lower[i - 3] == "never" and lower[i - 2] in _INTENSIFIED) or (
                lower[i - 1] in _INTENSIFIED):
            return valence * 1.25
        if lower[i - 3] == "without" and "doubt" in (lower[i - 2], lower[i - 1]):
            return valence
    return valence * N_SCALAR if _negated(lower[i - (start_i + 1)]) else valence


def _words(text: str) -> list[str]:
    """VADER's ``SentiText`` words: punctuation stripped unless that leaves <= 2 chars."""
    return [t if len(s := t.strip(string.punctuation)) <= 2 else s for t in text.split()]


class FastAnalyzer(SentimentIntensityAnalyzer):  # type: ignore[misc]
    """SentimentIntensityAnalyzer whose ASCII path lower-cases each text once."""

    def polarity_scores(self, text: str) -> dict[str, float]:
        """VADER's scores; ASCII text takes the lower-case-once path."""
        if not text.isascii():
            return dict(super().polarity_scores(text))
        text = text.strip()
        words = _words(text)
        lower = " ".join(words).lower().split(" ") if words else []  # words hold no spaces
        upper = sum(map(str.isupper, words))
        cap_diff = 0 < len(words) - upper < len(words)
        lexicon = self.lexicon
        sentiments: list[float] = []
        for i, low in enumerate(lower):
            if low not in lexicon or low in BOOSTER_DICT or (
                    low == "kind" and i < len(lower) - 1 and lower[i + 1] == "of"):
                sentiments.append(0)
            else:
                sentiments.append(self._valence(words, lower, i, cap_diff))
        if "but" in lower:
            sentiments = self._but_check(words, sentiments)
        return dict(self.score_valence(sentiments, text))

    def _valence(self, words: list[str], lower: list[str], i: int, cap_diff: bool) -> float:
        """VADER's ``sentiment_valence`` of the lexicon word at i."""
        lexicon = self.lexicon
        valence = lexicon[lower[i]]
        if lower[i] == "no" and i != len(lower) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if ((i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no")
                or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))):
            valence = lexicon[lower[i]] * N_SCALAR
        if words[i].isupper() and cap_diff:
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        for start_i in range(min(i, 3)):
            if lower[i - (start_i + 1)] not in lexicon:
                s = scalar_inc_dec(words[i - (start_i + 1)], valence, cap_diff)
                valence = _negation(valence + s * _DAMPING[start_i], lower, start_i, i)
                if start_i == 2 and not IDIOM_WORDS.isdisjoint(lower[i - 3:i + 3]):
                    valence = self._special_idioms_check(valence, lower[i - 3:i + 3], 3)
        return self._least_check(valence, lower, i)  # type: ignore[no-any-return]

"""Language identification: py3langid (ships its own model), behind cheap English checks.

py3langid costs about 0.1 ms per 200 characters and 0.8 s to load, so plain English is
accepted without it: Latin letters only, and either enough English function words or
nearly all words common English words (threadscope.classify.lexicon). Anything else goes
to py3langid with normalised probabilities.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from threadscope.classify.lexicon import english_words

_FUNCTION_WORDS = (
    "the a an and or but of to in on at for with is are was were be been it this that "
    "you i we they he she not no do does did have has had will would can could should "
    "what why how who just so if my your their our me them than then there"
)
ENGLISH_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
"""Words whose density marks running English; German or Dutch share only a few of them."""

WORD = re.compile(r"[^\W\d_]+")
ASCII_WORD = re.compile(r"[a-z]+")
"""WORD on lower-cased ASCII text (the same words: letters there are a-z), twice as fast."""
MIN_ENGLISH_SHARE = 0.22
"""Share of function words above which a text of MIN_WORDS or more is taken as English."""
MIN_WORDS = 6
MIN_COMMON_SHARE = 0.7
"""Share of common English words above which a text of MIN_COMMON_WORDS or more is
English (on the real pages no text above it is identified otherwise by py3langid)."""
MIN_COMMON_WORDS = 3
MIN_LETTERS_FOR_LANGID = 20
"""Below this many letters py3langid guesses wildly; such texts are treated as English."""
NON_LATIN_SHARE = 0.2
"""Texts with this share of non-Latin letters are never taken as English."""
NON_LATIN_NOISE = re.compile(r"[A-Za-z0-9@#:/._\-]+")
"""ASCII words, @names, URLs and :emoticon: codes, dropped before identifying such text."""
MIN_CONFIDENCE = 0.9
"""A non-English guess below this probability is treated as English (with a flag)."""
SAMPLE_CHARS = 600
"""A text's language is read from its first 600 characters: py3langid's cost grows with
the length (0.7 ms for a long German comment); on the real pages and the 741 corpus
texts longer than this, no decision differs from reading the whole text."""


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _non_latin_share(text: str) -> float:
    if text.isascii():
        return 0.0
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ord(ch) > 0x24F) / len(letters)


def _plainly_english(words: list[str]) -> bool:
    """Latin-letter words that are English without asking py3langid (or too few to tell)."""
    if sum(map(len, words)) < MIN_LETTERS_FOR_LANGID:
        return True
    n = len(words)
    function_words = sum(map(ENGLISH_FUNCTION_WORDS.__contains__, words))
    if n >= MIN_WORDS and function_words / n >= MIN_ENGLISH_SHARE:
        return True
    common = english_words()
    return n >= MIN_COMMON_WORDS and sum(map(common.__contains__, words)) / n >= MIN_COMMON_SHARE


def _words(low: str) -> list[str]:
    """The letter runs of a lower-cased text."""
    return (ASCII_WORD if low.isascii() else WORD).findall(low)


def detect(text: str) -> str:
    """ISO 639-1 code of the text's language; ``en`` for short or unclear English text.

    Short texts ("lol", "+1", "Source?") cannot be identified reliably and are kept
    as English so they are still labelled; CJK and other scripts are always identified.
    """
    text = text[:SAMPLE_CHARS]
    non_latin = _non_latin_share(text)
    if non_latin < 0.05 and _plainly_english(_words(text.lower())):
        return "en"
    if non_latin >= NON_LATIN_SHARE:
        # @names, URLs and emoticon codes are Latin noise around CJK or Cyrillic text:
        # identify the non-Latin part alone, and never call such a text English.
        lang, _ = _identifier().classify(NON_LATIN_NOISE.sub(" ", text))
        return "und" if lang == "en" else str(lang)
    lang, prob = _identifier().classify(text)
    if lang == "en" or prob < MIN_CONFIDENCE:
        return "en"
    return str(lang)

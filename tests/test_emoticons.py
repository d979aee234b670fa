"""Smiley words where an emoticon image stood, and the same words used as words."""

from __future__ import annotations

import pytest

from tests.conftest import SEED_001
from threadscope.emoticons import SMILEY_WORDS, ascii_smileys, smiley_words


def test_seed_001_smileys_in_text_order() -> None:
    text = SEED_001.read_text(encoding="utf-8")
    found = [w for line in text.split("\n") for w in smiley_words(line)]
    # 2.1: "the Poles laughing", then "history Yes So for"; 2.2 ends in "laughing".
    assert found == ["laughing", "Yes", "laughing"]


@pytest.mark.parametrize(("line", "expected"), [
    ("except perhaps the Poles laughing", ("laughing",)),
    ("will go down in history Yes So for political bargaining", ("Yes",)),
    ("The PLA will lay down the bones for Russian interests. laughing", ("laughing",)),
    ("They will not sign it wink", ("wink",)),
    ("Great news good", ("good",)),
    ("crying", ("crying",)),
])
def test_smiley_words_standing_for_images(line: str, expected: tuple[str, ...]) -> None:
    assert smiley_words(line) == expected


@pytest.mark.parametrize("line", [
    # Real lines from seed 001 with smiley words used as words.
    "Them then what about this margin?",
    "Russia also has no forces in the BV and in Africa - to protect its own contingent",
    "Egypt - it generally receives a good deal of American military assistance (for free!)",
    "Venezuela, yes, with the Yankees in a quarrel, but not so much",
    "What kind of help do you expect from them?",
    # Grammatical uses at a line end and before capitalised words.
    "I said no.",
    "That is who I am",
    "They are laughing",
    "Yes, I think so.",
    "There were no Americans in the port.",
    "He was a good fellow",
    "I do not know what",
    "Say hi",
])
def test_words_used_as_words_are_kept(line: str) -> None:
    assert smiley_words(line) == ()


def test_each_smiley_word_is_recognised_somewhere() -> None:
    for word in SMILEY_WORDS:
        assert smiley_words(f"We shall see {word}") == (word,), word


def test_only_the_site_case_counts() -> None:
    # The site prints "Yes" capitalised and the others in lower case.
    assert smiley_words("We shall see LAUGHING") == ()
    assert smiley_words("We shall see yes") == ()


def test_ascii_smileys() -> None:
    assert ascii_smileys("solid oak. :) and ;-) but not http://x.org/:path") == (":)", ";-)")
    assert ascii_smileys("f(x) = 3:2") == ()

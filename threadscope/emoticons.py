"""Emoticons in copied comment text: a site's smiley words and ASCII smileys.

Sites such as Military Review (topwar) draw smileys as images whose alt text
is a word ("laughing", "Yes", "wink"); a plain-text copy keeps the word where
the image stood, so "the Poles laughing" or "history Yes So for" carry a
smiley. The same words are also ordinary English ("no", "what", "good"), so a
word counts as a smiley only where a word of that kind could not stand:

* **line end**: the word ends its line with no punctuation after it (alt
  text never carries punctuation; an English sentence ending in "no" usually
  does), and the word before it does not make it grammatical ("I am",
  "are laughing", "a good");
* **mid-line**: the word sits between a word with no closing punctuation and
  a capitalised *function word* that opens a new sentence ("history Yes So
  for"): a sentence boundary with no full stop is where an image stood. A
  capitalised content word after it ("no Americans") is not enough, because
  "no", "good" and "what" take proper nouns as objects.

Known gaps, accepted: an English sentence left without its final full stop
and ending in a smiley word ("that is what they want no") is counted, and so is
a noun-like smiley after an adjective not listed ("a jolly fellow"); a smiley
image followed by a proper noun or "I" ("laughing I think") is missed.
"""

from __future__ import annotations

import re

SMILEY_WORDS: frozenset[str] = frozenset({
    "laughing", "Yes", "wink", "belay", "fellow", "request", "negative", "crying",
    "smile", "lol", "good", "bully", "sad", "angry", "wassat", "am", "hi", "drinks",
    "tongue", "what", "no",
})
"""Alt texts of Military Review's smiley images, in the case the site prints them."""

# Capitalised words that open an English sentence but cannot be the object of
# "no"/"good"/"what": closed-class words (conjunctions, pronouns, determiners,
# prepositions, sentence adverbs). "I" is left out: "what I think" is English.
SENTENCE_OPENERS: frozenset[str] = frozenset({
    "A", "After", "Also", "Although", "An", "And", "Anyway", "As", "At", "Because",
    "Besides", "But", "By", "Even", "For", "From", "He", "Here", "How", "However",
    "If", "In", "It", "Its", "It's", "Just", "Maybe", "My", "No", "Not", "Now",
    "Of", "On", "Only", "Or", "Perhaps", "She", "So", "Some", "Such", "That",
    "The", "Their", "Then", "There", "These", "They", "This", "Those", "Though",
    "Thus", "To", "We", "What", "When", "Where", "Which", "While", "Who", "Why",
    "With", "Yes", "Yet", "You",
})

# Words before a smiley word that make it ordinary English: auxiliaries
# ("are laughing", "is good"), determiners ("a fellow", "the drinks"),
# "I am", "say no", "or what". A smiley after these is read as a word.
GRAMMATICAL_BEFORE: frozenset[str] = frozenset({
    "a", "an", "the", "my", "your", "his", "her", "our", "their", "its", "this",
    "that", "i", "am", "is", "are", "was", "were", "be", "been", "being", "not",
    "very", "so", "too", "quite", "really", "feel", "feels", "felt", "look",
    "looks", "seem", "seems", "keep", "kept", "start", "started", "stop",
    "say", "said", "says", "or", "know", "guess", "matter", "no", "of", "for",
    "with", "to", "and",
    # Common adjectives before the noun-like smileys ("a good fellow", "cold drinks").
    "good", "bad", "sad", "angry", "old", "young", "nice", "big", "little", "great",
    "poor", "dear", "fine", "cold", "hot", "free", "polite", "sharp",
})

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# ASCII smileys a plain-text copy keeps as typed.
ASCII_SMILEY = re.compile(r"(?<![\w:;])([:;=8][-o^']?[)(DPpOo3/\\|\]\[])(?![\w])")


def smiley_words(text: str) -> tuple[str, ...]:
    """Smiley words standing where an emoticon image was, in text order.

    Args:
        text: A comment's full text (lines separated by newlines).

    Returns:
        The smiley words found, e.g. ``("Yes", "laughing")``; empty when none.
    """
    found: list[str] = []
    for line in text.split("\n"):
        found.extend(_line_smileys(line))
    return tuple(found)


def ascii_smileys(text: str) -> tuple[str, ...]:
    """ASCII smileys (":)", ";-)", ":D") in text order."""
    return tuple(m.group(1) for m in ASCII_SMILEY.finditer(text))


def _line_smileys(line: str) -> list[str]:
    words = list(_WORD.finditer(line))
    found: list[str] = []
    for i, match in enumerate(words):
        word = match.group()
        if word not in SMILEY_WORDS:
            continue
        before = words[i - 1] if i > 0 else None
        after = words[i + 1] if i + 1 < len(words) else None
        if _grammatical_after(before, line):
            continue
        at_end = after is None and _ends_line_bare(line, match.end())
        if at_end or (after is not None and _sentence_break(line, before, match, after)):
            found.append(word)
    return found


def _grammatical_after(before: re.Match[str] | None, line: str) -> bool:
    """True when the previous word makes a smiley word ordinary English."""
    if before is None:
        return False
    between_start = before.end()
    # "word, no" / "word: what": punctuation right before is a sentence, not an image.
    gap = line[between_start:between_start + 2].strip()
    if gap and gap[0] in ",;:":
        return True
    return before.group().lower() in GRAMMATICAL_BEFORE


def _ends_line_bare(line: str, end: int) -> bool:
    return not line[end:].strip()


def _sentence_break(
    line: str, before: re.Match[str] | None, word: re.Match[str], after: re.Match[str]
) -> bool:
    """The word sits on an unpunctuated sentence boundary: "history Yes So for"."""
    if line[word.end():after.start()].strip():
        return False  # punctuation or a symbol follows: the word belongs to its sentence
    if after.group() not in SENTENCE_OPENERS:
        return False
    if before is None:
        return False  # at line start a capitalised "Yes So" is ordinary speech
    gap = line[before.end():word.start()].strip()
    return not gap or gap[-1] in ".!?"

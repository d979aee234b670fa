"""Synthetic inputs for load tests and benchmarks: big threads and replicated corpora.

Synthetic by design: real pages do not come in every size, and a benchmark needs
threads of 10 to 10,000 comments with the same shape, to see how cost grows.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

MAX_DEPTH = 8
"""Deepest reply level of a synthetic thread (real threads rarely nest deeper)."""

_OPENERS = ("I agree with this.", "That is simply wrong.", "Why would anyone think that?",
            "Good point, thanks.", "Not sure about that.", "Exactly my thought!",
            "This makes no sense at all.", "Source?", "Well, obviously.", "Fair enough.")
_SMALL_WORDS = ("the", "policy", "data", "people", "really", "never", "always", "great",
                "bad", "argument", "evidence", "city", "market", "vote", "price", "team",
                "game", "study", "article", "author", "point", "claim", "reason", "because",
                "however", "maybe")
_TEXT_CHARS = 200
"""Comment length: matches the issue's VADER anchor (7,600 comments/s at 200 characters)."""
_LEFT_OUT = frozenset((
    "american", "americans", "ass", "black", "british", "canadian", "china", "christian",
    "church", "clinton", "damn", "english", "european", "french", "fuck", "fucking",
    "gay", "god", "hell", "hillary", "islam", "islamic", "israel", "jesus", "jewish",
    "jews", "kill", "killed", "killing", "lord", "murder", "muslim", "muslims", "nazi",
    "obama", "putin", "racist", "rape", "religion", "religious", "russia", "sex", "shit",
    "suicide", "terrorist", "terrorists", "trump", "white",
))
"""Words of the shipped list that random word salad should not string together:
people, peoples, faiths, slurs, swearing and violence."""
ZIPF_EXPONENT = 1.0
"""Word frequency falls as 1/rank**ZIPF_EXPONENT (Zipf's law; about 1 for English)."""
VOCABULARIES = ("zipf", "small")
"""How comment words are drawn:

zipf: the common English words threadscope ships (classify/english_words.txt; single
    letters other than "a" and "i" and the _LEFT_OUT words left out), ranked in a fixed
    shuffled order and drawn with Zipf frequencies. A word trigram then recurs 1.09
    times on average in a 270-comment thread, 1.13 in 1,000 and 1.26 in 10,000
    comments; the real threads in ../shared/threads show 1.03-1.14 (1.10 in the
    270-comment one). About 32 words per 200 characters (real comments: 35).
small: 26 words drawn uniformly (the generator before 2026-11-26). Every trigram of
    those words soon recurs: 1.95 times on average at 1,000 comments, 10.4 at 10,000,
    so text statistics change with thread size; a stress case for the quote finder,
    whose posting lists then grow with the thread.
"""


def reddit_thread(comments: int, seed: int = 0, vocabulary: str = "zipf") -> bytes:
    """A Reddit API JSON page with this many comments nested up to MAX_DEPTH.

    Each comment answers a random earlier one (or the post), so the tree has the
    branching of a real discussion; the same seed gives the same bytes. Each comment
    opens with a stock phrase, then words drawn as ``vocabulary`` says (VOCABULARIES).

    Raises:
        ValueError: An unknown vocabulary.
    """
    if vocabulary not in VOCABULARIES:
        raise ValueError(f"vocabulary must be one of {', '.join(VOCABULARIES)}")
    words, weights = _vocabulary(vocabulary)
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    nodes: list[dict[str, Any]] = []
    depth: list[int] = []
    top: list[dict[str, Any]] = []
    for i in range(comments):
        parent = rng.randrange(-1, i) if i else -1
        if parent >= 0 and depth[parent] >= MAX_DEPTH:
            parent = -1
        data = _comment(i, rng, parent, _text(rng, words, weights))
        node = {"kind": "t1", "data": data}
        nodes.append(node)
        depth.append(1 if parent < 0 else depth[parent] + 1)
        siblings = top if parent < 0 else nodes[parent]["data"]["replies"]["data"]["children"]
        siblings.append(node)
    post = {"kind": "t3", "data": {"id": "syn", "name": "t3_syn", "title": f"Synthetic {seed}",
                                   "author": "op", "selftext": "A synthetic post.",
                                   "num_comments": comments, "created_utc": 1.6e9,
                                   "permalink": f"/r/synthetic/comments/syn{seed}/"}}
    page = [_listing([post]), _listing(top)]
    return json.dumps(page).encode()


def _listing(children: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": "Listing", "data": {"children": children, "after": None, "before": None}}


@cache
def _vocabulary(name: str) -> tuple[tuple[str, ...], tuple[float, ...] | None]:
    """The words of a vocabulary and their cumulative weights (None: uniform)."""
    if name == "small":
        return _SMALL_WORDS, None
    from threadscope.classify.lexicon import english_words

    shuffled = sorted(w for w in english_words()
                      if (len(w) > 1 or w in "ai") and w not in _LEFT_OUT)
    random.Random(0).shuffle(shuffled)  # noqa: S311 (a fixed order, not secrets)
    ranked = tuple(shuffled)
    weights = (1.0 / rank ** ZIPF_EXPONENT for rank in range(1, len(ranked) + 1))
    return ranked, tuple(itertools.accumulate(weights))


def _text(rng: random.Random, words: Sequence[str],
          cumulative: Sequence[float] | None) -> str:
    """A stock opener, then drawn words up to _TEXT_CHARS characters."""
    out = [rng.choice(_OPENERS)]
    length = len(out[0])
    while length < _TEXT_CHARS:
        word = (rng.choice(words) if cumulative is None
                else rng.choices(words, cum_weights=cumulative)[0])
        out.append(word)
        length += len(word) + 1
    return " ".join(out)[:_TEXT_CHARS]


def _comment(i: int, rng: random.Random, parent: int, text: str) -> dict[str, Any]:
    return {
        "id": f"c{i}", "name": f"t1_c{i}",
        "parent_id": "t3_syn" if parent < 0 else f"t1_c{parent}",
        "author": f"user{rng.randrange(max(2, i // 3 + 2))}",
        "body": text, "score": rng.randrange(-5, 50),
        "created_utc": 1.6e9 + 60 * i, "replies": _listing([]),
    }


def replicate(sources: Iterable[Path], folder: Path, pages: int) -> list[Path]:
    """Copy the sources round-robin into folder until it holds ``pages`` distinct files.

    Each copy gets trailing whitespace of its own length (valid at the end of HTML,
    XML, JSON and text alike), so every copy has its own content hash.
    """
    items = list(sources)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(pages):
        source = items[n % len(items)]
        copy = n // len(items)
        target = folder / f"{copy:05d}-{source.parent.name}-{source.name}"
        target.write_bytes(source.read_bytes() + b"\n" + b" " * copy)
        written.append(target)
    return written

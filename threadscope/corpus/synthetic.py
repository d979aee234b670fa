"""Synthetic inputs for load tests and benchmarks: big threads and replicated corpora.

Synthetic by design: real pages do not come in every size, and a benchmark needs
threads of 10 to 10,000 comments with the same shape, to see how cost grows.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MAX_DEPTH = 8
"""Deepest reply level of a synthetic thread (real threads rarely nest deeper)."""

_OPENERS = ("I agree with this.", "That is simply wrong.", "Why would anyone think that?",
            "Good point, thanks.", "Not sure about that.", "Exactly my thought!",
            "This makes no sense at all.", "Source?", "Well, obviously.", "Fair enough.")
_WORDS = ("the", "policy", "data", "people", "really", "never", "always", "great", "bad",
          "argument", "evidence", "city", "market", "vote", "price", "team", "game", "study",
          "article", "author", "point", "claim", "reason", "because", "however", "maybe")
_TEXT_CHARS = 200
"""Comment length: matches the issue's VADER anchor (7,600 comments/s at 200 characters)."""


def reddit_thread(comments: int, seed: int = 0) -> bytes:
    """A Reddit API JSON page with this many comments nested up to MAX_DEPTH.

    Each comment answers a random earlier one (or the post), so the tree has the
    branching of a real discussion; the same seed gives the same bytes.
    """
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    nodes: list[dict[str, Any]] = []
    depth: list[int] = []
    top: list[dict[str, Any]] = []
    for i in range(comments):
        parent = rng.randrange(-1, i) if i else -1
        if parent >= 0 and depth[parent] >= MAX_DEPTH:
            parent = -1
        data = _comment(i, rng, parent)
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


def _comment(i: int, rng: random.Random, parent: int) -> dict[str, Any]:
    words = [rng.choice(_OPENERS)]
    while sum(len(w) + 1 for w in words) < _TEXT_CHARS:
        words.append(rng.choice(_WORDS))
    return {
        "id": f"c{i}", "name": f"t1_c{i}",
        "parent_id": "t3_syn" if parent < 0 else f"t1_c{parent}",
        "author": f"user{rng.randrange(max(2, i // 3 + 2))}",
        "body": " ".join(words)[:_TEXT_CHARS], "score": rng.randrange(-5, 50),
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

"""Every real page in ../shared/threads parses to its expected tree (auto-detected family).

The expected files name their fields a little differently per family; the mapping
below turns each into the same rows (key, parent key, depth, author, score, time,
deleted) in document order, so one comparison serves every family.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import THREADS
from threadscope.htmltools import int_or_none
from threadscope.model import Comment, Thread

# ------------------------------------------------------------------ the mapping
# Field names in *.expected.json, by meaning; the first one present is used.
KEY_FIELDS = ("post_number", "id")            # discourse links replies by post number
PARENT_FIELDS = ("parent_post_number", "parent")
SCORE_FIELDS = ("score", "likes", "votes", "points", "rating_text")  # rating_text: "3 recs"
TIME_FIELDS = ("time", "created_utc")          # time_text alone is relative: not compared
# Files whose comment list includes placeholders for hidden comments (Slashdot's
# collapsed comments are nodes of the tree); elsewhere stubs ("more", "continue this
# thread") are left out of the expected list, so parsed placeholders are dropped.
PLACEHOLDERS_LISTED = frozenset({"dragnet/131.html"})
# StackExchange shows no score for a comment nobody voted on; the file writes 0, a
# parser may say None: both sides read None as 0 there.
ZERO_MEANS_NO_SCORE = frozenset({"trafilatura/german.stackexchange.com.ausgeraubt.html"})
# A deleted account has no name: "[deleted]" in the file or the parse is None.
NO_AUTHOR = frozenset({"[deleted]", "[removed]"})

# Expected files we believe wrong, with the evidence. The named checks are not made
# against the file for that input; tests/test_sites_news.py checks the page's own
# evidence instead (a regex over the raw HTML, independent of the parser).
DISPUTED: dict[str, tuple[tuple[str, ...], str]] = {
    "dragnet/R990.html": (
        ("parents", "depths"),
        '31 comments are div.comment.comment-reply printing "NAME replied to <a '
        'href=...#comment-N>comment from X</a>"; the file lists all 270 as top level',
    ),
}

INPUTS = sorted(
    str(p.relative_to(THREADS)).removesuffix(".expected.json")
    for p in THREADS.glob("*/*.expected.json")
) if THREADS.exists() else []


@dataclass(frozen=True)
class Row:
    """One comment as the comparison sees it."""

    key: str
    parent: str | None
    author: str | None
    score: int | None
    time: Any
    deleted: bool | None


def expected_comments(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The file's comments in document order (StackExchange nests them under posts)."""
    if "comments" in data:
        return list(data["comments"])
    rows: list[dict[str, Any]] = []
    for post in data.get("posts", []):
        owners = post.get("author_and_editor") or [None]
        # Post times are not compared: "times_edit_then_post" is ambiguous (for the
        # question its "post" time is later than its edit and equals its first
        # comment's time), so the file has no trustworthy post time.
        rows.append({**post, "author": owners[-1],  # the owner is listed last
                     "score": post.get("votes"), "time": None})
        rows.extend(post.get("comments", []))
    return rows


def _first(item: dict[str, Any], names: tuple[str, ...]) -> Any:
    return next((item[n] for n in names if n in item), None)


def _strip_kind(value: Any) -> str | None:
    """Reddit fullnames (t1_abc, t3_xyz) name the same comment as the bare id."""
    if value is None:
        return None
    text = str(value)
    return text[3:] if text[:3] in ("t1_", "t3_") else text


def expected_rows(name: str, data: dict[str, Any]) -> list[Row]:
    """The expected file as rows; a parent that is not a comment becomes None."""
    items = expected_comments(data)
    keys = {_strip_kind(_first(c, KEY_FIELDS)) for c in items}
    rows = []
    for item in items:
        parent = _strip_kind(_first(item, PARENT_FIELDS))
        score = _first(item, SCORE_FIELDS)
        if isinstance(score, str):
            score = int_or_none(score)
        rows.append(Row(
            key=str(_strip_kind(_first(item, KEY_FIELDS))),
            parent=parent if parent in keys else None,
            author=author_of(item.get("author")), score=score_of(name, score),
            time=_first(item, TIME_FIELDS), deleted=item.get("deleted"),
        ))
    return rows


def author_of(name: str | None) -> str | None:
    """The author as compared: deleted accounts have none."""
    return None if name in NO_AUTHOR else name


def score_of(name: str, score: int | None) -> int | None:
    """The score as compared (see ZERO_MEANS_NO_SCORE)."""
    return 0 if score is None and name in ZERO_MEANS_NO_SCORE else score


def depths_of(rows: list[Row]) -> list[int]:
    """Depths derived from the parent links (1 = top level)."""
    parent_of = {r.key: r.parent for r in rows}
    out = []
    for row in rows:
        depth, cur = 1, row.parent
        while cur is not None and depth <= len(rows):
            depth, cur = depth + 1, parent_of.get(cur)
        out.append(depth)
    return out


def parent_positions(rows: list[Row]) -> list[int | None]:
    """Each row's parent as a position in document order (ids differ between sources)."""
    where = {r.key: i for i, r in enumerate(rows)}
    return [where.get(r.parent) if r.parent is not None else None for r in rows]


def parsed_comments(name: str, threads: list[Thread]) -> list[Comment]:
    """All comments of the file's threads, placeholders dropped unless listed."""
    comments = [c for t in threads for c in t.comments]
    if name in PLACEHOLDERS_LISTED:
        return comments
    return [c for c in comments if not c.placeholder]


def same_time(expected: Any, comment: Comment) -> bool:
    """Whether the parsed time is the expected one (to the minute, offsets honoured)."""
    from threadscope.dates import parse_time

    stamp = comment.timestamp
    if stamp is None:
        return False
    got = datetime.fromisoformat(stamp.iso)
    if isinstance(expected, int | float):
        want = datetime.fromtimestamp(expected, tz=UTC)
    else:
        try:
            want = datetime.fromisoformat(str(expected).replace("Z", "+00:00"))
        except ValueError:  # page text such as "Tuesday July 24, @11:35AM": no year on it
            parsed = parse_time(str(expected), reference=got.replace(tzinfo=None))
            if parsed is None:
                return False
            want = datetime.fromisoformat(parsed.iso)
    if (want.tzinfo is None) != (got.tzinfo is None):
        want, got = want.replace(tzinfo=None), got.replace(tzinfo=None)
    return abs((want - got).total_seconds()) < 60


def agreement(name: str, threads: list[Thread]) -> dict[str, Any]:
    """Per-field comparison of parsed threads with the expected file (also used by the
    benchmark to report the generic fallback's figures)."""
    data = json.loads((THREADS / f"{name}.expected.json").read_text("utf-8"))
    rows = expected_rows(name, data)
    got = parsed_comments(name, threads)
    result: dict[str, Any] = {"expected": len(rows), "parsed": len(got)}
    if len(rows) != len(got):
        return result
    got_keys = {c.id: i for i, c in enumerate(got)}
    got_parents = [got_keys.get(c.parent_id) if c.parent_id else None for c in got]
    timed = [(r.time, c) for r, c in zip(rows, got, strict=True) if r.time is not None]
    result.update({
        "parents": _share(parent_positions(rows), got_parents),
        "depths": _share(depths_of(rows), [c.depth for c in got]),
        "authors": _share([r.author for r in rows], [author_of(c.author) for c in got]),
        "scores": _share([r.score for r in rows], [score_of(name, c.score) for c in got]),
        "times": sum(same_time(t, c) for t, c in timed) / len(timed) if timed else None,
        "deleted": _share([bool(r.deleted) for r in rows], [c.deleted for c in got])
        if any(r.deleted is not None for r in rows) else None,
    })
    return result


def _share(want: list[Any], got: list[Any]) -> float:
    return sum(w == g for w, g in zip(want, got, strict=True)) / len(want) if want else 1.0


def _first_mismatch(want: list[Any], got: list[Any]) -> str:
    for i, (w, g) in enumerate(zip(want, got, strict=True)):
        if w != g:
            return f"first difference at comment {i}: expected {w!r}, parsed {g!r}"
    return "equal"


@pytest.mark.parametrize("name", INPUTS)
def test_page_parses_to_expected_tree(name: str) -> None:
    from threadscope.api import load

    path: Path = THREADS / name
    data = json.loads((THREADS / f"{name}.expected.json").read_text("utf-8"))
    rows = expected_rows(name, data)
    got = parsed_comments(name, load(path))
    assert len(got) == len(rows), f"{name}: {len(got)} comments parsed, {len(rows)} expected"
    got_keys = {c.id: i for i, c in enumerate(got)}
    got_parents = [got_keys.get(c.parent_id) if c.parent_id else None for c in got]
    checks = {
        "parents": (parent_positions(rows), got_parents),
        "depths": (depths_of(rows), [c.depth for c in got]),
        "authors": ([r.author for r in rows], [author_of(c.author) for c in got]),
        "scores": ([r.score for r in rows], [score_of(name, c.score) for c in got]),
    }
    if any(r.deleted is not None for r in rows):
        checks["deleted"] = ([bool(r.deleted) for r in rows], [c.deleted for c in got])
    disputed = DISPUTED.get(name, ((), ""))[0]
    for what, (want, have) in checks.items():
        if what in disputed:
            continue
        assert have == want, f"{name} {what}: {_first_mismatch(want, have)}"
    late = [i for i, (r, c) in enumerate(zip(rows, got, strict=True))
            if r.time is not None and not same_time(r.time, c)]
    assert not late, f"{name} times differ at comments {late[:10]} (of {len(late)})"


def test_inputs_are_all_found() -> None:
    """The shared folder holds the 13 inputs its README lists (or the test skips)."""
    if not (THREADS / "README.md").exists():
        pytest.skip(f"real threads not found at {THREADS} (set THREADSCOPE_THREADS)")
    assert len(INPUTS) == 13, INPUTS

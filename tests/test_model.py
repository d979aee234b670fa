"""The frozen data model: tree validation and helpers on small hand-built trees."""

from __future__ import annotations

import dataclasses

import pytest

from threadscope.errors import TreeError
from threadscope.model import Article, Comment, Thread, build_thread


def c(cid: str, parent: str | None, depth: int = 0) -> Comment:
    return Comment(id=cid, parent_id=parent, depth=depth, text=f"text {cid}")


def small() -> Thread:
    #  a          e
    #  ├─ b
    #  │  └─ d
    #  └─ c
    return build_thread(Article(), [c("a", None), c("b", "a"), c("d", "b"), c("c", "a"),
                                    c("e", None)])


def test_depths_derived_from_parents() -> None:
    t = small()
    assert [(x.id, x.depth) for x in t.comments] == [
        ("a", 1), ("b", 2), ("d", 3), ("c", 2), ("e", 1)]


def test_depth_derived_when_parent_comes_later() -> None:
    t = build_thread(Article(), [c("b", "a"), c("a", None)])
    assert t.get("b").depth == 2


def test_walks_and_paths() -> None:
    t = small()
    assert [x.id for x in t.walk()] == ["a", "b", "d", "c", "e"]
    assert [x.id for x in t.breadth_first()] == ["a", "e", "b", "c", "d"]
    assert [x.id for x in t.children("a")] == ["b", "c"]
    assert [x.id for x in t.roots()] == ["a", "e"]
    assert [[x.id for x in p] for p in t.paths()] == [["a", "b", "d"], ["a", "c"], ["e"]]
    assert [(p.id, r.id) for p, r in t.reply_pairs()] == [("a", "b"), ("b", "d"), ("a", "c")]
    assert [x.id for x in t.ancestors(t.get("d"))] == ["a", "b"]
    assert t.max_depth == 3


def test_dangling_parent_names_ids() -> None:
    with pytest.raises(TreeError, match=r"x -> missing") as info:
        Thread(Article(), (c("a", None, 1), c("x", "missing", 2)))
    assert info.value.ids == ("x",)


def test_cycle_names_ids() -> None:
    with pytest.raises(TreeError, match="cycle") as info:
        Thread(Article(), (c("a", None, 1), c("p", "q", 2), c("q", "p", 2)))
    assert set(info.value.ids) == {"p", "q"}


def test_duplicate_ids() -> None:
    with pytest.raises(TreeError, match="duplicate comment ids: a"):
        Thread(Article(), (c("a", None, 1), c("a", None, 1)))


def test_wrong_depth_rejected() -> None:
    with pytest.raises(TreeError, match="b has 3, expected 2"):
        Thread(Article(), (c("a", None, 1), c("b", "a", 3)))


def test_frozen() -> None:
    t = small()
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.comments[0].text = "changed"  # type: ignore[misc]


def test_deep_chain_without_recursion() -> None:
    n = 10_000
    comments = [c("0", None)] + [c(str(i), str(i - 1)) for i in range(1, n)]
    t = build_thread(Article(), comments)
    assert t.max_depth == n
    assert sum(1 for _ in t.walk()) == n
    assert len(t.paths()[0]) == n

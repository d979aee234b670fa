"""The ConvoKit export, checked against ConvoKit's own loading and integrity rules.

ConvoKit is heavy to install, so ``check_convokit_corpus`` replicates what
``Corpus(filename=...)`` reads (convokit/model/corpus_helpers.py) and what
``Conversation.check_integrity()`` demands (convokit/model/conversation.py), plus the
index rule that keeps meta keys alive through ``Corpus.dump`` (undeclared keys are
silently dropped by ``dump_helper_bin``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.test_analysis import labelled_thread
from threadscope.analysis import analyse, analysis_dict
from threadscope.export.convokit import FILES, write_corpus
from threadscope.export.document import thread_document
from threadscope.labels import LabelledThread

UTTERANCE_KEYS = {"id", "conversation_id", "text", "speaker", "meta", "reply-to", "timestamp"}


def _declared(index: dict[str, Any], part: str, metas: list[dict[str, Any]]) -> None:
    declared = index[part]
    for meta in metas:
        for key, value in meta.items():
            assert key in declared, f"{part}: meta key {key!r} is not declared"
            kinds = declared[key]
            assert isinstance(kinds, list)
            assert kinds
            assert all("class" in k for k in kinds)
            if value is not None:
                assert str(type(value)) in kinds, f"{part}: {key} holds {type(value)}"


def _check_conversation(conv: str, utts: list[dict[str, Any]]) -> None:
    """Conversation.check_integrity(): one root (reply-to None), no missing targets, no loops."""
    reply_to = {u["id"]: u["reply-to"] for u in utts}
    missing = set(reply_to.values()) - set(reply_to)
    assert missing == {None}, f"{conv}: replies to missing utterances {missing - {None}}"
    roots = [u for u, r in reply_to.items() if r is None]
    assert roots == [conv], f"{conv}: roots {roots}"
    assert not [u for u, r in reply_to.items() if u == r]
    for start in reply_to:  # every chain reaches the root (no cycles)
        seen, cur = set(), start
        while cur is not None:
            assert cur not in seen, f"{conv}: cycle through {cur}"
            seen.add(cur)
            cur = reply_to[cur]


def check_convokit_corpus(folder: Path) -> list[dict[str, Any]]:
    """Load the corpus the way ConvoKit does and assert its rules; returns the utterances."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    utts = [json.loads(line) for line in (folder / "utterances.jsonl").read_text("utf-8")
            .split("\n") if line]
    speakers = json.loads((folder / "speakers.json").read_text("utf-8"))
    convos = json.loads((folder / "conversations.json").read_text("utf-8"))
    corpus = json.loads((folder / "corpus.json").read_text("utf-8"))
    index = json.loads((folder / "index.json").read_text("utf-8"))
    assert set(index) >= {"utterances-index", "speakers-index", "conversations-index",
                          "overall-index", "version"}
    assert isinstance(index["version"], int)
    ids = [u["id"] for u in utts]
    assert len(ids) == len(set(ids)), "utterance ids repeat"
    by_conv: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for u in utts:
        assert set(u) >= UTTERANCE_KEYS
        assert isinstance(u["id"], str)
        assert isinstance(u["speaker"], str)
        assert isinstance(u["timestamp"], int)
        assert isinstance(u["meta"], dict)
        assert u["speaker"] in speakers, f"speaker {u['speaker']} missing from speakers.json"
        by_conv[u["conversation_id"]].append(u)
    assert set(by_conv) == set(convos)
    for conv, members in by_conv.items():
        _check_conversation(conv, members)
    for data in [*speakers.values(), *convos.values()]:
        assert set(data) == {"meta", "vectors"}
    _declared(index, "utterances-index", [u["meta"] for u in utts])
    _declared(index, "speakers-index", [s["meta"] for s in speakers.values()])
    _declared(index, "conversations-index", [c["meta"] for c in convos.values()])
    _declared(index, "overall-index", [corpus])
    return utts


def _docs(*items: LabelledThread) -> list[dict[str, Any]]:
    return [thread_document(i, analysis_dict(analyse(i))) for i in items]


def test_hand_thread_corpus_passes_convokit_integrity(tmp_path: Path) -> None:
    item = labelled_thread()
    write_corpus(_docs(item), tmp_path)
    utts = check_convokit_corpus(tmp_path)
    assert len(utts) == 10  # the article and nine comments
    root = utts[0]
    assert root["meta"]["kind"] == "article"
    assert root["speaker"] == "Ann"
    by_comment = {u["meta"]["comment_id"]: u for u in utts[1:]}
    assert by_comment["c1"]["reply-to"] == root["id"]  # top level answers the article
    assert by_comment["c2"]["reply-to"] == by_comment["c1"]["id"]
    c2 = by_comment["c2"]["meta"]
    assert (c2["stance"], c2["sarcasm"], c2["score"], c2["depth"]) == (
        "disagree", "sarcastic", -2, 2)
    assert c2["stance_probabilities"]["disagree"] == 0.9
    assert set(c2["sentiment"]) == {"compound", "pos", "neu", "neg"}
    assert by_comment["c5"]["speaker"] != by_comment["c1"]["speaker"]


def test_timestamps_are_integers_and_estimates_are_flagged(tmp_path: Path) -> None:
    write_corpus(_docs(labelled_thread()), tmp_path)
    utts = {u["meta"]["comment_id"]: u for u in check_convokit_corpus(tmp_path)[1:]}
    assert utts["c1"]["timestamp"] == 1709287200  # 2024-03-01T10:00 read as UTC
    assert utts["c1"]["meta"]["timestamp_estimated"] is False
    assert utts["c8"]["meta"]["timestamp_estimated"] is True  # no time on the page
    assert utts["c8"]["timestamp"] == utts["c6"]["timestamp"]  # takes its parent's


def test_missing_and_deleted_parents_become_placeholders(tmp_path: Path) -> None:
    item = labelled_thread()
    thread = item.thread
    deleted = replace(thread.get("c2"), deleted=True, author=None, text="[deleted]")
    comments = tuple(deleted if c.id == "c2" else c for c in thread.comments)
    doc = _docs(LabelledThread(replace(thread, comments=comments), item.labels))[0]
    doc["comments"] = [c for c in doc["comments"] if c["id"] != "c6"]  # c7, c8 lose a parent
    write_corpus([doc], tmp_path)
    utts = check_convokit_corpus(tmp_path)
    by_comment = {u["meta"]["comment_id"]: u for u in utts[1:]}
    assert by_comment["c6"]["meta"]["kind"] == "placeholder"
    assert by_comment["c6"]["reply-to"] == utts[0]["id"]
    assert by_comment["c7"]["reply-to"] == by_comment["c6"]["id"]
    assert by_comment["c2"]["meta"]["kind"] == "placeholder"
    assert by_comment["c2"]["speaker"].startswith("[deleted")


def test_several_threads_and_quote_targets(tmp_path: Path) -> None:
    from threadscope.model import QuoteSegment

    item = labelled_thread()
    thread = item.thread
    quoting = replace(thread.get("c3"), quotes=(QuoteSegment("text of c2", "c2"),
                                                QuoteSegment("An article.", "article")))
    comments = tuple(quoting if c.id == "c3" else c for c in thread.comments)
    other = LabelledThread(replace(thread, comments=comments), item.labels)
    write_corpus(_docs(item, other, item), tmp_path)  # the same page twice stays apart
    utts = check_convokit_corpus(tmp_path)
    assert len({u["conversation_id"] for u in utts}) == 3
    quoted = [u for u in utts if u["meta"]["quote_targets"]]
    assert len(quoted) == 1
    conv = quoted[0]["conversation_id"]
    assert quoted[0]["meta"]["quote_targets"] == [f"{conv}:c2", conv]


def test_integrity_checker_catches_broken_corpora(tmp_path: Path) -> None:
    write_corpus(_docs(labelled_thread()), tmp_path)
    lines = (tmp_path / "utterances.jsonl").read_text("utf-8").splitlines()
    broken = json.loads(lines[3])
    broken["meta"]["undeclared"] = 1
    lines[3] = json.dumps(broken)
    (tmp_path / "utterances.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(AssertionError, match="undeclared"):
        check_convokit_corpus(tmp_path)

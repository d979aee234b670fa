"""ConvoKit corpus export: the five files ``Corpus(filename=...)`` loads.

Layout (ConvoKit's on-disk format, as its ``corpus_helpers`` reads it): one conversation
per thread whose root utterance is the article; top-level comments reply to it.
``utterances.jsonl`` holds {id, conversation_id, text, speaker, meta, reply-to,
timestamp, vectors}; ``speakers.json`` and ``conversations.json`` map ids to {meta,
vectors}; ``corpus.json`` is the corpus meta; ``index.json`` declares every meta key with
the types of its values, because ConvoKit drops undeclared keys when it saves again.
Timestamps are integer Unix seconds (pages' local times read as UTC); a comment
without a time takes its parent's, flagged ``timestamp_estimated``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threadscope import __version__
from threadscope.export.document import sentiment_dict
from threadscope.labels import CommentLabels, LabelledThread
from threadscope.model import ARTICLE_ID, Comment, Thread, Timestamp

if TYPE_CHECKING:
    from threadscope.analysis import Analysis

FILES = ("utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json")
INDEX_VERSION = 1
_ESTIMATED_PRECISIONS = {"relative"}  # "6 years ago" resolved against a reference time


def conversation_ids(items: Sequence[LabelledThread]) -> list[str]:
    """A stable, unique conversation id per thread, from its source hash and key."""
    ids: list[str] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        src = item.thread.source
        basis = f"{src.sha256}|{src.thread_key or ''}" if src else f"thread-{i}"
        cid = "t" + hashlib.sha256(basis.encode()).hexdigest()[:12]
        n = 1
        while cid in seen:
            n += 1
            cid = f"{cid.split('~')[0]}~{n}"
        seen.add(cid)
        ids.append(cid)
    return ids


def _epoch(ts: Timestamp | None) -> int | None:
    if ts is None:
        return None
    try:
        moment = datetime.fromisoformat(ts.iso)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _article_time(thread: Thread) -> tuple[int, bool]:
    own = _epoch(thread.article.published)
    if own is not None:
        return own, thread.article.published.precision in _ESTIMATED_PRECISIONS  # type: ignore[union-attr]
    times = [t for t in (_epoch(c.timestamp) for c in thread.comments) if t is not None]
    return (min(times) if times else 0), True


def _comment_times(thread: Thread, article_time: int) -> dict[str, tuple[int, bool]]:
    """(seconds, estimated) per comment; missing times inherit the parent's (pre-order)."""
    out: dict[str, tuple[int, bool]] = {}
    for c in thread.walk():
        own = _epoch(c.timestamp)
        if own is not None:
            assert c.timestamp is not None
            out[c.id] = (own, c.timestamp.precision in _ESTIMATED_PRECISIONS)
        else:
            parent = out[c.parent_id][0] if c.parent_id else article_time
            out[c.id] = (parent, True)
    return out


def _speaker(c: Comment, utt_id: str) -> str:
    if c.author:
        return c.author
    return f"[deleted {utt_id}]" if c.deleted else f"[anonymous {utt_id}]"


def _label_meta(labels: CommentLabels | None) -> dict[str, Any]:
    if labels is None:
        return {"language": None, "stance": None, "stance_target": None,
                "stance_probabilities": None, "sarcasm": None, "sarcasm_probability": None,
                "sentiment": None}
    return {
        "language": labels.language,
        "stance": labels.stance.label,
        "stance_target": labels.stance.target_id,
        "stance_probabilities": {k: round(v, 4) for k, v in
                                 sorted(labels.stance.probabilities.items())} or None,
        "sarcasm": labels.sarcasm.label,
        "sarcasm_probability": labels.sarcasm.probability,
        "sentiment": sentiment_dict(labels.sentiment),
    }


def _utterance(
    conv: str, c: Comment, labels: CommentLabels | None, when: tuple[int, bool],
) -> dict[str, Any]:
    uid = f"{conv}:{c.id}"
    placeholder = c.placeholder or c.deleted
    targets = [None if q.source_id is None else conv if q.source_id == ARTICLE_ID
               else f"{conv}:{q.source_id}" for q in c.quotes]
    meta = {
        "kind": "placeholder" if placeholder else "comment",
        "comment_id": c.id, "path": c.path, "depth": c.depth, "score": c.score,
        "score_label": c.score_label, "title": c.title,
        "timestamp_iso": c.timestamp.iso if c.timestamp else None,
        "timestamp_precision": c.timestamp.precision if c.timestamp else None,
        "timestamp_estimated": when[1], "deleted": c.deleted, "placeholder": c.placeholder,
        "hidden_count": c.hidden_count, "emoticons": list(c.emoticons),
        "quote_targets": targets,
        "quotes": [{"text": q.text, "target": t, "answer": q.answer, "kind": q.kind}
                   for q, t in zip(c.quotes, targets, strict=True)],
        **_label_meta(labels),
    }
    return {"id": uid, "conversation_id": conv, "text": c.text, "speaker": _speaker(c, uid),
            "meta": meta, "reply-to": f"{conv}:{c.parent_id}" if c.parent_id else conv,
            "timestamp": when[0], "vectors": []}


def _article_utterance(conv: str, thread: Thread, when: tuple[int, bool]) -> dict[str, Any]:
    a = thread.article
    meta: dict[str, Any] = dict.fromkeys(
        ("comment_id", "path", "score", "score_label", "hidden_count", "language", "stance",
         "stance_target", "stance_probabilities", "sarcasm", "sarcasm_probability",
         "sentiment"))
    meta.update({
        "kind": "article", "depth": 0, "title": a.title,
        "timestamp_iso": a.published.iso if a.published else None,
        "timestamp_precision": a.published.precision if a.published else None,
        "timestamp_estimated": when[1], "deleted": False, "placeholder": False,
        "emoticons": [], "quote_targets": [], "quotes": [],
    })
    return {"id": conv, "conversation_id": conv, "text": "\n\n".join(a.body),
            "speaker": a.author or f"[article {conv}]", "meta": meta, "reply-to": None,
            "timestamp": when[0], "vectors": []}


def thread_utterances(conv: str, item: LabelledThread) -> list[dict[str, Any]]:
    """The article utterance, then one utterance per comment in document order."""
    thread = item.thread
    article_when = _article_time(thread)
    times = _comment_times(thread, article_when[0])
    return [_article_utterance(conv, thread, article_when)] + [
        _utterance(conv, c, item.label(c.id), times[c.id]) for c in thread.comments]


def _conversation_meta(item: LabelledThread, analysis: Mapping[str, Any] | None) -> dict[str, Any]:
    thread, src = item.thread, item.thread.source
    return {
        "title": thread.article.title, "url": thread.article.url,
        "source_path": src.path if src else None, "source_sha256": src.sha256 if src else None,
        "site": src.site if src else None, "thread_key": src.thread_key if src else None,
        "declared_comment_count": thread.article.declared_comment_count,
        "comments": len(thread.comments), "analysis": dict(analysis) if analysis else None,
    }


def _types(values: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """ConvoKit's index entry per key: the str(type) of its non-null values, first seen first."""
    index: dict[str, list[str]] = {}
    for meta in values:
        for key, value in meta.items():
            kinds = index.setdefault(key, [])
            if value is not None and str(type(value)) not in kinds:
                kinds.append(str(type(value)))
    return {k: v or [str(type(None))] for k, v in index.items()}


def corpus_files(
    items: Sequence[LabelledThread], analyses: Sequence[Mapping[str, Any] | None] | None = None,
    pseudonymized: bool = False,
) -> dict[str, str]:
    """The five files of the corpus as text, keyed by file name."""
    convs = conversation_ids(items)
    utterances = [u for conv, item in zip(convs, items, strict=True)
                  for u in thread_utterances(conv, item)]
    speakers: dict[str, dict[str, Any]] = {}
    for u in utterances:
        anonymous = u["speaker"].startswith("[")
        speakers.setdefault(u["speaker"], {"meta": {"anonymous": anonymous,
                                                    "pseudonymized": pseudonymized},
                                           "vectors": []})
    conversations: dict[str, dict[str, Any]] = {}
    for i, (conv, item) in enumerate(zip(convs, items, strict=True)):
        block = analyses[i] if analyses else None
        conversations[conv] = {"meta": _conversation_meta(item, block), "vectors": []}
    corpus_meta: dict[str, Any] = {"generator": "threadscope", "generator_version": __version__,
                   "pseudonymized": pseudonymized, "threads": len(items)}
    index: dict[str, Any] = {
        "utterances-index": _types([u["meta"] for u in utterances]),
        "speakers-index": _types([s["meta"] for s in speakers.values()]),
        "conversations-index": _types([c["meta"] for c in conversations.values()]),
        "overall-index": _types([corpus_meta]),
        "version": INDEX_VERSION,
        "vectors": [],
    }
    return {
        "utterances.jsonl": "".join(_line(u) for u in utterances),
        "speakers.json": _dump(speakers),
        "conversations.json": _dump(conversations),
        "corpus.json": _dump(corpus_meta),
        "index.json": _dump(index),
    }


def _line(obj: Mapping[str, Any]) -> str:
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=1) + "\n"


def write_corpus(
    folder: Path, items: Sequence[LabelledThread],
    analyses: Sequence[Analysis | None] | None = None, pseudonymized: bool = False,
) -> list[Path]:
    """Write the corpus folder (created if needed); returns the files written."""
    from threadscope.analysis import analysis_dict
    from threadscope.fileio import atomic_write_text

    blocks = [analysis_dict(a) if a else None for a in analyses] if analyses else None
    written = []
    for name, text in corpus_files(items, blocks, pseudonymized).items():
        atomic_write_text(folder / name, text)
        written.append(folder / name)
    return written

"""ConvoKit corpus export: the five files ``Corpus(filename=...)`` loads, from export documents.

Layout (ConvoKit's on-disk format, as its ``corpus_helpers`` reads it): one conversation
per thread whose root utterance is the article; top-level comments reply to it.
``utterances.jsonl`` holds {id, conversation_id, text, speaker, meta, reply-to,
timestamp, vectors}; ``speakers.json`` and ``conversations.json`` map ids to {meta,
vectors}; ``corpus.json`` is the corpus meta; ``index.json`` declares every meta key with
the types of its values, because ConvoKit drops undeclared keys when it saves again.

Built from the versioned JSON documents (``thread_document``), streamed, so a corpus run
can convert its stored documents without re-reading pages. Timestamps are integer Unix
seconds (times without an offset read as UTC); a comment without a time takes its
parent's and is flagged ``timestamp_estimated``. A parent id missing from the document
becomes a placeholder utterance answering the article.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from threadscope import __version__
from threadscope.errors import OutputError
from threadscope.fileio import atomic_write_text

FILES = ("utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json")
INDEX_VERSION = 1
ARTICLE = "article"
_ESTIMATED_PRECISIONS = {"relative"}  # "6 years ago" resolved against a reference time
Doc = Mapping[str, Any]


def conversation_id(doc: Doc, index: int) -> str:
    """A stable conversation id from the document's source hash and thread key."""
    src = doc.get("source") or {}
    basis = f"{src.get('sha256')}|{src.get('thread_key') or ''}" if src.get("sha256") else \
        f"thread-{index}"
    return "t" + hashlib.sha256(basis.encode()).hexdigest()[:12]


def epoch(time: Mapping[str, Any] | None) -> int | None:
    """Integer Unix seconds of a {iso, precision} block (no offset: read as UTC)."""
    if not time:
        return None
    try:
        moment = datetime.fromisoformat(time["iso"])
    except (ValueError, KeyError, TypeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _comment_time(c: Doc) -> Mapping[str, Any] | None:
    time = c.get("time")
    if time:
        return dict(time)
    return {"iso": c["timestamp"], "precision": "minute"} if c.get("timestamp") else None


def _article_time(doc: Doc) -> tuple[int, bool]:
    published = doc["article"].get("published")
    own = epoch(published)
    if own is not None:
        return own, published.get("precision") in _ESTIMATED_PRECISIONS
    times = [t for t in (epoch(_comment_time(c)) for c in doc["comments"]) if t is not None]
    return (min(times) if times else 0), True


def _times(comments: list[Doc], parent_of: dict[str, str | None],
           article_time: int) -> dict[str, tuple[int, bool]]:
    """(seconds, estimated) per comment; an undated one takes its nearest dated ancestor's."""
    own: dict[str, tuple[int, bool]] = {}
    for c in comments:
        time = _comment_time(c)
        seconds = epoch(time)
        if seconds is not None and time is not None:
            own[c["id"]] = (seconds, time.get("precision") in _ESTIMATED_PRECISIONS)
    out: dict[str, tuple[int, bool]] = {}
    for c in comments:
        cid = c["id"]
        if cid in own:
            out[cid] = own[cid]
            continue
        cur, seen = parent_of.get(cid), {cid}
        while cur is not None and cur not in own and cur not in seen:
            seen.add(cur)
            cur = parent_of.get(cur)
        out[cid] = ((own[cur][0] if cur is not None and cur in own else article_time), True)
    return out


def _speaker(c: Doc, uid: str) -> str:
    if c.get("author"):
        return str(c["author"])
    return f"[deleted {uid}]" if c.get("deleted") else f"[anonymous {uid}]"


def _ref(conv: str, target: str | None) -> str | None:
    if target is None:
        return None
    return conv if target == ARTICLE else f"{conv}:{target}"


def _label_meta(c: Doc) -> dict[str, Any]:
    stance = c.get("stance") or {}
    sarcasm = c.get("sarcasm") or {}
    return {
        "language": c.get("language"),
        "stance": stance.get("label"),
        "stance_target": stance.get("target_id"),
        "stance_probabilities": stance.get("probabilities") or None,
        "sarcasm": sarcasm.get("label"),
        "sarcasm_probability": sarcasm.get("probability"),
        "sentiment": c.get("sentiment"),
    }


def comment_utterance(conv: str, c: Doc, when: tuple[int, bool], known: set[str]) -> dict[str, Any]:
    """One comment as an utterance; its parent must be in ``known`` or it answers the article."""
    uid = f"{conv}:{c['id']}"
    quotes = c.get("quotes") or []
    targets = [_ref(conv, q.get("source_id")) for q in quotes]
    time = _comment_time(c)
    meta = {
        "kind": "placeholder" if c.get("placeholder") or c.get("deleted") else "comment",
        "comment_id": c["id"], "path": c.get("path"), "depth": c.get("depth"),
        "score": c.get("score"), "score_label": c.get("score_label"), "title": c.get("title"),
        "timestamp_iso": time.get("iso") if time else None,
        "timestamp_precision": time.get("precision") if time else None,
        "timestamp_estimated": when[1], "deleted": bool(c.get("deleted")),
        "placeholder": bool(c.get("placeholder")), "hidden_count": c.get("hidden_count"),
        "emoticons": list(c.get("emoticons") or []), "quote_targets": targets,
        "quotes": [{"text": q.get("text"), "target": t, "answer": q.get("answer", ""),
                    "kind": q.get("kind"), "stance": (q.get("stance") or {}).get("label")}
                   for q, t in zip(quotes, targets, strict=True)],
        **_label_meta(c),
    }
    parent = c.get("parent_id")
    return {"id": uid, "conversation_id": conv, "text": c.get("text", ""),
            "speaker": _speaker(c, uid), "meta": meta,
            "reply-to": f"{conv}:{parent}" if parent in known else conv,
            "timestamp": when[0], "vectors": []}


def _blank_meta(kind: str) -> dict[str, Any]:
    meta: dict[str, Any] = dict.fromkeys(
        ("comment_id", "path", "score", "score_label", "title", "timestamp_iso",
         "timestamp_precision", "hidden_count", "language", "stance", "stance_target",
         "stance_probabilities", "sarcasm", "sarcasm_probability", "sentiment"))
    meta.update({"kind": kind, "depth": 0, "timestamp_estimated": True, "deleted": False,
                 "placeholder": kind == "placeholder", "emoticons": [], "quote_targets": [],
                 "quotes": []})
    return meta


def article_utterance(conv: str, doc: Doc, when: tuple[int, bool]) -> dict[str, Any]:
    """The article as the conversation's root utterance."""
    a = doc["article"]
    meta = _blank_meta("article")
    published = a.get("published") or {}
    meta.update({"title": a.get("title"), "timestamp_iso": published.get("iso"),
                 "timestamp_precision": published.get("precision"),
                 "timestamp_estimated": when[1]})
    return {"id": conv, "conversation_id": conv, "text": "\n\n".join(a.get("body") or []),
            "speaker": a.get("author") or f"[article {conv}]", "meta": meta, "reply-to": None,
            "timestamp": when[0], "vectors": []}


def missing_parent_utterance(conv: str, parent: str, when: int) -> dict[str, Any]:
    """A placeholder standing for a parent the page no longer shows."""
    uid = f"{conv}:{parent}"
    meta = _blank_meta("placeholder")
    meta.update({"comment_id": parent, "depth": None})
    return {"id": uid, "conversation_id": conv, "text": "", "speaker": f"[missing {uid}]",
            "meta": meta, "reply-to": conv, "timestamp": when, "vectors": []}


def document_utterances(conv: str, doc: Doc) -> Iterator[dict[str, Any]]:
    """The article, placeholders for missing parents, then every comment in order."""
    comments = list(doc["comments"])
    known = {c["id"] for c in comments}
    parent_of = {c["id"]: c.get("parent_id") for c in comments}
    article_when = _article_time(doc)
    times = _times(comments, parent_of, article_when[0])
    yield article_utterance(conv, doc, article_when)
    missing = sorted({p for p in parent_of.values() if p is not None and p not in known})
    yield from (missing_parent_utterance(conv, p, article_when[0]) for p in missing)
    known.update(missing)
    for c in comments:
        yield comment_utterance(conv, c, times[c["id"]], known)


def conversation_meta(doc: Doc) -> dict[str, Any]:
    """Thread-level meta: title, url, source, declared count and the analysis block."""
    src = doc.get("source") or {}
    article = doc["article"]
    return {"title": article.get("title"), "url": article.get("url"),
            "source_path": src.get("path"), "source_sha256": src.get("sha256"),
            "site": src.get("site"), "thread_key": src.get("thread_key"),
            "declared_comment_count": article.get("declared_comment_count"),
            "comments": len(doc["comments"]), "analysis": doc.get("analysis")}


class _Index:
    """ConvoKit's meta index: per key, str(type) of its non-null values, first seen first."""

    def __init__(self) -> None:
        self.types: dict[str, list[str]] = {}

    def add(self, meta: Mapping[str, Any]) -> None:
        for key, value in meta.items():
            kinds = self.types.setdefault(key, [])
            if value is not None and str(type(value)) not in kinds:
                kinds.append(str(type(value)))

    def result(self) -> dict[str, list[str]]:
        return {k: v or [str(type(None))] for k, v in self.types.items()}


def _line(obj: Mapping[str, Any]) -> str:
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=1) + "\n"


def write_corpus(
    documents: Iterable[Doc], folder: Path, pseudonymized: bool = False,
) -> list[Path]:
    """Write the five corpus files into folder (created if needed) from export documents.

    Returns the files written. Raises OutputError when the folder cannot be written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".utterances.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            rest = _stream(documents, handle, pseudonymized)
        os.replace(tmp, folder / FILES[0])
    except OSError as exc:
        raise OutputError(f"cannot write the ConvoKit corpus ({exc.strerror or exc})",
                          str(folder)) from exc
    for name, text in rest.items():
        atomic_write_text(folder / name, text)
    return [folder / name for name in FILES]


def _stream(documents: Iterable[Doc], handle: IO[str], pseudonymized: bool) -> dict[str, str]:
    """Write utterances line by line; return the four small files' text."""
    utt_index, speaker_index, conv_index = _Index(), _Index(), _Index()
    speakers: dict[str, dict[str, Any]] = {}
    conversations: dict[str, dict[str, Any]] = {}
    for i, doc in enumerate(documents):
        conv = conversation_id(doc, i)
        n = 1
        while conv in conversations:  # the same page twice: keep both, apart
            n += 1
            conv = f"{conversation_id(doc, i)}~{n}"
        conversations[conv] = {"meta": conversation_meta(doc), "vectors": []}
        conv_index.add(conversations[conv]["meta"])
        for utt in document_utterances(conv, doc):
            utt_index.add(utt["meta"])
            if utt["speaker"] not in speakers:
                meta = {"anonymous": utt["speaker"].startswith("["),
                        "pseudonymized": pseudonymized}
                speakers[utt["speaker"]] = {"meta": meta, "vectors": []}
                speaker_index.add(meta)
            handle.write(_line(utt))
    corpus_meta = {"generator": "threadscope", "generator_version": __version__,
                   "pseudonymized": pseudonymized, "threads": len(conversations)}
    overall = _Index()
    overall.add(corpus_meta)
    index = {"utterances-index": utt_index.result(), "speakers-index": speaker_index.result(),
             "conversations-index": conv_index.result(), "overall-index": overall.result(),
             "version": INDEX_VERSION, "vectors": []}
    return {"speakers.json": _dump(speakers), "conversations.json": _dump(conversations),
            "corpus.json": _dump(corpus_meta), "index.json": _dump(index)}
